"""Pages for everyone who may see the event: the list, the event, its programme, exports and speakers."""

import json
from datetime import date
from itertools import groupby
from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ccx.events import registration as registrations
from ccx.events import services
from ccx.events.calendar import programme_calendar
from ccx.events.exports import cached, programme_csv, programme_json, public_stamp
from ccx.events.forms import RegistrationForm, SignForm
from ccx.events.models import (
    Event,
    EventOrganisation,
    OrganisationRole,
    Session,
    Signature,
    Speaker,
)
from ccx.events.permissions import (
    can_create_event,
    can_register,
    can_see_join_links,
    signing_cities,
)
from ccx.events.views.access import (
    event_or_404,
    file_response,
    is_anonymous,
    login_or_404,
)


def event_list(request: HttpRequest) -> HttpResponse:
    events = list(
        Event.objects.visible_to(request.user)
        .select_related("host_city")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("-starts_on", "title")
    )
    today = timezone.now().date()
    context = {
        "upcoming": sorted((e for e in events if e.ends_on >= today), key=lambda e: e.starts_on),
        "past": [e for e in events if e.ends_on < today],
        "can_create": can_create_event(request.user),
    }
    return render(request, "events/list.html", context)


def _organisations_by_role(event: Event) -> list[tuple[str, list[EventOrganisation]]]:
    links = list(event.organisations.select_related("organisation"))
    return [
        (str(role.label), [link for link in links if link.role == role])
        for role in OrganisationRole
        if any(link.role == role for link in links)
    ]


@login_or_404
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    registration = registrations.active_registration(event, request.user)
    outcomes = list(
        event.outcomes.prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("city__country"))
        )
    )
    for outcome in outcomes:
        cities = signing_cities(request.user, outcome)
        outcome.sign_form = SignForm(cities=cities, prefix=f"outcome-{outcome.pk}") if cities else None  # type: ignore[attr-defined]
    seats = [(mode, event.capacity(mode), registrations.seats_left(event, mode)) for mode in event.modes()]
    context = {
        "event": event,
        "text": {part: event.localized(part) for part in ("title", "theme", "concept_note")},
        "organisations": _organisations_by_role(event),
        "registration": registration,
        "waiting_position": registrations.waiting_position(registration) if registration else None,
        "form": RegistrationForm(event=event) if can_register(request.user, event) and not registration else None,
        "seats": seats,
        "can_organise": event.editable_by(request.user),
        "outcomes": outcomes,
        "session_count": event.sessions.count(),
        "speakers": event.speakers.select_related("city", "organisation")[:12],
        "cities": event.cities.select_related("country").order_by("name"),
        "is_over": event.is_over(),
    }
    return render(request, "events/detail.html", context)


def _programme_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    sessions = list(services.programme(event))
    registration = registrations.active_registration(event, request.user)
    zone = event.zone
    days: list[tuple[date, list[Session]]] = [
        (day, list(group)) for day, group in groupby(sessions, key=lambda s: s.starts_at.astimezone(zone).date())
    ]
    return {
        "event": event,
        "days": days,
        "registration": registration,
        "starred": set(registration.starred.values_list("pk", flat=True)) if registration else set(),
        "show_join": can_see_join_links(request.user, event, registration),
        "can_organise": event.editable_by(request.user),
        "anonymous_variant": not request.user.is_authenticated,
    }


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """Anonymous visitors of a public event get the cached page (no join link, no star), read with one query."""
    stamp = public_stamp(slug) if is_anonymous(request) else None
    if stamp is not None:

        def build() -> bytes:
            event = event_or_404(request, slug)
            return render(request, "events/programme.html", _programme_context(request, event)).content

        return HttpResponse(cached(stamp, "programme-page", build))
    return _programme_page(request, slug)


@login_or_404
def _programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    return render(request, "events/programme.html", _programme_context(request, event))


def programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The public programme feed: never a join link, whoever asks (the personal feed carries them)."""
    stamp = public_stamp(slug)
    if stamp is None:
        return _private_programme_ics(request, slug)

    def build() -> bytes:
        event = Event.objects.get(pk=stamp.pk)
        return programme_calendar(event, services.programme(event))

    return file_response(cached(stamp, "programme-ics", build), "text/calendar; charset=utf-8", f"{slug}.ics")


@login_or_404
def _private_programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """Members-only or unpublished events: for those allowed to see them, built at each request."""
    event = event_or_404(request, slug)
    content = programme_calendar(event, services.programme(event))
    return file_response(content, "text/calendar; charset=utf-8", f"{event.slug}.ics")


@login_or_404
def programme_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    event = event_or_404(request, slug)
    if format == "json":
        content = json.dumps(programme_json(event, services.programme(event)), ensure_ascii=False, indent=2)
        return file_response(content, "application/json", f"{event.slug}-programme.json")
    if format == "csv":
        return file_response(programme_csv(event, services.programme(event)), "text/csv; charset=utf-8",
                     f"{event.slug}-programme.csv", inline=False)  # fmt: skip
    raise Http404


@login_or_404
def speakers(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    people = event.speakers.select_related("city__country", "organisation").annotate(
        session_count=Count("appearances__session", distinct=True)
    )
    context = {"event": event, "speakers": people, "can_organise": event.editable_by(request.user)}
    return render(request, "events/speakers.html", context)


@login_or_404
def speaker(request: HttpRequest, slug: str, speaker_slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    person = get_object_or_404(
        Speaker.objects.select_related("city__country", "organisation"), event=event, slug=speaker_slug
    )
    appearances = person.appearances.select_related("session").order_by("session__starts_at")
    context = {
        "event": event,
        "speaker": person,
        "appearances": appearances,
        "can_organise": event.editable_by(request.user),
    }
    return render(request, "events/speaker.html", context)
