import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccx.events.models import Registration, Session, Speaker
from ccx.events.registration import register
from ccx.events.services import star
from tests.conftest import Personas
from tests.events.factories import make_event, make_session

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/secret-room"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def test_only_organisers_see_participants_and_edit_the_programme(personas: Personas) -> None:
    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    session = make_session(event)
    register(event, personas.focal_a_user, "online")
    urls = [
        f"/events/{event.slug}/participants/",
        f"/events/{event.slug}/participants/?format=csv",
        f"/events/{event.slug}/edit/",
        f"/events/{event.slug}/sessions/new/",
        f"/events/{event.slug}/sessions/{session.pk}/edit/",
        f"/events/{event.slug}/speakers/new/",
        f"/events/{event.slug}/outcomes/new/",
    ]
    seen = {name: [client.get(url).status_code for url in urls] for name, client in personas.all().items()}
    assert seen == {
        "anonymous": [302] * 7,
        "focal_a": [403] * 7,
        "focal_b": [200] * 7,
        "secretariat": [200] * 7,
    }
    rows = list(csv.DictReader(io.StringIO(personas.focal_b.get(urls[1]).content.decode())))
    assert [(r["username"], r["mode"], r["status"], r["focal_point_of"]) for r in rows] == [
        ("focal-a", "online", "confirmed", "Ashgabat")
    ]


def test_an_organiser_adds_and_edits_a_session_in_the_event_time_zone(personas: Personas) -> None:
    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    speaker = Speaker.objects.create(event=event, slug="qin", name="Qin Weizhong", city=personas.city_b)
    data = {
        "title": "Panel 2", "kind": "panel", "day": event.starts_on.isoformat(), "start": "14:00", "end": "15:30",
        "room": "Hall A", "is_online": "on", "join_url": JOIN, "speakers": [speaker.pk],
    }  # fmt: skip
    response = personas.focal_b.post(f"/events/{event.slug}/sessions/new/", data)
    assert response.status_code == 302
    session = Session.objects.get(event=event)
    assert session.starts_at.astimezone(event.zone).strftime("%H:%M") == "14:00"
    assert session.starts_at.utcoffset() is not None
    assert [(a.speaker.name, a.role) for a in session.appearances.all()] == [("Qin Weizhong", "speaker")]

    bad = personas.focal_b.post(f"/events/{event.slug}/sessions/{session.pk}/edit/", {**data, "end": "13:00"})
    assert bad.status_code == 200
    assert "The session must end after it starts." in bad.content.decode()
    assert Session.objects.get(pk=session.pk).ends_at == session.ends_at

    assert personas.focal_a.post(f"/events/{event.slug}/sessions/{session.pk}/delete/").status_code == 403
    assert personas.focal_b.post(f"/events/{event.slug}/sessions/{session.pk}/delete/").status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


def test_join_links_never_reach_anonymous_visitors(personas: Personas) -> None:
    event = make_event(capacity_online=1)
    make_session(event, join_url=JOIN, is_online=True)
    register(event, personas.focal_a_user, "online")  # confirmed
    register(event, personas.focal_b_user, "online")  # waiting
    pages = [
        f"/events/{event.slug}/programme/",
        f"/events/{event.slug}/programme.ics",
        f"/events/{event.slug}/programme.json",
        f"/events/{event.slug}/programme.csv",
        f"/api/v1/events/{event.slug}/sessions",
        f"/api/v1/events/{event.slug}",
    ]
    for client in (personas.anonymous, personas.focal_b):
        for url in pages:
            assert JOIN not in client.get(url).content.decode(), url
    assert JOIN in personas.focal_a.get(f"/events/{event.slug}/programme/").content.decode()
    assert personas.focal_a.get(f"/api/v1/events/{event.slug}/sessions").json()["items"][0]["join_url"] == JOIN
    assert personas.secretariat.get(f"/api/v1/events/{event.slug}/sessions").json()["items"][0]["join_url"] == JOIN
    # The public feed stays public even for a confirmed participant: the personal feed carries the link.
    assert JOIN not in personas.focal_a.get(f"/events/{event.slug}/programme.ics").content.decode()


def test_the_cached_programme_changes_when_the_programme_changes(personas: Personas) -> None:
    event = make_event()
    session = make_session(event, "Opening ceremony")
    url = f"/events/{event.slug}/programme/"
    assert "Opening ceremony" in personas.anonymous.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        personas.anonymous.get(url)
    assert len(queries) == 0  # the whole page is kept for anonymous visitors (ccx.core.pagecache), no query
    session.title = "Grand opening"
    session.save()
    html = personas.anonymous.get(url).content.decode()
    assert "Grand opening" in html
    assert "Opening ceremony" not in html
    Speaker.objects.create(event=event, slug="raggi", name="Virginia Raggi").appearances.create(session=session)
    assert "Virginia Raggi" in personas.anonymous.get(url).content.decode()
    assert "Virginia Raggi" in personas.anonymous.get(f"/events/{event.slug}/programme.ics").content.decode()


@pytest.mark.parametrize("sessions", [3, 30])
def test_the_programme_runs_the_same_queries_for_3_and_30_sessions(personas: Personas, sessions: int) -> None:
    event = make_event()
    speaker = Speaker.objects.create(event=event, slug="s", name="Speaker", city=personas.city_a)
    for n in range(sessions):
        make_session(event, f"Session {n}", hour=8 + n % 10, day=n % 2).appearances.create(speaker=speaker)
    register(event, personas.focal_a_user, "online")
    star(Session.objects.filter(event=event).first(), personas.focal_a_user)  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as queries:
        response = personas.focal_a.get(f"/events/{event.slug}/programme/")
    assert response.content.decode().count('class="session session-') == sessions
    assert len(queries) == 12


def test_starring_needs_a_registration(personas: Personas) -> None:
    event = make_event()
    session = make_session(event)
    url = f"/events/{event.slug}/sessions/{session.pk}/star/"
    assert personas.anonymous.post(url, {"star": "1"}).status_code == 302
    personas.focal_a.post(url, {"star": "1"})
    assert not Registration.objects.filter(user=personas.focal_a_user).exists()
    register(event, personas.focal_a_user, "online")
    response = personas.focal_a.post(url, {"star": "1"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    assert list(Registration.objects.get(user=personas.focal_a_user).starred.all()) == [session]
    personas.focal_a.post(url, {"star": "0"})
    assert list(Registration.objects.get(user=personas.focal_a_user).starred.all()) == []


def test_register_and_cancel_through_the_pages(personas: Personas) -> None:
    event = make_event(capacity_in_person=1)
    personas.focal_a.post(f"/events/{event.slug}/register/", {"mode": "in_person"})
    personas.focal_b.post(f"/events/{event.slug}/register/", {"mode": "in_person"})
    html = personas.focal_b.get(event.get_absolute_url()).content.decode()
    assert "You are number 1 on the waiting list." in html
    personas.focal_a.post(f"/events/{event.slug}/cancel/")
    assert Registration.objects.get(user=personas.focal_b_user).status == "confirmed"
    bad = personas.focal_a.post(f"/events/{event.slug}/register/", {"mode": "teleport"}, follow=True)
    assert "Choose how you attend: in person or online." in bad.content.decode()


def test_members_only_and_unpublished_events(personas: Personas) -> None:
    members = make_event("Members meeting", audience="members")
    draft = make_event("Draft forum", is_published=False)
    draft.organiser_users.set([personas.focal_b_user])
    seen = {
        name: (client.get(members.get_absolute_url()).status_code, client.get(draft.get_absolute_url()).status_code)
        for name, client in personas.all().items()
    }
    assert seen == {"anonymous": (302, 404), "focal_a": (200, 404), "focal_b": (200, 200), "secretariat": (200, 200)}
    titles = {
        name: [e["title"] for e in client.get("/api/v1/events").json()["items"]]
        for name, client in personas.all().items()
    }
    assert titles == {
        "anonymous": [],
        "focal_a": ["Members meeting"],
        "focal_b": ["Draft forum", "Members meeting"],
        "secretariat": ["Draft forum", "Members meeting"],
    }


def test_programme_exports(personas: Personas) -> None:
    event = make_event()
    make_session(event, "Opening", hour=9)
    make_session(event, "Closing", hour=17, day=1)
    document = json.loads(personas.anonymous.get(f"/events/{event.slug}/programme.json").content)
    assert [(s["title"], s["starts_at"][11:16], s["starts_at_utc"][11:16]) for s in document["sessions"]] == [
        ("Opening", "09:00", "01:00"),
        ("Closing", "17:00", "09:00"),
    ]
    rows = list(
        csv.DictReader(io.StringIO(personas.anonymous.get(f"/events/{event.slug}/programme.csv").content.decode()))
    )
    assert [row["title"] for row in rows] == ["Opening", "Closing"]
    assert personas.anonymous.get(f"/events/{event.slug}/programme.xml").status_code == 404


def test_sessions_link_practices_and_case_clinics_that_visitors_may_see(personas: Personas) -> None:
    from tests.challenges.factories import make_challenge
    from tests.practices.factories import make_practice, published_practice

    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    shown = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Carpet studios")
    draft = make_practice(personas.focal_a_user, personas.city_a, "Unpublished idea")
    clinic = make_challenge(personas.focal_a_user, personas.city_a, "Empty shops", visibility="public")
    private = make_challenge(personas.focal_a_user, personas.city_a, "Network-only problem", visibility="network")
    data = {
        "title": "Workshop: case clinic", "kind": "workshop", "day": event.starts_on.isoformat(), "start": "10:00",
        "end": "12:00", "practices": [shown.pk], "challenges": [clinic.pk, private.pk],
    }  # fmt: skip
    assert personas.focal_b.post(f"/events/{event.slug}/sessions/new/", data).status_code == 302
    html = personas.anonymous.get(f"/events/{event.slug}/programme/").content.decode()
    assert "Carpet studios" in html
    assert "Empty shops" in html
    assert "Network-only problem" not in html
    assert draft.title not in html
    (item,) = personas.anonymous.get(f"/api/v1/events/{event.slug}/sessions").json()["items"]
    assert (item["practices"], item["challenges"]) == ([shown.slug], [clinic.slug])


def test_saving_an_event_object_read_before_a_programme_change_still_retires_the_cache(personas: Personas) -> None:
    event = make_event()
    stale = type(event).objects.get(pk=event.pk)
    url = f"/events/{event.slug}/programme/"
    make_session(event, "First addition")  # the version in the database moves on
    assert "First addition" in personas.anonymous.get(url).content.decode()  # cached under that version
    make_session(event, "Second addition", hour=11)
    stale.theme = "New theme"
    stale.save()  # must not fall back to the version already cached
    assert "Second addition" in personas.anonymous.get(url).content.decode()
