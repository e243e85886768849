"""The programme as open data (JSON, CSV), the participant list for organisers (CSV), and the anonymous cache.

The cached variants are built for anonymous visitors only, so they never hold a join link.
"""

import io
from collections.abc import Callable, Iterable
from datetime import UTC
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from ccx.core.spreadsheets import SafeWriter
from ccx.events.models import Audience, Event, Registration, Session

CACHE_SECONDS = 60 * 60


class Stamp(NamedTuple):
    """What identifies one version of an event's public content (a new version on any change)."""

    pk: int
    created_at: object
    content_version: int


STAMP_SQL = (
    "SELECT id, created_at, content_version FROM events_event WHERE slug = %s AND is_published = %s AND audience = %s"
)


def public_stamp(slug: str) -> Stamp | None:
    """The version stamp of a published public event: one small query, written in SQL because it is the whole
    database work of a cached request (the ORM's query building costs more than the query)."""
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL, [slug, True, Audience.PUBLIC.value])
        row = cursor.fetchone()
    return Stamp(*row) if row else None


def cached(stamp: Stamp, variant: str, build: Callable[[], bytes]) -> bytes:
    """`build()` once per event version, variant and language; any change to the event retires the entry."""
    created = str(stamp.created_at).replace(" ", "T")
    key = f"events:{variant}:{stamp.pk}:{created}:{stamp.content_version}:{get_language()}"
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, CACHE_SECONDS)
    return content  # type: ignore[no-any-return]


def session_record(session: Session, event: Event, *, with_join_link: bool = False) -> dict[str, Any]:
    """The one representation of a session, for the API (`/events/{slug}/sessions`) and the programme exports.
    Times in the event's time zone and in UTC; chairs and speakers as {slug, name}; the join link only for those
    who may see it (None otherwise)."""
    zone = event.zone
    appearances = list(session.appearances.all())

    def people(role: str) -> list[dict[str, str]]:
        return [{"slug": a.speaker.slug, "name": a.speaker.name} for a in appearances if a.role == role]

    return {
        "id": session.pk,
        "title": session.title,
        "kind": session.kind,
        "description": session.description,
        "starts_at": session.starts_at.astimezone(zone).isoformat(),
        "ends_at": session.ends_at.astimezone(zone).isoformat(),
        "starts_at_utc": session.starts_at.astimezone(UTC).isoformat(),
        "ends_at_utc": session.ends_at.astimezone(UTC).isoformat(),
        "room": session.room,
        "online": session.is_online,
        "join_url": (session.join_url or None) if with_join_link else None,
        "chairs": people("chair"),
        "speakers": people("speaker"),
        "practices": [practice.slug for practice in session.practices.all()],
        "challenges": [challenge.slug for challenge in session.challenges.all()],
        "partnerships": [partnership.slug for partnership in session.partnerships.all()],
        "recording_url": session.recording_url,
        "slides_url": session.slides_url,
    }


def programme_json(event: Event, sessions: Iterable[Session]) -> dict[str, Any]:
    return {
        "event": event.slug,
        "title": event.title,
        "time_zone": event.time_zone,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "sessions": [session_record(session, event) for session in sessions],
    }


PROGRAMME_COLUMNS = ["id", "title", "kind", "starts_at", "ends_at", "room", "online", "chairs", "speakers", "practices"]


def programme_csv(event: Event, sessions: Iterable[Session]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(PROGRAMME_COLUMNS)
    for session in sessions:
        record = session_record(session, event)
        writer.writerow(_cell(record[column]) for column in PROGRAMME_COLUMNS)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A list in one cell: the names of people, the slugs of records, separated by semicolons."""
    if isinstance(value, list):
        return "; ".join(item["name"] if isinstance(item, dict) else str(item) for item in value)
    return value


PARTICIPANT_COLUMNS = [
    "name", "username", "email", "organisation", "focal_point_of", "mode", "status", "registered_at", "changed_at",
]  # fmt: skip


def participants_csv(registrations: Iterable[Registration]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(PARTICIPANT_COLUMNS)
    for registration in registrations:
        user = registration.user
        writer.writerow(
            [
                user.get_full_name(),
                user.username,
                user.email,
                user.organisation.name if user.organisation else "",
                "; ".join(city.name for city in user.focal_point_of.all()),
                registration.mode,
                registration.status,
                registration.registered_at.isoformat(),
                registration.changed_at.isoformat(),
            ]
        )
    return buffer.getvalue()
