"""The API: reporting status for everyone, report content where the caller may see it, indicator values."""

import json

import pytest

from ccx.monitoring.models import ReportStatus
from ccx.sdg.models import IndicatorValue
from tests.monitoring.conftest import Everyone
from tests.monitoring.factories import complete_report

pytestmark = pytest.mark.django_db


def test_everyone_reads_every_members_status_but_report_ids_only_where_they_may(everyone: Everyone) -> None:
    report = complete_report(everyone.personas.focal_a_user, everyone.personas.city_a)
    for name, client in everyone.clients().items():
        rows = client.get("/api/v1/reports/status").json()["items"]
        assert len(rows) == 350
        ashgabat = next(row for row in rows if row["city"] == "ashgabat-tm")
        assert (ashgabat["due_year"], ashgabat["state"]) == (2027, "not_yet_due")
        assert ashgabat["report_id"] == (report.pk if name in ("focal_a", "secretariat") else None), name
        assert sum(1 for row in rows if row["due_year"] is None and row["state"] == "unknown") == 28


def test_report_content_follows_visibility(everyone: Everyone) -> None:
    report = complete_report(everyone.personas.focal_a_user, everyone.personas.city_a)
    seen = {name: client.get(f"/api/v1/reports/{report.pk}").status_code for name, client in everyone.clients().items()}
    assert seen == {"anonymous": 404, "focal_a": 200, "focal_b": 404, "secretariat": 200, "member": 404, "partner": 404}
    listed = {name: len(client.get("/api/v1/reports").json()["items"]) for name, client in everyone.clients().items()}
    assert listed == {"anonymous": 0, "focal_a": 1, "focal_b": 0, "secretariat": 1, "member": 0, "partner": 0}
    body = everyone.personas.focal_a.get(f"/api/v1/reports/{report.pk}").json()
    assert (body["status"], body["resources"], body["sdg_targets"]) == ("draft", "Two staff, 50,000 USD a year", [])


def test_the_workflow_through_the_api_maps_domain_errors_once(everyone: Everyone) -> None:
    personas = everyone.personas
    report = complete_report(personas.focal_a_user, personas.city_a)
    url = f"/api/v1/reports/{report.pk}/workflow"
    accept = personas.focal_a.post(url, json.dumps({"action": "accept"}), content_type="application/json")
    assert (accept.status_code, accept.json()) == (403, {"detail": "Only the secretariat accepts reports."})
    submitted = personas.focal_a.post(url, json.dumps({"action": "submit"}), content_type="application/json")
    assert (submitted.status_code, submitted.json()["status"]) == (200, ReportStatus.SUBMITTED)
    again = personas.focal_a.post(url, json.dumps({"action": "submit"}), content_type="application/json")
    refusal = "A report that is submitted cannot become submitted."
    # The API's one error shape (ccx/api/errors.py): the detail, and the problems one by one.
    assert (again.status_code, again.json()) == (422, {"detail": refusal, "problems": [refusal]})
    blank = personas.secretariat.post(
        url, json.dumps({"action": "request_changes", "comment": ""}), content_type="application/json"
    )
    assert (blank.status_code, blank.json()) == (
        422,
        {"detail": "Say what should change.", "problems": ["Say what should change."]},
    )
    assert (
        personas.anonymous.post(url, json.dumps({"action": "submit"}), content_type="application/json").status_code
        == 401
    )


def test_indicator_values_in_and_out(everyone: Everyone) -> None:
    payload = {"indicator": "11.6.2", "year": 2020, "value": "18.5", "unit": "µg/m³", "source": "Test survey"}
    url = "/api/v1/cities/ashgabat-tm/indicator-values"
    codes = {
        name: client.post(url, json.dumps({**payload, "source": name}), content_type="application/json").status_code
        for name, client in everyone.clients().items()
    }
    assert codes == {
        "anonymous": 401,
        "focal_a": 201,
        "focal_b": 403,
        "secretariat": 409,
        "member": 403,
        "partner": 403,
    }
    bad = everyone.personas.focal_a.post(
        url, json.dumps({**payload, "year": 2021, "unit": "%", "value": "140"}), content_type="application/json"
    )
    assert (bad.status_code, bad.json()["errors"]) == (422, {"value": "A percentage lies between 0 and 100."})
    assert IndicatorValue.objects.count() == 1
    listed = everyone.personas.anonymous.get("/api/v1/indicator-values?city=ashgabat-tm").json()["items"]
    assert listed == [
        {
            "id": IndicatorValue.objects.get().pk,
            "city": "ashgabat-tm",
            "indicator": "11.6.2",
            "year": 2020,
            "value": "18.5",
            "unit": "µg/m³",
            "source": "focal_a",
            "method_note": "",
            "disaggregation": "",
        }
    ]


def test_the_endpoints_are_in_the_openapi_schema(everyone: Everyone) -> None:
    paths = everyone.personas.anonymous.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/reports/status",
        "/api/v1/reports",
        "/api/v1/reports/{report_id}",
        "/api/v1/reports/{report_id}/workflow",
        "/api/v1/indicator-values",
        "/api/v1/cities/{slug}/indicator-values",
    ):
        assert path in paths
