"""The cooperation API: the same visibility and the same life-cycle rules as the pages."""

import json
from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client

from ccx.cities.models import City
from ccx.partnerships.models import Partnership, Transfer
from ccx.practices.models import Practice
from tests.conftest import Personas, client_for, make_user
from tests.partnerships.factories import agreed, proposed
from tests.practices.factories import published_practice


def post(client: Client, url: str, data: Mapping[str, object]) -> tuple[int, Any]:
    response = client.post(url, json.dumps(data), content_type="application/json")
    return response.status_code, response.json()


PROPOSAL = {
    "title": "Design and food week",
    "kind": "joint_project",
    "goals": "A joint week of design and food.",
    "proposer_city": "ashgabat-tm",
    "cities": ["gangneung-kr"],
    "milestones": [{"due_on": "2027-05-01", "title": "Programme agreed"}],
}


def test_propose_confirm_and_agree_over_the_api(personas: Personas) -> None:
    status, body = post(personas.focal_a, "/api/v1/partnerships", PROPOSAL)
    assert status == 201
    assert body["status"] == "proposed"
    party_b = next(p["id"] for p in body["parties"] if p["city"] == "gangneung-kr")
    url = f"/api/v1/partnerships/{body['slug']}/steps"
    assert post(personas.focal_a, url, {"action": "confirm", "party": party_b})[0] == 403
    status, body = post(personas.focal_b, url, {"action": "confirm", "party": party_b})
    assert status == 200
    assert body["status"] == "agreed"
    assert [(e["action"], e["to_status"]) for e in body["history"]] == [
        ("proposed", ""),
        ("confirmed", "in_discussion"),
        ("agreed", "agreed"),
    ]


def test_no_step_is_skipped_over_the_api(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    url = f"/api/v1/partnerships/{partnership.slug}/steps"
    assert post(personas.focal_a, url, {"action": "activate"}) == (
        409,
        {"detail": "A partnership that is proposed cannot be started."},
    )
    assert post(personas.focal_a, url, {"action": "agree"})[0] == 422
    partnership.refresh_from_db()
    assert partnership.status == "proposed"


def test_a_third_city_cannot_confirm_over_the_api(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    party_b = partnership.parties.get(city=personas.city_b)
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    url = f"/api/v1/partnerships/{partnership.slug}/steps"
    assert post(outsider, url, {"action": "confirm", "party": party_b.pk})[0] == 404
    partnership.refresh_from_db()
    assert partnership.status == "proposed"


def test_reading_follows_visibility(personas: Personas) -> None:
    proposed(personas.focal_a_user, personas.city_a, personas.city_b, title="Secret proposal")
    agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b, title="Public agreement")
    anonymous = personas.anonymous.get("/api/v1/partnerships").json()
    party = personas.focal_b.get("/api/v1/partnerships").json()
    assert [item["title"] for item in anonymous["items"]] == ["Public agreement"]
    assert sorted(item["title"] for item in party["items"]) == ["Public agreement", "Secret proposal"]
    assert personas.anonymous.get("/api/v1/partnerships?status=dreaming").status_code == 422


def test_anonymous_cannot_write(personas: Personas) -> None:
    assert post(personas.anonymous, "/api/v1/partnerships", PROPOSAL)[0] == 401
    assert not Partnership.objects.exists()


def test_bad_proposals_change_nothing(personas: Personas) -> None:
    status, body = post(
        personas.focal_a, "/api/v1/partnerships", {**PROPOSAL, "kind": "marriage", "cities": ["atlantis"]}
    )
    assert status == 422
    assert body["problems"] == ["Unknown kind 'marriage'.", "No city 'atlantis'."]
    status, body = post(personas.focal_a, "/api/v1/partnerships", {**PROPOSAL, "proposer_city": "gangneung-kr"})
    assert status == 403
    assert not Partnership.objects.exists()


@pytest.fixture
def practice_a(personas: Personas) -> Practice:
    return published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Design bazaar")


def test_transfers_over_the_api(personas: Personas, practice_a: Practice) -> None:
    data = {"practice": practice_a.slug, "to_city": "gangneung-kr", "what_adapted": "The bazaar.", "status": "adapting"}
    assert post(personas.anonymous, "/api/v1/transfers", data)[0] == 401
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    assert post(outsider, "/api/v1/transfers", data)[0] == 403
    status, body = post(personas.focal_b, "/api/v1/transfers", data)
    assert status == 201
    assert (body["from_city"], body["to_city"], body["status"]) == ("ashgabat-tm", "gangneung-kr", "adapting")
    assert post(personas.focal_b, "/api/v1/transfers", data)[1]["problems"] == [
        "This transfer is already recorded; update it instead."
    ]
    listing = personas.anonymous.get("/api/v1/transfers?city=gangneung-kr").json()
    assert [item["practice"] for item in listing["items"]] == [practice_a.slug]
    response = personas.focal_a.patch(
        f"/api/v1/transfers/{body['id']}",
        json.dumps({"what_adapted": "The bazaar.", "status": "exploring"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Transfer.objects.get().status == "adapting"
    network = personas.anonymous.get("/api/v1/network").json()
    assert (network["transfers"], network["links"][0]["source"]) == (1, "ashgabat-tm")


def test_partnerships_are_in_the_openapi_document(personas: Personas) -> None:
    paths = personas.anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/partnerships", "/api/v1/partnerships/{slug}/steps", "/api/v1/transfers", "/api/v1/network"} <= set(
        paths
    )
