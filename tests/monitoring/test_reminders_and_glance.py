"""Reminders through the notifications (idempotent), and the counts of the network at a glance."""

from datetime import date

import pytest
from django.core.management import call_command

from ccx.accounts.models import Notification, NotificationKind
from ccx.cities.models import City
from ccx.monitoring import glance
from ccx.monitoring.reminders import send_reminders
from ccx.partnerships.models import PartnershipKind
from ccx.sdg.models import Target
from tests.conftest import Personas, make_user
from tests.partnerships.factories import agreed
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db


def test_reminders_reach_focal_points_of_members_due_or_overdue_once(personas: Personas) -> None:
    due_2026 = City.objects.members().filter(designation_year=2014).order_by("name").first()
    overdue = City.objects.members().filter(designation_year=2004).get()
    assert due_2026 is not None
    focal = make_user("focal-due", cities=(due_2026, overdue))
    # Ashgabat (focal point A) is not yet due: its focal point hears nothing
    assert send_reminders(date(2026, 6, 1)) == 2
    subjects = sorted(
        Notification.objects.filter(user=focal, kind=NotificationKind.REPORTS).values_list("subject", flat=True)
    )
    assert subjects == sorted(
        [
            f"The monitoring report of {due_2026.name} is due this year (2026)",
            f"The monitoring report of {overdue.name}, due in 2024, is overdue",
        ]
    )
    assert send_reminders(date(2026, 9, 1)) == 0
    call_command("send-report-reminders", "--no-progress")  # the command is the same function
    assert not Notification.objects.filter(user=personas.focal_a_user).exists()


def test_coverage_counts_published_practices_per_target_and_region(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Design school")
    practice.sdg_targets.set(Target.objects.filter(code__in=["11.4"]))
    other = published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b, "Tea houses")
    other.sdg_targets.set(Target.objects.filter(code__in=["11.4", "8.9"]))
    rows = {row.target.code: row for row in glance.coverage(11)}
    assert len(rows) == 10
    asia = [region.value for region in glance.REGIONS].index("AS")
    assert rows["11.4"].counts[asia] == 2
    assert rows["11.4"].total == 2
    assert rows["11.1"].total == 0
    assert [row.target.code for row in glance.coverage()] == ["8.9", "11.4"]
    assert rows["11.4"].cells[asia] == (2, 1)


def test_ties_count_public_partnerships_by_kind(personas: Personas) -> None:
    agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b, title="Exchange")
    rows = {row.city.slug: row for row in glance.ties()}
    kind = list(PartnershipKind.values).index(PartnershipKind.KNOWLEDGE_EXCHANGE)
    assert set(rows) == {"ashgabat-tm", "gangneung-kr"}
    assert rows["ashgabat-tm"].by_kind[kind] == 1
    assert rows["ashgabat-tm"].partnerships == 1
    assert glance.members_without_ties() == 348
