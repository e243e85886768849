"""The challenges API: the pages' visibility for reading, the domain's rights for writing, readable errors."""

import json
from collections.abc import Mapping

import pytest
from django.test import Client

from ccx.challenges.models import Challenge, ChallengeStatus, ClinicResponse, Second, Visibility
from ccx.practices.models import Practice
from tests.challenges.factories import STATEMENT, make_challenge
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, payload: Mapping[str, object]) -> tuple[int, dict[str, object]]:
    response = getattr(client, method)(url, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def each(personas: Personas, method: str, url: str, payload: Mapping[str, object]) -> dict[str, int]:
    return {name: send(client, method, url, payload)[0] for name, client in personas.all().items()}


def test_anonymous_reads_public_challenges_only(personas: Personas) -> None:
    network = make_challenge(personas.focal_a_user, personas.city_a, title="Empty shops for members")
    public = make_challenge(
        personas.focal_a_user, personas.city_a, title="Empty shops for all", visibility=Visibility.PUBLIC
    )
    body = personas.anonymous.get("/api/v1/challenges?q=empty").json()
    assert (body["count"], [item["slug"] for item in body["items"]]) == (1, [public.slug])
    assert personas.anonymous.get(f"/api/v1/challenges/{network.slug}").status_code == 404
    assert personas.anonymous.get(f"/api/v1/challenges/{network.slug}/responses").status_code == 404
    assert personas.focal_b.get("/api/v1/challenges").json()["count"] == 2
    detail = personas.focal_b.get(f"/api/v1/challenges/{network.slug}").json()
    assert (detail["city"], detail["country"], detail["status"], detail["visibility"]) == (
        "ashgabat-tm",
        "TM",
        "open",
        "network",
    )
    bad = personas.anonymous.get("/api/v1/challenges?status=maybe")
    assert (bad.status_code, bad.json()["detail"]) == (422, "Unknown status 'maybe'.")


def test_posting_and_changing_through_the_api(personas: Personas) -> None:
    payload: dict[str, object] = {
        "city": personas.city_a.slug,
        "title": "Empty shops",
        "statement": STATEMENT,
        "obstacles": ["Landlords wait", "No budget line"],
        "themes": ["economy"],
        "sdg_goals": [8, 11],
        "budget_band": "10k_100k",
        "time_frame_months": 18,
        "visibility": "public",
    }
    found = each(personas, "post", "/api/v1/challenges", payload)
    assert found == {"anonymous": 401, "focal_a": 201, "focal_b": 403, "secretariat": 201}
    first = Challenge.objects.order_by("pk").first()
    assert first is not None
    body = personas.anonymous.get(f"/api/v1/challenges/{first.slug}").json()
    assert (body["obstacles"], body["themes"], body["sdg_goals"], body["time_frame_months"]) == (
        ["Landlords wait", "No budget line"],
        ["economy"],
        [8, 11],
        18,
    )
    found = each(personas, "patch", f"/api/v1/challenges/{first.slug}", {"goals": "Fill 20 units"})
    assert found == {"anonymous": 401, "focal_a": 200, "focal_b": 403, "secretariat": 200}
    first.refresh_from_db()
    assert first.goals == "Fill 20 units"


def test_bad_values_are_named_and_nothing_changes(personas: Personas) -> None:
    status, body = send(
        personas.focal_a,
        "post",
        "/api/v1/challenges",
        {"city": personas.city_a.slug, "title": "", "statement": "", "budget_band": "lots", "themes": ["knitting"]},
    )
    assert (status, body["errors"]) == (422, {"themes": "Unknown: knitting."})
    status, body = send(
        personas.focal_a,
        "post",
        "/api/v1/challenges",
        {"city": personas.city_a.slug, "title": "", "statement": "", "budget_band": "lots"},
    )
    assert status == 422
    assert body["errors"] == {
        "title": "Give the challenge a title.",
        "statement": "Describe the problem in a few sentences.",
        "budget_band": "Unknown budget band 'lots'.",
    }
    assert Challenge.objects.count() == 0
    status, body = send(personas.focal_a, "post", "/api/v1/challenges", {"city": 5})
    assert (status, body["detail"]) == (422, "city: Input should be a valid string")


def test_the_clinic_through_the_api(personas: Personas, library: dict[str, Practice]) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a, visibility=Visibility.PUBLIC)
    base = f"/api/v1/challenges/{challenge.slug}"
    assert each(personas, "post", f"{base}/clinic", {"action": "open"}) == {
        "anonymous": 401,
        "focal_a": 200,
        "focal_b": 403,
        "secretariat": 422,  # already open
    }
    payload = {"kind": "practice", "text": "We did this.", "practice": "pop-up-studios-in-empty-shops"}
    assert each(personas, "post", f"{base}/responses", payload) == {
        "anonymous": 401,
        "focal_a": 403,
        "focal_b": 201,
        "secretariat": 201,
    }
    status, body = send(personas.focal_b, "post", f"{base}/responses", {"kind": "practice", "text": "No practice"})
    assert (status, body["errors"]) == (422, {"practice": "Choose the practice you offer from the library."})
    by_b = ClinicResponse.objects.get(author=personas.focal_b_user)
    assert each(personas, "post", f"{base}/responses/{by_b.pk}/seconds", {}) == {
        "anonymous": 401,
        "focal_a": 201,
        "focal_b": 422,  # their own
        "secretariat": 201,
    }
    status, body = send(personas.secretariat, "post", f"{base}/responses/{by_b.pk}/seconds", {})
    assert (status, body["detail"]) == (422, "request: You have already seconded this response.")
    assert Second.objects.count() == 2
    assert each(personas, "put", f"{base}/responses/{by_b.pk}/helped", {"helped": True}) == {
        "anonymous": 401,
        "focal_a": 200,
        "focal_b": 403,
        "secretariat": 200,
    }
    responses = personas.anonymous.get(f"{base}/responses").json()["items"]
    assert [(r["kind"], r["city"], r["practice"], r["helped"], r["seconds"]) for r in responses] == [
        ("practice", "gangneung-kr", "pop-up-studios-in-empty-shops", True, 2),
        ("practice", None, "pop-up-studios-in-empty-shops", False, 0),
    ]
    conclusion = {"key_obstacles": "High rents", "ideas": "Pop-up leases"}
    assert each(personas, "put", f"{base}/conclusion", conclusion) == {
        "anonymous": 401,
        "focal_a": 200,
        "focal_b": 403,
        "secretariat": 200,
    }
    body = personas.anonymous.get(base).json()
    assert (body["status"], body["conclusion_ideas"]) == (ChallengeStatus.CONCLUDED, "Pop-up leases")


def test_matches_and_invitations_through_the_api(personas: Personas, library: dict[str, Practice]) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a, visibility=Visibility.PUBLIC)
    base = f"/api/v1/challenges/{challenge.slug}"
    matches = personas.anonymous.get(f"{base}/matches").json()
    assert matches["matches"][0]["practice"] == "pop-up-studios-in-empty-shops"
    assert matches["matches"][0]["reasons"][0].startswith("addresses the same problem")
    assert [peer["city"] for peer in matches["peers"]] == ["gangneung-kr"]
    assert each(personas, "post", f"{base}/invitations", {"city": "gangneung-kr"}) == {
        "anonymous": 401,
        "focal_a": 201,
        "focal_b": 403,
        "secretariat": 201,
    }
    status, body = send(personas.focal_a, "post", f"{base}/invitations", {"city": "atlantis"})
    assert (status, body["errors"]) == (422, {"city": "Unknown."})
    assert challenge.invitations.count() == 1


def test_the_openapi_document_lists_the_challenge_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert sorted(path for path in paths if path.startswith("/api/v1/challenges")) == [
        "/api/v1/challenges",
        "/api/v1/challenges/{slug}",
        "/api/v1/challenges/{slug}/clinic",
        "/api/v1/challenges/{slug}/conclusion",
        "/api/v1/challenges/{slug}/invitations",
        "/api/v1/challenges/{slug}/matches",
        "/api/v1/challenges/{slug}/responses",
        "/api/v1/challenges/{slug}/responses/{response_id}/helped",
        "/api/v1/challenges/{slug}/responses/{response_id}/seconds",
    ]
