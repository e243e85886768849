"""The pages, for each persona: who sees and edits reports and values; the board's queries and CSV."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccx.cities.models import City
from ccx.monitoring.models import Report, ReportDraft, ReportStatus
from ccx.sdg.models import Indicator, IndicatorValue
from tests.factories import make_city
from tests.monitoring.conftest import Everyone
from tests.monitoring.factories import complete_report, submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def statuses(everyone: Everyone, url: str, method: str = "get", data: dict[str, str] | None = None) -> dict[str, int]:
    return {name: getattr(client, method)(url, data or {}).status_code for name, client in everyone.clients().items()}


def test_a_draft_is_seen_by_its_citys_focal_points_and_the_secretariat_alone(everyone: Everyone) -> None:
    report = complete_report(everyone.personas.focal_a_user, everyone.personas.city_a)
    assert statuses(everyone, f"/progress/reports/{report.pk}/") == {
        "anonymous": 404,
        "focal_a": 200,
        "focal_b": 404,
        "secretariat": 200,
        "member": 404,
        "partner": 404,
    }
    edit = statuses(everyone, f"/progress/reports/{report.pk}/edit/")
    assert edit == {"anonymous": 302, "focal_a": 200, "focal_b": 404, "secretariat": 200, "member": 404, "partner": 404}


def test_an_accepted_report_is_public_and_no_longer_editable(everyone: Everyone) -> None:
    report = submitted_report(everyone.personas.focal_a_user, everyone.personas.city_a)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)
    seen = statuses(everyone, f"/progress/reports/{report.pk}/")
    assert set(seen.values()) == {200}
    edit = statuses(everyone, f"/progress/reports/{report.pk}/edit/")
    assert edit == {"anonymous": 302, "focal_a": 403, "focal_b": 403, "secretariat": 403, "member": 403, "partner": 403}


def test_only_the_citys_focal_points_and_the_secretariat_start_a_report(everyone: Everyone) -> None:
    url = f"/progress/cities/{everyone.personas.city_a.slug}/reports/start/"
    results = {}
    for name, client in everyone.clients().items():
        response = client.post(url)
        results[name] = response.status_code
        Report.objects.all().delete()
    assert results == {
        "anonymous": 302,
        "focal_a": 302,
        "focal_b": 403,
        "secretariat": 302,
        "member": 403,
        "partner": 403,
    }


def test_the_form_saves_a_revision_and_autosave_keeps_what_was_typed(everyone: Everyone) -> None:
    personas = everyone.personas
    report = complete_report(personas.focal_a_user, personas.city_a)
    typed = {"language": "en", "contribution": "Typed but not saved", "target_codes": "11.4"}
    assert personas.focal_a.post(f"/progress/reports/{report.pk}/autosave/", typed).status_code == 200
    assert personas.focal_b.post(f"/progress/reports/{report.pk}/autosave/", typed).status_code == 404
    draft = ReportDraft.objects.get()
    assert draft.data["contribution"] == "Typed but not saved"
    page = personas.focal_a.get(f"/progress/reports/{report.pk}/edit/").content.decode()
    assert "Typed but not saved" in page
    assert "were restored" in page

    form = {
        "language": "en",
        "contribution": "Saved contribution",
        "local_initiatives": "- Local",
        "international_initiatives": "- International",
        "action_plan": "- Plan",
        "resources": "Budget",
        "sdg_contribution": "Targets",
        "target_codes": "11.4, 4.4",
    }
    response = personas.focal_a.post(f"/progress/reports/{report.pk}/edit/", form)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.contribution == "Saved contribution"
    assert sorted(report.sdg_targets.values_list("code", flat=True)) == ["11.4", "4.4"]
    assert not ReportDraft.objects.exists()
    history = personas.focal_a.get(f"/progress/reports/{report.pk}/history/").content.decode()
    assert "Revision 3" in history
    assert "Saved contribution" in history
    bad = personas.focal_a.post(f"/progress/reports/{report.pk}/edit/", {**form, "target_codes": "11.99"})
    assert "Unknown SDG target(s): 11.99." in bad.content.decode()


def test_the_review_through_the_pages(everyone: Everyone) -> None:
    personas = everyone.personas
    report = complete_report(personas.focal_a_user, personas.city_a)
    assert personas.focal_b.post(f"/progress/reports/{report.pk}/act/", {"action": "submit"}).status_code == 404
    personas.focal_a.post(f"/progress/reports/{report.pk}/act/", {"action": "submit"})
    assert personas.focal_a.post(f"/progress/reports/{report.pk}/act/", {"action": "accept"}).status_code == 403
    personas.secretariat.post(f"/progress/reports/{report.pk}/act/", {"action": "request_changes", "comment": "More."})
    report.refresh_from_db()
    assert report.status == ReportStatus.CHANGES_REQUESTED
    page = personas.focal_a.get(f"/progress/reports/{report.pk}/").content.decode()
    assert "More." in page


def test_the_board_is_for_the_secretariat_with_a_csv(everyone: Everyone) -> None:
    assert statuses(everyone, "/progress/board/") == {
        "anonymous": 302,
        "focal_a": 302,
        "focal_b": 302,
        "secretariat": 200,
        "member": 302,
        "partner": 302,
    }
    response = everyone.personas.secretariat.get("/progress/board/?region=EU&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert len(lines) == 1 + City.objects.members().filter(country__region="EU").count()
    page = everyone.personas.secretariat.get("/progress/board/?state=unknown").content.decode()
    assert "28 members" in page


@pytest.mark.parametrize("extra", [1, 3])
def test_the_board_reads_the_same_number_of_queries_whatever_the_rows(everyone: Everyone, extra: int) -> None:
    staff = everyone.personas.secretariat
    with CaptureQueriesContext(connection) as before:
        staff.get("/progress/board/")
    for index in range(extra):
        city = make_city(f"Testville {index}", year=2015 + index)
        user = everyone.personas.focal_a_user
        user.focal_point_of.add(city)
        submitted_report(user, city)
    with CaptureQueriesContext(connection) as after:
        staff.get("/progress/board/")
    assert len(after.captured_queries) == len(before.captured_queries)


def test_indicator_values_are_edited_by_the_citys_focal_points_and_the_secretariat(everyone: Everyone) -> None:
    url = "/progress/cities/ashgabat-tm/sdg/values/new/"
    indicator = Indicator.objects.get(code="11.6.2")
    results = {}
    for name, client in everyone.clients().items():
        data = {"indicator": indicator.pk, "year": "2020", "value": "12,5", "unit": "µg/m³", "source": name}
        results[name] = client.post(url, data).status_code
    assert results == {
        "anonymous": 302,
        "focal_a": 302,
        "focal_b": 403,
        "secretariat": 200,
        "member": 403,
        "partner": 403,
    }
    value = IndicatorValue.objects.get()  # the secretariat's attempt was the same year: refused as a duplicate
    assert (value.source, str(value.value.normalize())) == ("focal_a", "12.5")
    bad = everyone.personas.focal_a.post(
        url, {"indicator": indicator.pk, "year": "2021", "value": "-3", "unit": "%", "source": "S"}
    )
    assert "A percentage lies between 0 and 100." in bad.content.decode()
    assert IndicatorValue.objects.count() == 1
    delete = f"/progress/cities/ashgabat-tm/sdg/values/{value.pk}/delete/"
    assert everyone.personas.focal_b.post(delete).status_code == 403
    assert everyone.personas.focal_a.post(delete).status_code == 302
    assert not IndicatorValue.objects.exists()


def test_glance_views_and_their_csv_are_for_the_secretariat(everyone: Everyone) -> None:
    for url in ("/progress/glance/", "/progress/glance/reporting/", "/progress/glance/ties/"):
        seen = statuses(everyone, url)
        assert seen["secretariat"] == 200
        assert {name for name, status in seen.items() if status == 200} == {"secretariat"}
        csv = everyone.personas.secretariat.get(url + "?format=csv")
        assert csv["Content-Type"] == "text/csv; charset=utf-8"
    heat = everyone.personas.secretariat.get("/progress/glance/?goal=11&format=csv").content.decode().splitlines()
    assert heat[0] == "target,title,AF,AS,EU,NA,SA,OC,region_unknown,total"
    assert [line.split(",")[0] for line in heat[1:]] == [
        "11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.a", "11.b", "11.c",
    ]  # fmt: skip
