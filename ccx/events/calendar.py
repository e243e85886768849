"""iCalendar (RFC 5545) files: the public programme, a participant's personal agenda, the confirmation attachment.

Every time is written in the event's own zone with its VTIMEZONE, so calendars show each session at the right
instant wherever the reader is. Join links appear only in files made for someone allowed to see them.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

import icalendar
from django.conf import settings

from ccx.core.public_url import public_url

if TYPE_CHECKING:
    from ccx.events.models import Event, Registration, Session

PRODUCT_ID = "-//Creative Cities Exchange//Events//EN"


def _absolute(path: str) -> str:
    return public_url(path)


def _calendar(event: "Event", name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.time_zone)
    return calendar


def _finish(calendar: icalendar.Calendar, event: "Event") -> bytes:
    calendar.add_missing_timezones(
        first_date=event.starts_on - timedelta(days=366), last_date=event.ends_on + timedelta(days=366)
    )
    return calendar.to_ical()  # type: ignore[no-any-return]


def _location(event: "Event", session: "Session | None" = None) -> str:
    parts = []
    if session is not None and session.room:
        parts.append(session.room)
    if event.in_person and (session is None or not session.is_online or session.room):
        parts.extend(part for part in (event.venue_name, event.venue_address) if part)
    if session is not None and session.is_online and not parts:
        parts.append("Online")
    return ", ".join(dict.fromkeys(parts))


def session_component(session: "Session", event: "Event", *, with_join_link: bool, stamp: datetime) -> icalendar.Event:
    zone = event.zone
    component = icalendar.Event()
    component.add("uid", f"session-{session.pk}@{settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else 'ccx'}")
    component.add("dtstamp", stamp.astimezone(UTC))
    component.add("dtstart", session.starts_at.astimezone(zone))
    component.add("dtend", session.ends_at.astimezone(zone))
    component.add("summary", session.title)
    description = [session.get_kind_display()]
    people = [appearance.speaker.name for appearance in session.appearances.all()]
    if people:
        description.append(", ".join(people))
    if session.description:
        description.append(session.description)
    if with_join_link and session.join_url:
        description.append(f"Join: {session.join_url}")
        component.add("conference", session.join_url, parameters={"value": "URI"})
    component.add("description", "\n\n".join(str(part) for part in description))
    location = _location(event, session)
    if location:
        component.add("location", location)
    component.add("url", _absolute(session.get_absolute_url()))
    component.add("categories", [str(session.get_kind_display())])
    return component


def programme_calendar(event: "Event", sessions: Iterable["Session"], *, with_join_links: bool = False) -> bytes:
    """The whole programme; `with_join_links` only for confirmed participants and organisers."""
    calendar = _calendar(event, event.title)
    for session in sessions:
        calendar.add_component(
            session_component(session, event, with_join_link=with_join_links, stamp=event.updated_at)
        )
    return _finish(calendar, event)


def _whole_event(event: "Event", stamp: datetime, uid: str) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", stamp.astimezone(UTC))
    component.add("dtstart", datetime.combine(event.starts_on, time(0), tzinfo=event.zone))
    component.add("dtend", datetime.combine(event.ends_on + timedelta(days=1), time(0), tzinfo=event.zone))
    component.add("summary", event.title)
    if event.theme:
        component.add("description", event.theme)
    location = _location(event)
    if location:
        component.add("location", location)
    component.add("url", _absolute(event.get_absolute_url()))
    return component


def personal_calendar(registration: "Registration", sessions: Iterable["Session"], *, with_join_links: bool) -> bytes:
    """A participant's agenda: the sessions they starred, or the event as a whole while they starred none."""
    event = registration.event
    calendar = _calendar(event, event.title)
    stamp = max(event.updated_at, registration.changed_at)
    chosen = list(sessions)
    for session in chosen:
        calendar.add_component(session_component(session, event, with_join_link=with_join_links, stamp=stamp))
    if not chosen:
        calendar.add_component(_whole_event(event, stamp, f"registration-{registration.pk}@ccx"))
    return _finish(calendar, event)


def registration_calendar(registration: "Registration") -> bytes:
    """The file attached to the confirmation e-mail: the event itself."""
    event = registration.event
    calendar = _calendar(event, event.title)
    calendar.add_component(_whole_event(event, registration.changed_at, f"event-{event.pk}@ccx"))
    return _finish(calendar, event)
