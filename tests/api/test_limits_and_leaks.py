"""Regression tests for the holes an attacker's probe found: stalls, leaks between cities, schema names."""

import json
from typing import Any

import pytest
from django.test import Client

from ccx.cities.models import City
from ccx.partnerships.models import Transfer
from ccx.practices.models import Practice
from ccx.search.matching import MAX_TEXT
from tests.conftest import Personas
from tests.practices.factories import make_practice, published_practice


def send(client: Client, method: str, url: str, body: object) -> tuple[int, Any]:
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_matching_text_is_capped_with_a_clear_message(personas: Personas) -> None:
    status, body = send(personas.anonymous, "post", "/api/v1/match", {"text": "museum " * (MAX_TEXT // 7 + 1)})
    assert status == 422
    assert body["detail"] == f"text: String should have at most {MAX_TEXT} characters"


def test_a_one_megabyte_body_is_refused_before_it_is_read(personas: Personas) -> None:
    status, body = send(personas.anonymous, "post", "/api/v1/match", {"text": "a" * 1_000_000})
    assert status == 413
    assert body["detail"].startswith("The request body is too large")


def test_sdg_suggestions_are_capped(personas: Personas) -> None:
    status, body = send(personas.anonymous, "post", "/api/v1/sdg/suggest", {"text": "water " * 4000})
    assert status == 422
    assert body["detail"] == "text: String should have at most 20000 characters"


def test_a_bare_json_string_creates_no_practice(personas: Personas) -> None:
    for body in ("Night markets", ["Night markets"], 3):
        status, answer = send(personas.focal_a, "post", "/api/v1/practices", body)
        assert (status, answer["detail"]) == (400, "Cannot parse request body")
    assert not Practice.objects.exists()


def test_patching_a_city_one_may_not_edit_is_forbidden(personas: Personas) -> None:
    for client in (personas.focal_b, personas.focal_a):
        status, body = send(client, "patch", f"/api/v1/cities/{personas.city_a.slug}", {})
        expected = 403 if client is personas.focal_b else 200
        assert status == expected
    status, body = send(personas.focal_b, "patch", f"/api/v1/cities/{personas.city_a.slug}", {"about": "Taken"})
    assert (status, body["detail"]) == (403, "You may not change this city.")
    assert City.objects.get(pk=personas.city_a.pk).about == personas.city_a.about


@pytest.fixture
def transfer_setup(personas: Personas) -> tuple[Practice, Practice]:
    """A published practice of city B, adapted by city A; and a draft of city B nobody in A may edit."""
    origin = published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b, "Food lab")
    draft_of_b = make_practice(personas.focal_b_user, personas.city_b, "Confidential draft of B")
    return origin, draft_of_b


def test_a_transfer_cannot_name_a_practice_the_caller_may_not_edit(
    personas: Personas, transfer_setup: tuple[Practice, Practice]
) -> None:
    origin, draft_of_b = transfer_setup
    data = {
        "practice": origin.slug,
        "to_city": personas.city_a.slug,
        "what_adapted": "The lab.",
        "status": "adapting",
        "adapted_practice": draft_of_b.slug,
    }
    status, body = send(personas.focal_a, "post", "/api/v1/transfers", data)
    assert (status, body["detail"]) == (403, "You may name as the adapted version only a practice you may edit.")
    assert not Transfer.objects.exists()
    assert Practice.objects.get(pk=draft_of_b.pk).adapted_from_id is None


def test_a_transfer_update_cannot_point_at_a_foreign_draft(
    personas: Personas, transfer_setup: tuple[Practice, Practice]
) -> None:
    origin, draft_of_b = transfer_setup
    data = {"practice": origin.slug, "to_city": personas.city_a.slug, "what_adapted": "The lab.", "status": "adapting"}
    status, created = send(personas.focal_a, "post", "/api/v1/transfers", data)
    assert status == 201
    patch = {"what_adapted": "The lab.", "status": "adapting", "adapted_practice": draft_of_b.slug}
    status, _body = send(personas.focal_a, "patch", f"/api/v1/transfers/{created['id']}", patch)
    assert status == 403
    assert Transfer.objects.get().adapted_practice_id is None
    assert Practice.objects.get(pk=draft_of_b.pk).adapted_from_id is None


def test_transfer_details_hide_an_unpublished_adapted_practice(
    personas: Personas, transfer_setup: tuple[Practice, Practice]
) -> None:
    origin, _draft_of_b = transfer_setup
    own_draft = make_practice(personas.focal_a_user, personas.city_a, "Our secret adaptation")
    data = {
        "practice": origin.slug,
        "to_city": personas.city_a.slug,
        "what_adapted": "The lab.",
        "status": "adapting",
        "adapted_practice": own_draft.slug,
    }
    status, created = send(personas.focal_a, "post", "/api/v1/transfers", data)
    assert (status, created["adapted_practice"]) == (201, own_draft.slug)
    url = f"/api/v1/transfers/{created['id']}"
    assert personas.anonymous.get(url).json()["adapted_practice"] is None
    assert personas.focal_b.get(url).json()["adapted_practice"] is None
    assert personas.focal_a.get(url).json()["adapted_practice"] == own_draft.slug
    page = personas.anonymous.get(Transfer.objects.get().get_absolute_url()).content.decode()
    assert "Our secret adaptation" not in page
    assert "Our secret adaptation" in personas.focal_a.get(Transfer.objects.get().get_absolute_url()).content.decode()


def test_openapi_schema_names_are_unique() -> None:
    """Two schema classes with one name overwrite each other in the document (a match documented as a clinic's)."""
    from ninja import Schema

    import ccx.api.urls  # noqa: F401  (loads every router)

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    ours = [cls for cls in subclasses(Schema) if cls.__module__.startswith("ccx.api")]
    names = sorted(cls.__name__ for cls in ours)
    assert sorted(set(names)) == names
