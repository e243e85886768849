"""When members owe their reports: the rule, the secretariat's own due dates, and the board on the real data."""

from datetime import date

import pytest

from ccx.cities.models import City
from ccx.monitoring import schedule
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.models import ReportStatus
from ccx.monitoring.schedule import BoardState
from tests.conftest import Personas
from tests.monitoring.factories import submitted_report

pytestmark = pytest.mark.django_db
MID_2026 = date(2026, 6, 1)


def expected_due(designation: int, year: int, cycle: int = 4) -> int:
    """Written differently from the code: walk the due years one by one."""
    due = designation + cycle
    while due + cycle <= year:
        due += cycle
    return due


def test_the_board_lists_every_member_with_its_due_year_from_its_real_designation_year() -> None:
    rows = schedule.board(MID_2026)
    members = {city.slug: city for city in City.objects.members()}
    assert len(rows) == len(members) == 350
    unknown = [row for row in rows if row.due_year is None]
    assert len(unknown) == 28
    assert all(row.state == BoardState.UNKNOWN and row.city.designation_year is None for row in unknown)
    for row in rows:
        year = members[row.city.slug].designation_year
        if year is not None:
            assert row.due_year == expected_due(year, 2026), row.city.slug


def test_states_follow_the_year() -> None:
    rows = {row.city.slug: row for row in schedule.board(MID_2026)}
    ashgabat = rows["ashgabat-tm"]  # designated 2023: first report due in 2027
    assert (ashgabat.due_year, ashgabat.state) == (2027, BoardState.NOT_YET_DUE)
    by_year = {
        row.city.designation_year: row for row in rows.values() if row.city.designation_year in (2004, 2014, 2015)
    }
    assert (by_year[2015].due_year, by_year[2015].state) == (2023, BoardState.OVERDUE)
    assert (by_year[2014].due_year, by_year[2014].state) == (2026, BoardState.DUE_THIS_YEAR)
    assert (by_year[2004].due_year, by_year[2004].state) == (2024, BoardState.OVERDUE)


def test_the_secretariat_changes_the_rule_and_a_members_due_year(personas: Personas) -> None:
    staff = personas.secretariat_user
    schedule.set_cycle_years(5, staff)
    ashgabat = schedule.member_standing(personas.city_a, MID_2026)
    assert ashgabat.due_year == 2028
    unknown_city = City.objects.members().filter(designation_year__isnull=True).first()
    assert unknown_city is not None
    schedule.set_due_year(unknown_city, 2025, staff, "agreed by letter")
    standing = schedule.member_standing(unknown_city, MID_2026)
    assert (standing.due_year, standing.state, standing.set_by_secretariat) == (2025, BoardState.OVERDUE, True)
    schedule.set_due_year(unknown_city, None, staff)
    assert schedule.member_standing(unknown_city, MID_2026).state == BoardState.UNKNOWN


def test_only_the_secretariat_changes_the_schedule_and_bad_values_change_nothing(personas: Personas) -> None:
    with pytest.raises(MonitoringError) as refused:
        schedule.set_cycle_years(3, personas.focal_a_user)
    assert refused.value.permission
    with pytest.raises(MonitoringError):
        schedule.set_cycle_years(0, personas.secretariat_user)
    with pytest.raises(MonitoringError):
        schedule.set_due_year(personas.city_a, 1700, personas.secretariat_user)
    assert schedule.cycle_years() == 4
    assert schedule.member_standing(personas.city_a, MID_2026).due_year == 2027


def test_a_submitted_then_accepted_report_shows_on_the_board(personas: Personas) -> None:
    report = submitted_report(personas.focal_a_user, personas.city_a)
    assert schedule.member_standing(personas.city_a, MID_2026).state == BoardState.SUBMITTED
    report.status = ReportStatus.ACCEPTED
    report.save()
    accepted = schedule.member_standing(personas.city_a, date(2027, 3, 1))
    assert (accepted.state, accepted.due_year) == (BoardState.ACCEPTED, 2031)
    assert schedule.member_standing(personas.city_a, date(2031, 3, 1)).state == BoardState.DUE_THIS_YEAR


def test_the_csv_has_one_row_per_member_and_says_unknown() -> None:
    rows = schedule.board(MID_2026)
    lines = schedule.board_csv(rows).splitlines()
    assert lines[0].split(",") == schedule.CSV_HEADER
    assert len(lines) == 351
    assert sum(1 for line in lines[1:] if ",unknown,unknown," in line) == 28
