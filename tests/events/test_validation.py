"""One validator for an event and one for a session: the organisers' forms and the event import refuse the same
bad values naming the same fields (each phrases the rule its own way), the admin and the domain functions ask the
same validators, and nothing is saved. Events have no write API."""

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from ccx.core.errors import DomainError
from ccx.core.imports import ImportFailed
from ccx.core.validation import TEXT_CAP
from ccx.events import services
from ccx.events.admin import EventAdminForm
from ccx.events.forms import EventForm, SessionForm
from ccx.events.importers import bundled_event_files, read_event_files
from ccx.events.models import Event, Session
from ccx.events.validation import EVENT_MESSAGES, SESSION_MESSAGES, event_problems
from tests.conftest import Personas
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

LONG = "x" * (TEXT_CAP + 1)
# (field, form and file change): the bundled Beijing summit, 17-18 September 2020
EVENT_CASES: list[tuple[str, dict[str, Any]]] = [
    ("ends_on", {"starts_on": "2020-09-18", "ends_on": "2020-09-17"}),
    ("online", {"in_person": False, "online": False}),
    ("title", {"title": "t" * 251}),
    ("concept_note", {"concept_note": LONG}),
    ("time_zone", {"time_zone": "Mars/Olympus"}),
]
SESSION_CASES: list[tuple[str, dict[str, Any]]] = [
    ("end", {"start": "10:00", "end": "09:00"}),
    ("day", {"day": "2020-09-20"}),
    ("description", {"description": LONG}),
    ("title", {"title": "t" * 301}),
]


def _summit() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(bundled_event_files()[0].read_text(encoding="utf-8"))
    assert (document["starts_on"], document["ends_on"]) == ("2020-09-17", "2020-09-18")
    return document


def _import_places(tmp_path: Path, document: dict[str, Any]) -> set[str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        read_event_files([path])
    return {getattr(problem, "where", "") for problem in failure.value.problems}


def _event_form_data(event: Event) -> dict[str, Any]:
    form = EventForm(instance=event)
    data = {name: form.initial.get(name) for name in form.fields}
    return {name: value for name, value in data.items() if value not in (None, False)}


@pytest.mark.parametrize(("field", "change"), EVENT_CASES)
def test_the_event_form_and_the_import_name_the_same_field(
    personas: Personas, tmp_path: Path, field: str, change: dict[str, Any]
) -> None:
    event = make_event(starts_on=_day("2020-09-17"))
    form_change = {name: value for name, value in change.items() if value is not False}
    data = {name: value for name, value in _event_form_data(event).items() if change.get(name) is not False}
    form = EventForm({**data, **form_change}, instance=event)
    assert not form.is_valid()
    assert set(form.errors) == {field}

    assert _import_places(tmp_path, {**_summit(), "sessions": [], **change}) == {field}
    assert not Event.objects.exclude(pk=event.pk).exists()


@pytest.mark.parametrize(("field", "change"), SESSION_CASES)
def test_the_session_form_and_the_import_name_the_same_field(
    personas: Personas, tmp_path: Path, field: str, change: dict[str, Any]
) -> None:
    event = make_event(starts_on=_day("2020-09-17"))
    data = {"title": "Opening ceremony", "kind": "ceremony", "day": "2020-09-17", "start": "09:00", "end": "10:00"}
    form = SessionForm({**data, **change}, event=event)
    assert not form.is_valid()
    assert set(form.errors) == {field}

    document = _summit()
    document["sessions"] = [{**document["sessions"][0], **change}]
    assert _import_places(tmp_path, document) == {f"sessions[0].{field}"}
    assert not Session.objects.exists()


def test_the_forms_show_the_validators_sentences(personas: Personas) -> None:
    event = make_event(starts_on=_day("2020-09-17"))
    form = EventForm({**_event_form_data(event), "ends_on": "2020-09-16"}, instance=event)
    assert form.errors["ends_on"] == [str(EVENT_MESSAGES["dates_reversed"])]
    session = SessionForm(
        {"title": "Late", "kind": "panel", "day": "2020-09-20", "start": "09:00", "end": "10:00"}, event=event
    )
    assert session.errors["day"] == [
        str(SESSION_MESSAGES["outside_event"]) % {"first": "2020-09-17", "last": "2020-09-18"}
    ]


def test_the_domain_functions_ask_the_same_validators(personas: Personas) -> None:
    event = make_event(starts_on=_day("2020-09-17"))
    event.organiser_users.set([personas.focal_b_user])
    starts = datetime(2020, 9, 17, 10, tzinfo=event.zone)
    values = {"title": "Backwards", "kind": "panel", "starts_at": starts, "ends_at": starts.replace(hour=9)}
    with pytest.raises(DomainError) as refused:
        services.save_session(event, personas.focal_b_user, values)
    assert (refused.value.status, set(refused.value.fields)) == (422, {"end"})
    with pytest.raises(DomainError) as refused:
        services.update_event(event, personas.focal_b_user, {"in_person": False, "online": False})
    assert set(refused.value.fields) == {"online"}
    assert not Session.objects.exists()


def test_the_admin_asks_the_event_validator(personas: Personas) -> None:
    event = make_event(starts_on=_day("2020-09-17"))
    form = EventAdminForm(instance=event)
    data = {name: form.initial.get(name) for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    data.update({"ends_on": "2020-09-16", "cities": [], "organiser_users": []})
    form = EventAdminForm(data, instance=event)
    assert not form.is_valid()
    assert form.errors["ends_on"] == [str(EVENT_MESSAGES["dates_reversed"])]


def test_the_validator_reads_only_the_values_given() -> None:
    assert event_problems({}) == {}
    assert event_problems({"online": False}) == {}  # an update that leaves in_person as it is


def _day(text: str) -> date:
    return date.fromisoformat(text)
