"""Every API input's string fields are as long as the model allows (a text field: TEXT_CAP, or the app's own
documented cap): a longer value is a 422 naming the field, and nothing changes. A sample per app."""

import json
from typing import Any

import pytest

from ccx.challenges.models import Challenge
from ccx.challenges.services import TEXT_FIELDS
from ccx.cities.models import City
from ccx.core.validation import TEXT_CAP
from ccx.events.models import Registration
from ccx.partnerships.models import Partnership, Transfer
from ccx.practices.models import Practice
from ccx.sdg.models import IndicatorValue
from tests.conftest import Personas
from tests.events.factories import make_event
from tests.practices.factories import make_practice, published_practice

pytestmark = pytest.mark.django_db


def send(client: Any, method: str, url: str, body: object) -> tuple[int, Any]:
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def _refused(answer: tuple[int, Any], field: str) -> None:
    status, body = answer
    assert (status, list(body["errors"])) == (422, [field])
    assert "at most" in body["errors"][field]


def test_cities(personas: Personas) -> None:
    before = City.objects.get(pk=personas.city_a.pk).about
    _refused(
        send(personas.focal_a, "patch", f"/api/v1/cities/{personas.city_a.slug}", {"about": "a" * (TEXT_CAP + 1)}),
        "about",
    )
    _refused(
        send(personas.focal_a, "patch", f"/api/v1/cities/{personas.city_a.slug}", {"website": "https://" + "w" * 200}),
        "website",
    )
    assert City.objects.get(pk=personas.city_a.pk).about == before


def test_practices(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    url = f"/api/v1/practices/{practice.slug}"
    _refused(send(personas.focal_a, "patch", url, {"description": "d" * (Practice.TEXT_CAP + 1)}), "description")
    _refused(send(personas.focal_a, "patch", url, {"lead_city": "c" * 121}), "lead_city")
    assert practice.revisions.count() == 1


def test_challenges(personas: Personas) -> None:
    payload = {"city": personas.city_a.slug, "title": "Empty shops", "statement": "s" * (TEXT_FIELDS["statement"] + 1)}
    _refused(send(personas.focal_a, "post", "/api/v1/challenges", payload), "statement")
    assert not Challenge.objects.exists()


def test_partnerships_and_transfers(personas: Personas) -> None:
    proposal = {"title": "t" * 251, "kind": "mou", "goals": "g", "proposer_city": personas.city_a.slug}
    _refused(send(personas.focal_a, "post", "/api/v1/partnerships", proposal), "title")
    assert not Partnership.objects.exists()
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Design bazaar")
    transfer = {"practice": practice.slug, "to_city": personas.city_b.slug, "status": "adapting"}
    _refused(
        send(personas.focal_b, "post", "/api/v1/transfers", {**transfer, "what_adapted": "w" * (TEXT_CAP + 1)}),
        "what_adapted",
    )
    assert not Transfer.objects.exists()


def test_events(personas: Personas) -> None:
    event = make_event()
    _refused(send(personas.focal_a, "post", f"/api/v1/events/{event.slug}/registration", {"mode": "m" * 21}), "mode")
    assert not Registration.objects.exists()


def test_monitoring(personas: Personas) -> None:
    payload = {"indicator": "11.6.2", "year": 2020, "value": "18.5", "unit": "u" * 61, "source": "Test survey"}
    _refused(send(personas.focal_a, "post", "/api/v1/cities/ashgabat-tm/indicator-values", payload), "unit")
    assert not IndicatorValue.objects.exists()


def test_search(personas: Personas) -> None:
    _refused(send(personas.anonymous, "post", "/api/v1/match", {"text": "Empty shops", "city": "c" * 121}), "city")
