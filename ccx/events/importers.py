"""Load events from JSON files (the bundled demo events: ccx/data/events/*.json).

Every file is checked completely first; a problem anywhere names the file and the place in it, and nothing is
written (one transaction). Loading the same files again changes nothing; a changed file updates the rows in
place (events by slug, speakers by key, sessions by title, outcomes by title). Sessions, speakers and outcomes
that organisers added on the site are kept.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ccx.accounts.models import Organisation, OrganisationType
from ccx.cities.models import City, Country
from ccx.core.imports import (
    ImportFailed,
    ImportProblem,
    ImportReport,
    already_imported,
    file_checksum,
    record_run,
)
from ccx.core.progress import Progress, silent
from ccx.core.validation import Errors, messages, phrased
from ccx.events.models import (
    Audience,
    Event,
    EventKind,
    EventOrganisation,
    OrganisationRole,
    Outcome,
    OutcomeKind,
    Session,
    SessionKind,
    SessionSpeaker,
    Speaker,
    SpeakerRole,
)
from ccx.events.validation import event_problems, session_problems

BUNDLED_EVENTS_DIR = Path(settings.PACKAGE_DIR) / "data" / "events"
IMPORT_KIND = "events-demo"


def bundled_event_files() -> list[Path]:
    return sorted(BUNDLED_EVENTS_DIR.glob("*.json"))


# The event and session validators' rules, phrased for the import log ("place: problem").
IMPORT_MESSAGES = {
    "required": "is required",
    "too_long": "is longer than %(limit)s characters",
    "unknown_choice": "'%(value)s' is not one of: %(choices)s",
    "dates_reversed": "the last day is before the first day",
    "no_mode": "an event is in person, online, or both",
    "unknown_time_zone": "'%(value)s' is not a known IANA time zone",
    "not_web_address": "'%(value)s' is not a web address",
    "ends_first": "the session ends before it starts",
    "outside_event": "is not a day of the event",
}


@dataclass(frozen=True)
class EventFileProblem(ImportProblem):
    where: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.message}" if self.where else f"{self.path}: {self.message}"


class _Checker:
    """Reads one event document and collects every problem with its place in the file."""

    def __init__(self, path: Path, cities: dict[str, City], countries: dict[str, Country]):
        self.path, self.cities, self.countries = path, cities, countries
        self.problems: list[ImportProblem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(EventFileProblem(str(self.path), 0, message, where))

    def refused(self, errors: Errors, where: str) -> None:
        """A record validator's problems (events/validation.py), phrased for the import log."""
        for name, texts in messages(phrased(errors, IMPORT_MESSAGES)).items():
            for text in texts:
                self.problem(f"{where}{name}", text)

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = False, limit: int = 0) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.problem(f"{where}{key}", "must be text")
            return ""
        if required and not value.strip():
            self.problem(f"{where}{key}", "is required")
        if limit and len(value) > limit:
            self.problem(f"{where}{key}", f"is longer than {limit} characters")
        return value.strip()

    def choice(self, data: dict[str, Any], key: str, where: str, choices: list[str]) -> str:
        value = data.get(key)
        if value not in choices:
            self.problem(f"{where}{key}", f"'{value}' is not one of: {', '.join(choices)}")
            return choices[0]
        return str(value)

    def day(self, data: dict[str, Any], key: str, where: str) -> date | None:
        try:
            return date.fromisoformat(str(data.get(key)))
        except ValueError:
            self.problem(f"{where}{key}", f"'{data.get(key)}' is not a date (YYYY-MM-DD)")
            return None

    def clock(self, data: dict[str, Any], key: str, where: str) -> time | None:
        try:
            return time.fromisoformat(str(data.get(key)))
        except ValueError:
            self.problem(f"{where}{key}", f"'{data.get(key)}' is not a time (HH:MM)")
            return None

    def city(self, slug: Any, where: str) -> City | None:
        if slug in (None, ""):
            return None
        city = self.cities.get(str(slug))
        if city is None:
            self.problem(where, f"unknown city '{slug}'")
        return city

    def organisation(self, data: Any, where: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.problem(where, "must be an object with name and kind")
            return None
        name = self.text(data, "name", f"{where}.", required=True, limit=200)
        kind = self.choice(data, "kind", f"{where}.", OrganisationType.values)
        country = data.get("country")
        if country and country not in self.countries:
            self.problem(f"{where}.country", f"unknown country code '{country}'")
        return {
            "name": name,
            "kind": kind,
            "country": self.countries.get(country) if country else None,
            "city": self.city(data.get("city"), f"{where}.city"),
        }

    def check(self, document: Any) -> dict[str, Any]:
        if not isinstance(document, dict):
            self.problem("", "the file must hold one JSON object (an event)")
            return {}
        event: dict[str, Any] = {
            "slug": self.text(document, "slug", "", required=True),
            "kind": self.choice(document, "kind", "", EventKind.values),
            "audience": self.choice({"audience": "public", **document}, "audience", "", Audience.values),
            "original_language": self.text(document, "original_language", "") or "en",
            "time_zone": self.text(document, "time_zone", "", required=True),
        }
        for name in ("title", "theme", "concept_note", "venue_name", "venue_address", "programme_note", "report",
                     "source_url"):  # fmt: skip
            event[name] = self.text(document, name, "")
        for flag, default in (("in_person", True), ("online", False), ("is_published", True),
                              ("registration_open", False)):  # fmt: skip
            value = document.get(flag, default)
            if not isinstance(value, bool):
                self.problem(flag, "must be true or false")
            event[flag] = bool(value)
        event["starts_on"] = self.day(document, "starts_on", "")
        event["ends_on"] = self.day(document, "ends_on", "")
        errors = event_problems(event)
        self.refused(errors, "")
        zone_ok = "time_zone" not in errors
        event["host_city"] = self.city(document.get("host_city"), "host_city")
        event["cities"] = [
            c for i, slug in enumerate(document.get("cities") or []) if (c := self.city(slug, f"cities[{i}]"))
        ]
        organisations = []
        for i, item in enumerate(document.get("organisations") or []):
            where = f"organisations[{i}]"
            organisation = self.organisation(item, where)
            if organisation:
                organisation["role"] = self.choice(item, "role", f"{where}.", OrganisationRole.values)
                organisations.append(organisation)
        event["organisations"] = organisations
        speakers: dict[str, dict[str, Any]] = {}
        for i, item in enumerate(document.get("speakers") or []):
            where = f"speakers[{i}]."
            if not isinstance(item, dict):
                self.problem(where, "must be an object")
                continue
            key = self.text(item, "key", where, required=True, limit=140)
            if key in speakers:
                self.problem(f"{where}key", f"'{key}' appears twice")
            speakers[key] = {
                "name": self.text(item, "name", where, required=True, limit=200),
                "position": self.text(item, "position", where, limit=300),
                "bio": self.text(item, "bio", where),
                "city": self.city(item.get("city"), f"{where}city"),
                "organisation": self.organisation(item["organisation"], f"{where}organisation")
                if item.get("organisation")
                else None,
            }
        event["speakers"] = speakers
        sessions = []
        titles: set[str] = set()
        for i, item in enumerate(document.get("sessions") or []):
            where = f"sessions[{i}]."
            if not isinstance(item, dict):
                self.problem(where, "must be an object")
                continue
            title = self.text(item, "title", where)
            if title in titles:
                self.problem(f"{where}title", f"'{title}' appears twice")
            titles.add(title)
            day, start, end = (
                self.day(item, "day", where),
                self.clock(item, "start", where),
                self.clock(item, "end", where),
            )
            session: dict[str, Any] = {
                "title": title,
                "kind": self.choice(item, "kind", where, SessionKind.values),
                "description": self.text(item, "description", where),
                "room": self.text(item, "room", where),
                "is_online": bool(item.get("online", False)),
            }
            if day and start and end and zone_ok:
                within = Event(time_zone=event["time_zone"], starts_on=event["starts_on"], ends_on=event["ends_on"])
                session["starts_at"] = datetime.combine(day, start, tzinfo=within.zone)
                session["ends_at"] = datetime.combine(day, end, tzinfo=within.zone)
                self.refused(session_problems(session, event=within), where)
            for role in ("chairs", "speakers"):
                for key in item.get(role) or []:
                    if key not in speakers:
                        self.problem(f"{where}{role}", f"no speaker with key '{key}'")
                session[role] = list(item.get(role) or [])
            sessions.append(session)
        event["sessions"] = sessions
        outcomes = []
        for i, item in enumerate(document.get("outcomes") or []):
            where = f"outcomes[{i}]."
            if not isinstance(item, dict):
                self.problem(where, "must be an object")
                continue
            outcomes.append(
                {
                    "kind": self.choice(item, "kind", where, OutcomeKind.values),
                    "title": self.text(item, "title", where, required=True, limit=300),
                    "summary": self.text(item, "summary", where),
                    "url": self.text(item, "url", where, limit=500),
                    "open_for_signature": bool(item.get("open_for_signature", False)),
                }
            )
        event["outcomes"] = outcomes
        return event


def read_event_files(paths: list[Path]) -> list[dict[str, Any]]:
    """Parse and check every file; raise ImportFailed listing every problem of every file."""
    cities = {city.slug: city for city in City.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    problems: list[ImportProblem] = []
    documents = []
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            problems.append(EventFileProblem(str(path), 0, f"cannot read the file: {error.strerror}"))
            continue
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            line = getattr(error, "lineno", 0)
            problems.append(EventFileProblem(str(path), line, f"not valid JSON: {error}", f"line {line}"))
            continue
        checker = _Checker(path, cities, countries)
        event = checker.check(document)
        if event.get("slug") in slugs:
            checker.problem("slug", f"'{event['slug']}' is also the slug of {slugs[event['slug']]}")
        slugs[event.get("slug", "")] = path
        problems.extend(checker.problems)
        documents.append(event)
    if problems:
        raise ImportFailed(problems)
    return documents


def _organisation(values: dict[str, Any]) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name=values["name"], kind=values["kind"], defaults={"country": values["country"], "city": values["city"]}
    )
    return organisation


def _update(instance: Any, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save()
    return bool(changed)


def _load_one(data: dict[str, Any]) -> str:
    """Create or update one event; return 'created', 'updated' or 'unchanged'."""
    scalar = {k: v for k, v in data.items() if k not in {"cities", "organisations", "speakers", "sessions", "outcomes"}}
    event = Event.objects.filter(slug=data["slug"]).first()
    created = event is None
    changed = False
    if event is None:
        event = Event.objects.create(**scalar)
    else:
        changed |= _update(event, scalar)
    if set(event.cities.values_list("pk", flat=True)) != {c.pk for c in data["cities"]}:
        event.cities.set(data["cities"])
        changed = True
    wanted_roles = [(_organisation(o), o["role"]) for o in data["organisations"]]
    current_roles = [(link.organisation_id, link.role) for link in event.organisations.all()]
    if current_roles != [(organisation.pk, role) for organisation, role in wanted_roles]:
        EventOrganisation.objects.filter(event=event).delete()
        EventOrganisation.objects.bulk_create(
            EventOrganisation(event=event, organisation=organisation, role=role, position=position)
            for position, (organisation, role) in enumerate(wanted_roles)
        )
        changed = True
    speakers: dict[str, Speaker] = {}
    for key, values in data["speakers"].items():
        values = {**values, "organisation": _organisation(values["organisation"]) if values["organisation"] else None}
        speaker = Speaker.objects.filter(event=event, slug=key).first()
        if speaker is None:
            speaker = Speaker.objects.create(event=event, slug=key, **values)
            changed = True
        else:
            changed |= _update(speaker, values)
        speakers[key] = speaker
    for values in data["sessions"]:
        people = [(speakers[k], SpeakerRole.CHAIR) for k in values["chairs"]] + [
            (speakers[k], SpeakerRole.SPEAKER) for k in values["speakers"]
        ]
        fields = {k: v for k, v in values.items() if k not in ("chairs", "speakers")}
        session = Session.objects.filter(event=event, title=values["title"]).first()
        if session is None:
            session = Session.objects.create(event=event, **fields)
            changed = True
        else:
            changed |= _update(session, fields)
        current = [(a.speaker_id, a.role) for a in session.appearances.all()]
        if sorted(current) != sorted((p.pk, role) for p, role in people):
            session.appearances.all().delete()
            SessionSpeaker.objects.bulk_create(
                SessionSpeaker(session=session, speaker=p, role=role, position=i) for i, (p, role) in enumerate(people)
            )
            changed = True
    for position, values in enumerate(data["outcomes"]):
        outcome = Outcome.objects.filter(event=event, title=values["title"]).first()
        if outcome is None:
            Outcome.objects.create(event=event, position=position, **values)
            changed = True
        else:
            changed |= _update(outcome, {**values, "position": position})
    return "created" if created else "updated" if changed else "unchanged"


def load_events(paths: list[Path] | None = None, progress: Progress = silent) -> ImportReport:
    paths = paths if paths is not None else bundled_event_files()
    documents = read_event_files(paths)
    report = ImportReport(kind="events", source=", ".join(path.name for path in paths))
    with transaction.atomic():
        for done, data in enumerate(documents, start=1):
            outcome = _load_one(data)
            setattr(report, outcome, getattr(report, outcome) + 1)
            progress(done, len(documents), data["slug"])
        if paths:
            run = ImportReport(IMPORT_KIND, report.source, report.created, report.updated, report.unchanged)
            record_run(run, file_checksum(*paths))
    return report


def load_demo_events(command: Any, options: dict[str, Any]) -> None:
    """For `ccx setup`: load the bundled demo events unless they are already loaded unchanged."""
    from django.core.management import call_command

    paths = bundled_event_files()
    if paths and already_imported(IMPORT_KIND, file_checksum(*paths)) and not options.get("force"):
        command.stdout.write("events: already loaded, unchanged")
        return
    call_command(
        "load-demo-events", no_progress=options.get("no_progress"), stdout=command.stdout, stderr=command.stderr
    )
