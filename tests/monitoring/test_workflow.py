"""A report's journey: pre-filled draft, submission, changes requested, acceptance, publication."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from ccx.accounts.models import Notification, NotificationKind
from ccx.monitoring import workflow
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.models import Report, ReportStatus
from ccx.publications.models import BuildStatus
from ccx.sdg.models import Target
from tests.challenges.factories import make_challenge
from tests.conftest import Personas
from tests.events.factories import make_event
from tests.monitoring.factories import COMPLETE, complete_report, submitted_report
from tests.monitoring.tools import assert_valid_epub, pdf_text
from tests.partnerships.factories import agreed
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def test_a_new_report_is_prefilled_from_the_citys_records(personas: Personas) -> None:
    focal, city = personas.focal_a_user, personas.city_a
    practice = published_practice(focal, personas.secretariat_user, city, "Design school for young people")
    practice.sdg_targets.set(Target.objects.filter(code__in=["11.4", "4.4"]))
    challenge = make_challenge(focal, city, "Empty workshops after the fair")
    partnership = agreed(focal, city, personas.focal_b_user, personas.city_b, title="Design and food exchange")
    event = make_event("Design week")
    event.cities.add(city)

    report = workflow.start_report(city, focal, "en")

    assert (report.due_year, report.period_start, report.period_end, report.status) == (2027, 2023, 2027, "draft")
    assert f"/practices/{practice.slug}/" in report.local_initiatives
    assert "Design school for young people" in report.local_initiatives
    site = settings.SITE_URL.rstrip("/")
    assert f"- Challenge: [Empty workshops after the fair]({site}{challenge.get_absolute_url()})" in (
        report.local_initiatives
    )
    assert (
        f"- Knowledge exchange: [Design and food exchange]({site}{partnership.get_absolute_url()}), with Gangneung"
        in report.international_initiatives
    )
    assert "Took part in [Design week]" in report.international_initiatives
    assert sorted(report.sdg_targets.values_list("code", flat=True)) == ["11.4", "4.4"]
    practice_link = f"[Design school for young people]({site}{practice.get_absolute_url()})"
    assert report.sdg_contribution == f"- 4.4, through {practice_link}\n- 11.4, through {practice_link}"
    assert report.contribution == (
        "Records of the city on the exchange for the period: good practices shared: 1; challenges posted: 1; "
        "partnerships: 1; transfers: 0; events: 1."
    )
    assert report.revisions.count() == 1
    assert workflow.start_report(city, focal, "en").pk == report.pk  # one report per cycle


def test_nothing_is_invented_for_a_city_without_records(personas: Personas) -> None:
    report = workflow.start_report(personas.city_a, personas.focal_a_user, "en")
    assert (report.contribution, report.local_initiatives, report.international_initiatives) == ("", "", "")


def test_submission_needs_every_section_and_the_review_goes_round(personas: Personas) -> None:
    focal, staff = personas.focal_a_user, personas.secretariat_user
    report = workflow.start_report(personas.city_a, focal, "en")
    with pytest.raises(MonitoringError) as incomplete:
        workflow.submit(report, focal)
    assert len(incomplete.value.problems) == 6
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    workflow.save_report(report, focal, COMPLETE)
    assert report.revisions.count() == 2
    workflow.submit(report, focal)
    assert Notification.objects.filter(user=staff, kind=NotificationKind.REPORTS).count() == 1
    assert not report.editable_by(focal)
    with pytest.raises(MonitoringError):
        workflow.save_report(report, focal, {"contribution": "late change"})

    with pytest.raises(MonitoringError):
        workflow.request_changes(report, staff, "  ")
    with pytest.raises(MonitoringError) as not_reviewer:
        workflow.request_changes(report, focal, "I approve myself")
    assert not_reviewer.value.permission
    workflow.request_changes(report, staff, "Add the budget of the design week.")
    told = Notification.objects.get(user=focal, kind=NotificationKind.REPORTS)
    assert (told.body, told.url) == ("Add the budget of the design week.", report.get_absolute_url())

    workflow.save_report(report, focal, {"resources": "Two staff; 50,000 USD a year for the design week"})
    workflow.submit(report, focal)
    workflow.comment(report, staff, "Thank you, reading it now.")
    event = workflow.accept(report, staff, "Well done.")
    report.refresh_from_db()
    assert (event.to_status, report.status) == (ReportStatus.ACCEPTED, ReportStatus.ACCEPTED)
    steps = list(report.events.values_list("from_status", "to_status"))
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "submitted"),
        ("submitted", "accepted"),
    ]
    with pytest.raises(MonitoringError):
        workflow.accept(report, staff)


def test_the_accepted_report_is_published_as_epub_and_pdf(personas: Personas) -> None:
    report = submitted_report(personas.focal_a_user, personas.city_a)
    workflow.accept(report, personas.secretariat_user)
    report.refresh_from_db()
    publication = report.publication
    assert publication is not None
    assert publication.is_published
    assert publication.title == "Monitoring report 2023–2027: Ashgabat"
    assert [chapter.title for chapter in publication.chapters.all()] == [
        "Contribution to the network's objectives",
        "Main initiatives at the local level",
        "Main initiatives at the international level",
        "Action plan for the next cycle",
        "Contributions to SDG targets",
    ]
    build = publication.builds.get()
    assert (build.status, build.language, sorted(build.formats)) == (BuildStatus.DONE, "en", ["epub", "pdf"])
    assert_valid_epub(build)
    text = pdf_text(build)
    assert "Ashgabat" in text
    assert "Two staff, 50,000 USD a year" in text
    assert "Design school for young people" in text


def test_drafts_are_for_the_citys_focal_points_and_the_secretariat(personas: Personas) -> None:
    report = complete_report(personas.focal_a_user, personas.city_a)
    visible = {
        name: list(Report.objects.visible_to(user))
        for name, user in (
            ("focal_a", personas.focal_a_user),
            ("focal_b", personas.focal_b_user),
            ("secretariat", personas.secretariat_user),
        )
    }
    assert visible == {"focal_a": [report], "focal_b": [], "secretariat": [report]}
    with pytest.raises(MonitoringError):
        workflow.start_report(personas.city_a, personas.focal_b_user)
    with pytest.raises(MonitoringError):
        workflow.submit(report, personas.focal_b_user)
