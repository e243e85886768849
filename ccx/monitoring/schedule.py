"""When each member owes its report, and where each member stands: the secretariat's board.

A member reports every `cycle_years` years (four by default) after its designation year: a city designated in
2019 owes reports in 2023, 2027, … . The secretariat may set a member's due year itself; later reports then
follow that year by the same cycle. A member whose designation year is not known has no due date: the board
says "due date unknown" and never guesses one.
"""

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser
from ccx.cities.models import City, Region
from ccx.core.spreadsheets import SafeWriter
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.models import DEFAULT_CYCLE_YEARS, DueDate, Report, ReportingRule, ReportStatus
from ccx.monitoring.permissions import can_manage_schedule

MAX_CYCLE_YEARS = 10


class BoardState(TextChoices):
    UNKNOWN = "unknown", gettext_lazy("Due date unknown")
    NOT_YET_DUE = "not_yet_due", gettext_lazy("Not yet due")
    DUE_THIS_YEAR = "due_this_year", gettext_lazy("Due this year")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    ACCEPTED = "accepted", gettext_lazy("Accepted")


def cycle_years() -> int:
    rule = ReportingRule.objects.order_by("pk").first()
    return rule.cycle_years if rule else DEFAULT_CYCLE_YEARS


def first_due_year(city: City, cycle: int, due_date: DueDate | None) -> int | None:
    if due_date is not None:
        return due_date.due_year
    if city.designation_year is None:
        return None
    return city.designation_year + cycle


@dataclass(frozen=True)
class MemberStanding:
    city: City
    due_year: int | None  # the year of the report the member owes now, or next
    state: BoardState
    report: Report | None
    set_by_secretariat: bool
    cycle: int = DEFAULT_CYCLE_YEARS

    @property
    def period(self) -> tuple[int, int] | None:
        """The years the report covers: from the previous due year (or the designation) to its due year."""
        return None if self.due_year is None else (self.due_year - self.cycle, self.due_year)


def standing(
    city: City, reports: dict[int, Report], cycle: int, due_date: DueDate | None, today: date | None = None
) -> MemberStanding:
    """Where one member stands this year, from its due years and its reports (by due year)."""
    year = (today or date.today()).year
    first = first_due_year(city, cycle, due_date)
    overridden = due_date is not None
    if first is None:
        return MemberStanding(city, None, BoardState.UNKNOWN, None, overridden, cycle)
    if first > year:
        report = reports.get(first)
        state = _reported_state(report) or BoardState.NOT_YET_DUE
        return MemberStanding(city, first, state, report, overridden, cycle)
    last_due = first + (year - first) // cycle * cycle
    report = reports.get(last_due)
    if report is not None and report.status == ReportStatus.ACCEPTED:
        upcoming = last_due + cycle
        return MemberStanding(city, upcoming, BoardState.ACCEPTED, report, overridden, cycle)
    state = _reported_state(report) or (BoardState.DUE_THIS_YEAR if last_due == year else BoardState.OVERDUE)
    return MemberStanding(city, last_due, state, report, overridden, cycle)


def _reported_state(report: Report | None) -> BoardState | None:
    if report is None or report.status == ReportStatus.DRAFT:
        return None
    if report.status == ReportStatus.ACCEPTED:
        return BoardState.ACCEPTED
    return BoardState.SUBMITTED  # submitted, or sent back for changes: the ball is in play


def member_standing(city: City, today: date | None = None) -> MemberStanding:
    cycle = cycle_years()
    due_date = DueDate.objects.filter(city=city).first()
    reports = {report.due_year: report for report in Report.objects.filter(city=city)}
    return standing(city, reports, cycle, due_date, today)


def board(today: date | None = None, field: str = "", region: str = "", state: str = "") -> list[MemberStanding]:
    """Every member's standing, in four queries whatever the number of members."""
    cycle = cycle_years()
    cities = City.objects.members().select_related("country", "field").order_by("name", "pk")
    if field:
        cities = cities.filter(field__slug=field)
    if region:
        cities = cities.filter(country__region=region)
    due_dates = {due.city_id: due for due in DueDate.objects.all()}
    reports: dict[int, dict[int, Report]] = {}
    for report in Report.objects.filter(city__is_member=True).order_by("due_year"):
        reports.setdefault(report.city_id, {})[report.due_year] = report
    rows = [standing(city, reports.get(city.pk, {}), cycle, due_dates.get(city.pk), today) for city in cities]
    return [row for row in rows if not state or row.state == state]


@dataclass(frozen=True)
class StateCounts:
    label: str
    counts: list[int]
    total: int


def counts_by(rows: list[MemberStanding], key: str) -> list[StateCounts]:
    """The number of members in each state, per creative field or per region."""
    groups: dict[str, Counter[str]] = {}
    for row in rows:
        if key == "field":
            label = row.city.field.localized_name if row.city.field else _("No field")
        else:
            label = str(Region(row.city.region).label) if row.city.region else _("Region unknown")
        groups.setdefault(label, Counter())[row.state] += 1
    return [
        StateCounts(label, [counter[state] for state in BoardState.values], sum(counter.values()))
        for label, counter in sorted(groups.items())
    ]


CSV_HEADER = [
    "city",
    "identifier",
    "country",
    "region",
    "creative_field",
    "designation_year",
    "due_year",
    "state",
    "report_status",
    "submitted_at",
    "accepted_at",
    "due_year_set_by_secretariat",
]


def board_csv(rows: list[MemberStanding]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        city, report = row.city, row.report
        writer.writerow(
            [
                city.name,
                city.slug,
                city.country.code if city.country else "",
                city.region,
                city.field.slug if city.field else "",
                city.designation_year or "",
                row.due_year or "unknown",
                row.state.value,
                report.status if report else "",
                report.submitted_at.isoformat() if report and report.submitted_at else "",
                report.accepted_at.isoformat() if report and report.accepted_at else "",
                "yes" if row.set_by_secretariat else "no",
            ]
        )
    return buffer.getvalue()


def counts_csv(rows: list[MemberStanding]) -> str:
    """The counts per creative field and per region, as on the "reporting status" page."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["group", "name", *BoardState.values, "total"])
    for key in ("field", "region"):
        for counts in counts_by(rows, key):
            writer.writerow([key, counts.label, *counts.counts, counts.total])
    return buffer.getvalue()


@transaction.atomic
def set_cycle_years(years: int, user: AnyUser) -> ReportingRule:
    if not can_manage_schedule(user):
        raise MonitoringError([_("Only the secretariat changes the reporting rule.")], permission=True)
    if not 1 <= years <= MAX_CYCLE_YEARS:
        raise MonitoringError([_("A reporting cycle lasts from 1 to %(max)s years.") % {"max": MAX_CYCLE_YEARS}])
    rule = ReportingRule.objects.select_for_update().order_by("pk").first() or ReportingRule()
    rule.cycle_years = years
    rule.changed_by = user if isinstance(user, User) else None
    rule.save()
    return rule


@transaction.atomic
def set_due_year(city: City, due_year: int | None, user: AnyUser, note: str = "") -> DueDate | None:
    """Set one member's due year (None goes back to the rule)."""
    if not can_manage_schedule(user):
        raise MonitoringError([_("Only the secretariat sets due dates.")], permission=True)
    if due_year is None:
        DueDate.objects.filter(city=city).delete()
        return None
    if not 1950 <= due_year <= date.today().year + 20:
        raise MonitoringError([_("Give a due year between 1950 and %(max)s.") % {"max": date.today().year + 20}])
    due, _created = DueDate.objects.update_or_create(
        city=city,
        defaults={"due_year": due_year, "note": note[:300], "set_by": user if isinstance(user, User) else None},
    )
    return due
