from datetime import UTC, datetime

import icalendar
import pytest

from ccx.events.models import Registration
from ccx.events.registration import register
from ccx.events.services import star
from tests.conftest import Personas
from tests.events.factories import make_event, make_session

pytestmark = pytest.mark.django_db


def events_of(content: bytes) -> list[icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(content)
    return list(calendar.walk("VEVENT"))


def test_the_public_feed_carries_the_beijing_time_zone_and_the_right_instant(personas: Personas) -> None:
    event = make_event()
    session = make_session(event, "Opening ceremony", hour=9, join_url="https://meet.example.org/secret-room")
    response = personas.anonymous.get(f"/events/{event.slug}/programme.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (vevent,) = events_of(response.content)
    start = vevent.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert (start.hour, start.minute) == (9, 0)
    assert start.astimezone(UTC) == session.starts_at.astimezone(UTC)
    assert start.astimezone(UTC).hour == 1  # 09:00 in Beijing (UTC+8) is 01:00 UTC
    assert vevent["SUMMARY"] == "Opening ceremony"
    assert b"secret-room" not in response.content


def test_a_beijing_session_is_the_same_instant_in_utc(personas: Personas) -> None:
    event = make_event(starts_on=datetime(2030, 9, 17).date())
    make_session(event, "Panel 1", hour=14)
    (vevent,) = events_of(personas.anonymous.get(f"/events/{event.slug}/programme.ics").content)
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2030, 9, 17, 6, 0, tzinfo=UTC)
    assert vevent.decoded("dtend").astimezone(UTC) == datetime(2030, 9, 17, 7, 0, tzinfo=UTC)


def test_the_personal_feed_follows_the_stars_and_gives_join_links_to_confirmed_participants(
    personas: Personas,
) -> None:
    event = make_event(capacity_online=1)
    opening = make_session(event, "Opening", hour=9, join_url="https://meet.example.org/opening")
    panel = make_session(event, "Panel", hour=11, join_url="https://meet.example.org/panel")
    confirmed = register(event, personas.focal_a_user, "online")
    waiting = register(event, personas.focal_b_user, "online")
    star(panel, personas.focal_a_user)
    star(opening, personas.focal_b_user)

    mine = personas.anonymous.get(f"/events/calendar/{confirmed.feed_token}.ics")
    assert [str(v["SUMMARY"]) for v in events_of(mine.content)] == ["Panel"]
    assert b"https://meet.example.org/panel" in mine.content
    assert mine["Cache-Control"] == "private, no-store"

    theirs = personas.anonymous.get(f"/events/calendar/{waiting.feed_token}.ics")
    assert [str(v["SUMMARY"]) for v in events_of(theirs.content)] == ["Opening"]
    assert b"meet.example.org" not in theirs.content


def test_the_personal_feed_without_stars_holds_the_event(personas: Personas) -> None:
    event = make_event()
    registration = register(event, personas.focal_a_user, "in_person")
    (vevent,) = events_of(personas.anonymous.get(f"/events/calendar/{registration.feed_token}.ics").content)
    assert vevent["SUMMARY"] == event.title
    assert vevent.decoded("dtstart").date() == event.starts_on


def test_a_renewed_or_cancelled_feed_address_stops_working(personas: Personas) -> None:
    event = make_event()
    registration = register(event, personas.focal_a_user, "online")
    old = registration.feed_token
    response = personas.focal_a.post(f"/events/{event.slug}/agenda/renew/")
    assert response.status_code == 302
    new = Registration.objects.get(pk=registration.pk).feed_token
    assert new != old
    assert personas.anonymous.get(f"/events/calendar/{old}.ics").status_code == 404
    assert personas.anonymous.get(f"/events/calendar/{new}.ics").status_code == 200
    personas.focal_a.post(f"/events/{event.slug}/cancel/")
    assert personas.anonymous.get(f"/events/calendar/{new}.ics").status_code == 404
