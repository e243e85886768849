"""What makes an event and a session valid: one validator each, which the organisers' forms, the event import, the
admin and the domain functions (services.py) call.

They read values by model field (only the keys present) and answer errors by field, each with a `code` and
`params` (see ccx/core/validation.py). A session's times are checked against its event; the fields are named as a
person fills them in (`day`, `end`), the same in the form and in an event file.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ccx.core.validation import Errors, Problems, is_web_address, raise_errors
from ccx.events.models import Audience, Event, EventKind, Session, SessionKind, validate_time_zone

EVENT_MESSAGES: dict[str, Any] = {
    "required": _("The %(label)s cannot be empty."),
    "unknown_choice": _("Unknown value '%(value)s'. Use one of: %(choices)s."),
    "dates_reversed": _("The last day is before the first day."),
    "no_mode": _("An event takes place in person, online, or both."),
    "half_location": _("Give both latitude and longitude, or neither."),
    "unknown_time_zone": _("'%(value)s' is not a known time zone (use a name such as Asia/Shanghai)."),
    "not_web_address": _("Enter a web address that starts with http:// or https://."),
}
EVENT_TEXTS = ("slug", "title", "theme", "concept_note", "venue_name", "venue_address", "programme_note", "report")
EVENT_CHOICES = {"kind": EventKind.values, "audience": Audience.values}
SESSION_MESSAGES: dict[str, Any] = {
    **EVENT_MESSAGES,
    "ends_first": _("The session must end after it starts."),
    "outside_event": _("The session must take place during the event (%(first)s to %(last)s)."),
}
SESSION_TEXTS = ("title", "room", "description")
SESSION_ADDRESSES = ("join_url", "recording_url", "slides_url")
SESSION_NAMES = {"starts_at": "day", "ends_at": "end"}


def event_problems(values: Mapping[str, Any]) -> Errors:
    """Every problem of an event's values, by field (empty when they are valid)."""
    found = Problems(EVENT_MESSAGES)
    if "title" in values and not str(values["title"] or "").strip():
        found.add("title", "required", label=_("title"))
    _choices(found, values, EVENT_CHOICES)
    if values.get("original_language") and values["original_language"] not in _languages():
        found.add(
            "original_language", "unknown_choice", value=values["original_language"], choices=", ".join(_languages())
        )
    if values.get("time_zone") is not None:
        try:
            validate_time_zone(values["time_zone"])
        except ValidationError:
            found.add("time_zone", "unknown_time_zone", value=values["time_zone"])
    if values.get("starts_on") and values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        found.add("ends_on", "dates_reversed")
    if "in_person" in values and "online" in values and not (values["in_person"] or values["online"]):
        found.add("online", "no_mode")
    if "latitude" in values and "longitude" in values and (values["latitude"] is None) != (values["longitude"] is None):
        found.add("longitude", "half_location")
    if values.get("source_url") and not is_web_address(values["source_url"]):
        found.add("source_url", "not_web_address", value=values["source_url"])
    found.lengths(Event, values, (*EVENT_TEXTS, "source_url"))
    return found.errors


def validate_event(values: Mapping[str, Any]) -> None:
    raise_errors(event_problems(values))


def session_problems(values: Mapping[str, Any], *, event: Event) -> Errors:
    """Every problem of a session's values within `event` (its days and time zone), by field."""
    found = Problems(SESSION_MESSAGES, SESSION_NAMES)
    if "title" in values and not str(values["title"] or "").strip():
        found.add("title", "required", label=_("title"))
    _choices(found, values, {"kind": SessionKind.values})
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            found.add("ends_at", "ends_first")
        first, last = event.starts_on, event.ends_on
        start_day, end_day = starts_at.astimezone(event.zone).date(), ends_at.astimezone(event.zone).date()
        if first and last and (start_day < first or end_day > last):
            found.add("starts_at", "outside_event", first=first.isoformat(), last=last.isoformat())
    for name in SESSION_ADDRESSES:
        if values.get(name) and not is_web_address(values[name]):
            found.add(name, "not_web_address", value=values[name])
    found.lengths(Session, values, (*SESSION_TEXTS, *SESSION_ADDRESSES))
    return found.errors


def validate_session(values: Mapping[str, Any], *, event: Event) -> None:
    raise_errors(session_problems(values, event=event))


def _choices(found: Problems, values: Mapping[str, Any], choices: Mapping[str, list[str]]) -> None:
    for name, allowed in choices.items():
        if name in values and values[name] not in allowed:
            found.add(name, "unknown_choice", value=values[name], choices=", ".join(allowed))


def _languages() -> list[str]:
    return [code for code, _name in settings.CONTENT_LANGUAGES]
