"""A report's life. One function per change of state: it checks, saves, logs and notifies, in that order.

draft ──submit──▶ submitted ──accept──▶ accepted (published as a web page, EPUB and PDF)
  ▲                  │
  └─ changes_requested ◀──request_changes──┘      (the secretariat may comment at any step)
"""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import notify_everyone
from ccx.accounts.permissions import AnyUser
from ccx.cities.models import City
from ccx.core.i18n import normalise_language
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.models import Report, ReportDraft, ReportEvent, ReportRevision, ReportStatus
from ccx.monitoring.permissions import can_edit_report, can_review, is_responsible_for
from ccx.monitoring.prefill import city_records, prefilled_sections
from ccx.monitoring.schedule import BoardState, member_standing
from ccx.practices.revisions import changed_fields
from ccx.sdg.models import Target

MAX_SECTION_CHARACTERS = 20_000
TEXT_FIELDS = (*Report.SECTIONS, "resources")
REQUIRED_FOR_SUBMISSION = {
    "contribution": gettext_lazy("Describe the city's contribution to the network's objectives."),
    "local_initiatives": gettext_lazy("List the main initiatives at the local level."),
    "international_initiatives": gettext_lazy("List the main initiatives at the international level."),
    "action_plan": gettext_lazy("Write the action plan for the next cycle."),
    "resources": gettext_lazy("Say which resources the action plan will have."),
}


def report_problems(report: Report, *, for_submission: bool = False) -> list[str]:
    """What is wrong with a report's texts; for submission, also what is still missing. The one validator."""
    problems = [
        _("“%(section)s” is longer than %(limit)s characters.")
        % {"section": Report.label(name), "limit": MAX_SECTION_CHARACTERS}
        for name in TEXT_FIELDS
        if len(getattr(report, name) or "") > MAX_SECTION_CHARACTERS
    ]
    if for_submission:
        problems += [
            str(message) for name, message in REQUIRED_FOR_SUBMISSION.items() if not getattr(report, name).strip()
        ]
        if not report.sdg_contribution.strip() and (report.pk is None or not report.sdg_targets.exists()):
            problems.append(_("Say to which SDG targets the city contributed."))
    return problems


def snapshot(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(report, name) for name in TEXT_FIELDS}
    data["language"] = report.language
    data["sdg_targets"] = sorted(report.sdg_targets.values_list("code", flat=True))
    return data


def record_revision(report: Report, author: AnyUser | None) -> ReportRevision | None:
    """Store the report's current state; None when nothing changed since the last revision."""
    current = snapshot(report)
    last = report.revisions.order_by("-number").first()
    changes = changed_fields(last.snapshot, current) if last else sorted(current)
    if last and not changes:
        return None
    number = (report.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    return ReportRevision.objects.create(
        report=report,
        number=number,
        author=author if isinstance(author, User) else None,
        snapshot=current,
        changed_fields=changes,
    )


@transaction.atomic
def start_report(city: City, user: AnyUser, language: str = "en") -> Report:
    """The report the city owes now (or next), pre-filled from its records of the period; an existing one is
    returned as it is."""
    if not is_responsible_for(user, city):
        raise MonitoringError(
            [_("Only the city's focal points and the secretariat write its report.")], permission=True
        )
    standing = member_standing(city)
    if standing.due_year is None:
        raise MonitoringError(
            [_("The due date of this city's report is unknown: the secretariat sets it on the reporting board.")]
        )
    existing = Report.objects.filter(city=city, due_year=standing.due_year).first()
    if existing is not None:
        return existing
    if standing.state == BoardState.ACCEPTED and standing.report is not None:
        return standing.report
    first, last = standing.period or (standing.due_year, standing.due_year)
    records = city_records(city, first, last)
    language = normalise_language(language)
    sections = prefilled_sections(city, records, language)
    report = Report.objects.create(
        city=city,
        due_year=standing.due_year,
        period_start=first,
        period_end=last,
        language=language,
        created_by=user if isinstance(user, User) else None,
        **sections,
    )
    report.sdg_targets.set(records.targets)
    record_revision(report, user)
    return report


@transaction.atomic
def save_report(report: Report, user: AnyUser, texts: dict[str, str], targets: list[Target] | None = None) -> bool:
    """Change the report's texts (and targets); True when something changed. Every save is a revision."""
    if not can_edit_report(user, report):
        raise MonitoringError([_("This report cannot be changed now, or not by you.")], permission=True)
    for name in TEXT_FIELDS:
        if name in texts:
            setattr(report, name, texts[name])
    if "language" in texts:
        report.language = normalise_language(texts["language"])
    problems = report_problems(report)
    if problems:
        raise MonitoringError(problems)
    report.save()
    if targets is not None:
        report.sdg_targets.set(targets)
    ReportDraft.objects.filter(report=report, user=user if isinstance(user, User) else None).delete()
    return record_revision(report, user) is not None


def _transition(report: Report, user: AnyUser, allowed: set[str], to: ReportStatus, comment: str = "") -> ReportEvent:
    if report.status not in allowed:
        raise MonitoringError(
            [
                _("A report that is %(current)s cannot become %(target)s.")
                % {"current": ReportStatus(report.status).label.lower(), "target": to.label.lower()}
            ]
        )
    previous = report.status
    report.status = to
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        report.submitted_at = now
    if to == ReportStatus.ACCEPTED:
        report.accepted_at = now
    report.save(update_fields=["status", "submitted_at", "accepted_at", "updated_at"])
    return ReportEvent.objects.create(
        report=report,
        actor=user if isinstance(user, User) else None,
        from_status=previous,
        to_status=to,
        comment=comment,
    )


def _tell(people: list[User], report: Report, event: ReportEvent, subject: str, actor: AnyUser) -> None:
    notify_everyone(
        people,
        subject,
        event.comment,
        report.get_absolute_url(),
        kind=NotificationKind.REPORTS,
        key=f"report-event:{event.pk}",
        except_for=actor,
    )


def _city_people(report: Report) -> list[User]:
    return list(User.objects.filter(focal_point_of=report.city_id, is_active=True).order_by("pk"))


def _secretariat() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))


@transaction.atomic
def submit(report: Report, user: AnyUser) -> ReportEvent:
    if not is_responsible_for(user, report.city):
        raise MonitoringError(
            [_("Only the city's focal points and the secretariat submit its report.")], permission=True
        )
    problems = report_problems(report, for_submission=True)
    if problems:
        raise MonitoringError(problems)
    event = _transition(report, user, {ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED}, ReportStatus.SUBMITTED)
    subject = _("Monitoring report submitted: %(city)s, %(start)s–%(end)s") % {
        "city": report.city.name,
        "start": report.period_start,
        "end": report.period_end,
    }
    _tell(_secretariat(), report, event, subject, user)
    return event


@transaction.atomic
def request_changes(report: Report, user: AnyUser, comment: str) -> ReportEvent:
    if not can_review(user):
        raise MonitoringError([_("Only the secretariat reviews reports.")], permission=True)
    if not comment.strip():
        raise MonitoringError([_("Say what should change.")])
    event = _transition(report, user, {ReportStatus.SUBMITTED}, ReportStatus.CHANGES_REQUESTED, comment.strip())
    subject = _("Changes requested on the monitoring report of %(city)s") % {"city": report.city.name}
    _tell(_city_people(report), report, event, subject, user)
    return event


def accept(report: Report, user: AnyUser, comment: str = "") -> ReportEvent:
    """Accept the report, then publish it (web page now; EPUB and PDF built in the background)."""
    from ccx.monitoring.publishing import publish_report

    with transaction.atomic():
        if not can_review(user):
            raise MonitoringError([_("Only the secretariat accepts reports.")], permission=True)
        event = _transition(report, user, {ReportStatus.SUBMITTED}, ReportStatus.ACCEPTED, comment.strip())
        subject = _("The monitoring report of %(city)s is accepted") % {"city": report.city.name}
        _tell(_city_people(report), report, event, subject, user)
    publish_report(report, user)
    return event


@transaction.atomic
def comment(report: Report, user: AnyUser, text: str) -> ReportEvent:
    """A comment of the secretariat that changes no state (a question, a note for the record)."""
    if not can_review(user):
        raise MonitoringError([_("Only the secretariat comments on reports.")], permission=True)
    if not text.strip():
        raise MonitoringError([_("Write the comment.")])
    event = ReportEvent.objects.create(
        report=report,
        actor=user if isinstance(user, User) else None,
        from_status=report.status,
        to_status=report.status,
        comment=text.strip(),
    )
    subject = _("The secretariat commented on the monitoring report of %(city)s") % {"city": report.city.name}
    _tell(_city_people(report), report, event, subject, user)
    return event


ACTIONS = {"submit", "request_changes", "accept", "comment"}


def perform(report: Report, user: AnyUser, action: str, text: str = "") -> ReportEvent:
    """Run the step named `action` (the page and the API both come through here)."""
    if action == "submit":
        return submit(report, user)
    if action == "request_changes":
        return request_changes(report, user, text)
    if action == "accept":
        return accept(report, user, text)
    if action == "comment":
        return comment(report, user, text)
    raise MonitoringError([_("Unknown action “%(action)s”.") % {"action": action}])
