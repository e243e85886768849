import json

import pytest

from ccx.events.models import Registration
from tests.conftest import Personas
from tests.events.factories import make_event, make_session

pytestmark = pytest.mark.django_db


def post_json(client: object, url: str, data: object) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")  # type: ignore[attr-defined]


def test_read_events_sessions_and_speakers(personas: Personas) -> None:
    event = make_event()
    session = make_session(event, "Main forum", hour=10)
    speaker = event.speakers.create(slug="qin-weizhong", name="Qin Weizhong", position="Mayor", city=personas.city_b)
    session.appearances.create(speaker=speaker, role="chair")
    client = personas.anonymous
    assert [e["slug"] for e in client.get("/api/v1/events").json()["items"]] == [event.slug]
    detail = client.get(f"/api/v1/events/{event.slug}").json()
    assert (detail["time_zone"], detail["seats_left_online"], detail["programme_ics"]) == (
        "Asia/Shanghai", None, f"/events/{event.slug}/programme.ics"
    )  # fmt: skip
    (item,) = client.get(f"/api/v1/events/{event.slug}/sessions").json()["items"]
    assert (item["title"], item["starts_at"][11:], item["starts_at_utc"][11:], item["chairs"], item["join_url"]) == (
        "Main forum", "10:00:00+08:00", "02:00:00+00:00", [{"slug": "qin-weizhong", "name": "Qin Weizhong"}], None
    )  # fmt: skip
    # One representation of a session: the programme export gives the same record (join links aside).
    export = json.loads(client.get(f"/events/{event.slug}/programme.json").content)
    assert export["sessions"] == [item]
    (person,) = client.get(f"/api/v1/events/{event.slug}/speakers").json()["items"]
    assert (person["name"], person["city"], person["sessions"]) == ("Qin Weizhong", "gangneung-kr", [session.pk])
    assert client.get("/api/v1/events/nope").status_code == 404


def test_register_star_and_cancel_as_the_signed_in_person(personas: Personas) -> None:
    event = make_event(capacity_online=1)
    session = make_session(event)
    url = f"/api/v1/events/{event.slug}/registration"
    assert post_json(personas.anonymous, url, {"mode": "online"}).status_code == 401  # type: ignore[attr-defined]
    bad = post_json(personas.focal_a, url, {"mode": "hologram"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert bad.json()["problems"] == ["Choose how you attend: in person or online."]  # type: ignore[attr-defined]
    created = post_json(personas.focal_a, url, {"mode": "online"})
    assert created.status_code == 201  # type: ignore[attr-defined]
    assert created.json()["status"] == "confirmed"  # type: ignore[attr-defined]
    assert post_json(personas.focal_b, url, {"mode": "online"}).json()["status"] == "waiting"  # type: ignore[attr-defined]
    starred = personas.focal_a.put(f"/api/v1/events/{event.slug}/agenda/{session.pk}")
    assert starred.json()["starred"] == [session.pk]
    assert personas.secretariat.put(f"/api/v1/events/{event.slug}/agenda/{session.pk}").status_code == 422
    cancelled = personas.focal_a.delete(url)
    assert cancelled.json()["status"] == "cancelled"
    assert personas.focal_b.get(url).json()["status"] == "confirmed"
    assert personas.focal_a.get(url).status_code == 404
    assert Registration.objects.filter(event=event).count() == 2


def test_members_only_events_are_hidden_from_anonymous_callers(personas: Personas) -> None:
    event = make_event("Members meeting", audience="members")
    make_session(event)
    assert personas.anonymous.get(f"/api/v1/events/{event.slug}").status_code == 404
    assert personas.anonymous.get(f"/api/v1/events/{event.slug}/sessions").status_code == 404
    assert personas.focal_a.get(f"/api/v1/events/{event.slug}/sessions").status_code == 200


def test_the_api_is_in_the_openapi_document(personas: Personas) -> None:
    paths = personas.anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/events", "/api/v1/events/{slug}", "/api/v1/events/{slug}/sessions",
        "/api/v1/events/{slug}/speakers", "/api/v1/events/{slug}/registration",
        "/api/v1/events/{slug}/agenda/{session_id}",
    } <= set(paths)  # fmt: skip
    assert set(paths["/api/v1/events/{slug}/registration"]) == {"get", "post", "delete"}
