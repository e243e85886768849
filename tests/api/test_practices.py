import json

import pytest
from django.test import Client

from ccx.practices.models import Practice, Status
from tests.conftest import Personas
from tests.practices.factories import make_practice, published_practice

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, payload: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = getattr(client, method)(url, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def test_anonymous_sees_published_practices_only(personas: Personas) -> None:
    draft = make_practice(personas.focal_a_user, personas.city_a, "Hidden draft")
    public = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Open one")
    body = personas.anonymous.get("/api/v1/practices").json()
    assert (body["count"], [item["slug"] for item in body["items"]]) == (1, [public.slug])
    assert personas.anonymous.get(f"/api/v1/practices/{draft.slug}").status_code == 404
    assert personas.focal_a.get(f"/api/v1/practices/{draft.slug}").json()["status"] == "draft"


def test_create_update_and_submit_through_the_api(personas: Personas) -> None:
    status, body = send(
        personas.focal_a,
        "post",
        "/api/v1/practices",
        {
            "title": "Open data for crafts markets",
            "lead_city": personas.city_a.slug,
            "summary": "Market stalls mapped with open data.",
            "description": "The city published stall data.",
            "themes": ["economy"],
            "technologies": ["open-data"],
            "sdg_goals": [11],
            "indicators": [{"name": "Stalls mapped", "value": 420, "unit": "stalls", "year": 2024}],
            "translations": [{"language": "fr", "title": "Données ouvertes pour les marchés artisanaux"}],
        },
    )
    assert status == 201
    slug = str(body["slug"])
    assert (body["status"], body["themes"], body["sdg_goals"]) == ("draft", ["economy"], [11])
    assert body["translations"] == {
        "fr": {"title": "Données ouvertes pour les marchés artisanaux", "tagline": "", "summary": "", "description": ""}
    }
    status, body = send(personas.focal_a, "patch", f"/api/v1/practices/{slug}", {"tagline": "Stalls on the map"})
    assert (status, body["tagline"]) == (200, "Stalls on the map")
    status, body = send(personas.focal_a, "post", f"/api/v1/practices/{slug}/workflow", {"action": "submit"})
    assert (status, body["status"]) == (200, "submitted")


def test_personas_on_writes(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    url = f"/api/v1/practices/{practice.slug}"
    statuses = {
        name: send(client, "patch", url, {"tagline": f"by {name}"})[0] for name, client in personas.all().items()
    }
    assert statuses == {"anonymous": 401, "focal_a": 200, "focal_b": 403, "secretariat": 200}
    assert (
        send(personas.focal_b, "post", "/api/v1/practices", {"title": "Mine", "lead_city": personas.city_a.slug})[0]
        == 403
    )
    assert send(personas.anonymous, "post", "/api/v1/practices", {"title": "Anonymous"})[0] == 401


def test_no_one_skips_a_step_through_the_api(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    url = f"/api/v1/practices/{practice.slug}/workflow"
    assert send(personas.focal_a, "post", url, {"action": "publish"})[0] == 403
    status, body = send(personas.secretariat, "post", url, {"action": "publish"})
    assert (status, body["detail"]) == (409, "A practice that is draft cannot become published.")
    assert send(personas.secretariat, "post", url, {"action": "teleport"})[0] == 422
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT


def test_validation_errors_name_each_field_and_change_nothing(personas: Personas) -> None:
    status, body = send(
        personas.focal_a,
        "post",
        "/api/v1/practices",
        {
            "title": "",
            "lead_city": "atlantis",
            "stage": "legendary",
            "themes": ["economy", "alchemy"],
            "links": ["ftp://old.example"],
            "summary": "word " * 151,
            "start_date": "2024-05-01",
            "end_date": "2023-01-01",
        },
    )
    assert status == 422
    assert body["errors"] == {
        "title": "A title is required.",
        "summary": "The summary has more than 150 words.",
        "stage": "Unknown value 'legendary'. Use one of: discontinued, idea, implemented, pilot, scaled.",
        "end_date": "The end date is before the start date.",
        "themes": "Unknown: alchemy.",
        "lead_city": "Unknown member city 'atlantis'.",
        "links": "Not web addresses: ftp://old.example.",
    }
    assert Practice.objects.count() == 0
    status, body = send(personas.focal_a, "post", "/api/v1/practices", {"title": "x", "start_date": "not a date"})
    assert status == 422
    assert str(body["detail"]).startswith("start_date: Input should be a valid date")


def test_list_filters_match_the_browse_page(personas: Personas) -> None:
    published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "A", stage="pilot")
    published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b, "B", stage="implemented")
    assert personas.anonymous.get("/api/v1/practices?stage=pilot").json()["count"] == 1
    assert personas.anonymous.get("/api/v1/practices?region=AS").json()["count"] == 2
    response = personas.anonymous.get("/api/v1/practices?stage=legendary")
    assert (response.status_code, response.json()["detail"]) == (422, "Unknown stage 'legendary'.")
