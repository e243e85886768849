"""API for Summits and workshops: events, programmes and speakers (read); the signed-in person's registration
and personal agenda (write). Join links appear only for confirmed participants and organisers."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import MAX_LIMIT, Converted, pages
from ccx.api.schemas import limited, one_of
from ccx.events import registration as registrations
from ccx.events import services
from ccx.events.exports import session_record
from ccx.events.models import Event, Mode, Registration, Session, Speaker
from ccx.events.permissions import can_see_join_links

router = Router(tags=["events"])


class OrganisationRoleOut(Schema):
    name: str
    kind: str
    role: str


class OutcomeOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    url: str
    open_for_signature: bool
    signatories: list[str] = Field(description="Slugs of the cities that signed")


class EventSummary(Schema):
    slug: str
    title: str
    kind: str
    theme: str
    starts_on: str
    ends_on: str
    time_zone: str
    in_person: bool
    online: bool
    audience: str
    host_city: str | None
    url: str


class EventOut(EventSummary):
    concept_note: str
    original_language: str
    translations: dict[str, dict[str, str]]
    venue_name: str
    venue_address: str
    latitude: float | None
    longitude: float | None
    organisations: list[OrganisationRoleOut]
    cities: list[str]
    registration_open: bool
    requires_approval: bool
    capacity_in_person: int | None
    capacity_online: int | None
    seats_left_in_person: int | None
    seats_left_online: int | None
    programme_note: str
    report: str
    outcomes: list[OutcomeOut]
    programme_ics: str
    programme_json: str


class PersonOut(Schema):
    slug: str = Field(description="The speaker's slug (see /events/{slug}/speakers)")
    name: str


class SessionOut(Schema):
    """The one representation of a session, shared with the programme export (events/exports.py)."""

    id: int
    title: str
    kind: str
    description: str
    starts_at: str = Field(description="In the event's time zone, ISO 8601 with offset")
    ends_at: str
    starts_at_utc: str
    ends_at_utc: str
    room: str
    online: bool
    join_url: str | None = Field(description="Only for confirmed participants and organisers; otherwise null")
    chairs: list[PersonOut]
    speakers: list[PersonOut]
    practices: list[str] = Field(description="Practice slugs")
    challenges: list[str] = Field(description="Slugs of public challenges (case clinics) the session hosts")
    partnerships: list[str] = Field(description="Slugs of public partnerships the session is about")
    recording_url: str
    slides_url: str


class SpeakerOut(Schema):
    slug: str
    name: str
    position: str
    city: str | None
    organisation: str | None
    bio: str
    photo_url: str | None
    sessions: list[int]
    url: str


class RegistrationIn(Schema):
    mode: str = limited(Registration, "mode", ..., description="How you attend", json_schema_extra=one_of(Mode.values))


class RegistrationOut(Schema):
    event: str
    mode: str
    status: str = Field(description="pending, confirmed, waiting, declined or cancelled")
    waiting_position: int | None
    starred: list[int]
    calendar_url: str = Field(description="Secret address of the personal iCal feed")


def _event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("host_city"), slug=slug)
    if not event.is_visible_to(request.user):
        raise Http404
    return event


def _summary(event: Event) -> dict[str, object]:
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "theme": event.theme,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "time_zone": event.time_zone,
        "in_person": event.in_person,
        "online": event.online,
        "audience": event.audience,
        "host_city": event.host_city.slug if event.host_city else None,
        "url": event.get_absolute_url(),
    }


@router.get("/events", response=list[EventSummary], summary="Events the caller may see, newest first")
@paginate(pages(20))
def list_events(request: HttpRequest) -> Converted[Event]:
    return Converted(Event.objects.visible_to(request.user).select_related("host_city"), _summary)


@router.get("/events/{slug}", response={200: EventOut, **errors(404)}, summary="One event")
def get_event(request: HttpRequest, slug: str) -> tuple[int, object]:
    event = _event(request, slug)
    outcomes = event.outcomes.prefetch_related("signatures__city")
    return 200, {
        **_summary(event),
        "concept_note": event.concept_note,
        "original_language": event.original_language,
        "translations": {
            t.language: {"title": t.title, "theme": t.theme, "concept_note": t.concept_note}
            for t in event.translations.all()
        },
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "organisations": [
            {"name": link.organisation.name, "kind": link.organisation.kind, "role": link.role}
            for link in event.organisations.select_related("organisation")
        ],
        "cities": list(event.cities.order_by("slug").values_list("slug", flat=True)),
        "registration_open": event.registration_open,
        "requires_approval": event.requires_approval,
        "capacity_in_person": event.capacity_in_person,
        "capacity_online": event.capacity_online,
        "seats_left_in_person": registrations.seats_left(event, Mode.IN_PERSON) if event.in_person else None,
        "seats_left_online": registrations.seats_left(event, Mode.ONLINE) if event.online else None,
        "programme_note": event.programme_note,
        "report": event.report,
        "outcomes": [
            {
                "id": o.pk,
                "kind": o.kind,
                "title": o.title,
                "summary": o.summary,
                "url": o.url,
                "open_for_signature": o.open_for_signature,
                "signatories": [s.city.slug for s in o.signatures.all()],
            }
            for o in outcomes
        ],
        "programme_ics": reverse("events:programme_ics", args=[event.slug]),
        "programme_json": reverse("events:programme_export", args=[event.slug, "json"]),
    }


@router.get(
    "/events/{slug}/sessions", response={200: list[SessionOut], **errors(404)}, summary="The programme of an event"
)
@paginate(pages(MAX_LIMIT))
def list_sessions(request: HttpRequest, slug: str) -> Converted[Session]:
    event = _event(request, slug)
    registration = registrations.active_registration(event, request.user)
    show_join = can_see_join_links(request.user, event, registration)
    return Converted(
        services.programme(event), lambda session: session_record(session, event, with_join_link=show_join)
    )


def _speaker(speaker: Speaker, event: Event) -> dict[str, object]:
    return {
        "slug": speaker.slug,
        "name": speaker.name,
        "position": speaker.position,
        "city": speaker.city.slug if speaker.city else None,
        "organisation": speaker.organisation.name if speaker.organisation else None,
        "bio": speaker.bio,
        "photo_url": speaker.photo.url if speaker.photo else None,
        "sessions": sorted({a.session_id for a in speaker.appearances.all()}),
        "url": reverse("events:speaker", args=[event.slug, speaker.slug]),
    }


@router.get(
    "/events/{slug}/speakers", response={200: list[SpeakerOut], **errors(404)}, summary="The speakers of an event"
)
@paginate(pages(MAX_LIMIT))
def list_speakers(request: HttpRequest, slug: str) -> Converted[Speaker]:
    event = _event(request, slug)
    people = event.speakers.select_related("city", "organisation").prefetch_related("appearances")
    return Converted(people, lambda person: _speaker(person, event))


def _registration(request: HttpRequest, registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        event=registration.event.slug,
        mode=registration.mode,
        status=registration.status,
        waiting_position=registrations.waiting_position(registration),
        starred=sorted(registration.starred.values_list("pk", flat=True)),
        calendar_url=request.build_absolute_uri(reverse("events:personal_feed", args=[registration.feed_token])),
    )


@router.get(
    "/events/{slug}/registration",
    auth=signed_in,
    response={200: RegistrationOut, **errors(404)},
    summary="My registration for an event",
)
def my_registration(request: HttpRequest, slug: str) -> tuple[int, object]:
    event = _event(request, slug)
    registration = registrations.active_registration(event, request.user)
    if registration is None:
        raise Http404("You are not registered for this event.")
    return 200, _registration(request, registration)


@router.post(
    "/events/{slug}/registration",
    auth=signed_in,
    response={201: RegistrationOut, **errors(403, 404, 422)},
    summary="Register for an event (confirmed, waiting list, or waiting for approval)",
)
def register(request: HttpRequest, slug: str, payload: RegistrationIn) -> tuple[int, object]:
    event = _event(request, slug)
    registration = registrations.register(event, request.user, payload.mode)
    return 201, _registration(request, registration)


@router.delete(
    "/events/{slug}/registration",
    auth=signed_in,
    response={200: RegistrationOut, **errors(404, 422)},
    summary="Cancel my registration (the next person on the waiting list gets the seat)",
)
def cancel(request: HttpRequest, slug: str) -> tuple[int, object]:
    event = _event(request, slug)
    registration = registrations.active_registration(event, request.user)
    if registration is None:
        raise Http404("You are not registered for this event.")
    registrations.cancel(registration, request.user)
    registration.refresh_from_db()
    return 200, _registration(request, registration)


def _star(request: HttpRequest, slug: str, session_id: int, add: bool) -> tuple[int, object]:
    event = _event(request, slug)
    session = Session.objects.select_related("event").filter(event=event, pk=session_id).first()
    if session is None:
        raise Http404("No such session in this event.")
    registration = services.star(session, request.user) if add else services.unstar(session, request.user)
    return 200, _registration(request, registration)


@router.put(
    "/events/{slug}/agenda/{session_id}",
    auth=signed_in,
    response={200: RegistrationOut, **errors(404, 422)},
    summary="Star a session (add it to my agenda)",
)
def star(request: HttpRequest, slug: str, session_id: int) -> tuple[int, object]:
    return _star(request, slug, session_id, add=True)


@router.delete(
    "/events/{slug}/agenda/{session_id}",
    auth=signed_in,
    response={200: RegistrationOut, **errors(404, 422)},
    summary="Remove a session from my agenda",
)
def unstar(request: HttpRequest, slug: str, session_id: int) -> tuple[int, object]:
    return _star(request, slug, session_id, add=False)
