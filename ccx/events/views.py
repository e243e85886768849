import json
from collections.abc import Callable
from datetime import date
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.core.htmx import is_htmx
from ccx.events import registration as registrations
from ccx.events import services
from ccx.events.calendar import personal_calendar, programme_calendar
from ccx.events.errors import EventError
from ccx.events.exports import cached, participants_csv, programme_csv, programme_json, public_stamp
from ccx.events.forms import EventForm, OutcomeForm, RegistrationForm, SessionForm, SignForm, SpeakerForm
from ccx.events.models import (
    ACTIVE_STATUSES,
    Audience,
    Event,
    EventOrganisation,
    OrganisationRole,
    Outcome,
    Registration,
    RegistrationStatus,
    Session,
    Signature,
    Speaker,
)
from ccx.events.permissions import (
    can_create_event,
    can_register,
    can_see_join_links,
    can_view,
    is_organiser,
    signing_cities,
)


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("host_city"), slug=slug)
    if not can_view(request.user, event):
        if event.is_published and event.audience == Audience.MEMBERS and not request.user.is_authenticated:
            raise _LoginNeeded
        raise Http404
    return event


class _LoginNeeded(Exception):
    pass


def _login_or_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A members-only event sends an anonymous visitor to the sign-in page rather than to a 404."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _organiser_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not is_organiser(request.user, event):
        raise PermissionDenied
    return event


def _is_anonymous(request: HttpRequest) -> bool:
    """Nobody signed in and no message waiting: the request can get the shared, cached variant."""
    return not request.user.is_authenticated and "messages" not in request.COOKIES


# -- public pages --------------------------------------------------------------------------------------------


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


@_login_or_404
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
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
        "can_organise": is_organiser(request.user, event),
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
        "can_organise": is_organiser(request.user, event),
        "anonymous_variant": not request.user.is_authenticated,
    }


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """Anonymous visitors of a public event get the cached page (no join link, no star), read with one query."""
    stamp = public_stamp(slug) if _is_anonymous(request) else None
    if stamp is not None:

        def build() -> bytes:
            event = _event_or_404(request, slug)
            return render(request, "events/programme.html", _programme_context(request, event)).content

        return HttpResponse(cached(stamp, "programme-page", build))
    return _programme_page(request, slug)


@_login_or_404
def _programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    return render(request, "events/programme.html", _programme_context(request, event))


def _file(content: bytes | str, content_type: str, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The public programme feed: never a join link, whoever asks (the personal feed carries them)."""
    stamp = public_stamp(slug)
    if stamp is None:
        return _private_programme_ics(request, slug)

    def build() -> bytes:
        event = Event.objects.get(pk=stamp.pk)
        return programme_calendar(event, services.programme(event))

    return _file(cached(stamp, "programme-ics", build), "text/calendar; charset=utf-8", f"{slug}.ics")


@_login_or_404
def _private_programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """Members-only or unpublished events: for those allowed to see them, built at each request."""
    event = _event_or_404(request, slug)
    content = programme_calendar(event, services.programme(event))
    return _file(content, "text/calendar; charset=utf-8", f"{event.slug}.ics")


@_login_or_404
def programme_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    if format == "json":
        content = json.dumps(programme_json(event, services.programme(event)), ensure_ascii=False, indent=2)
        return _file(content, "application/json", f"{event.slug}-programme.json")
    if format == "csv":
        return _file(programme_csv(event, services.programme(event)), "text/csv; charset=utf-8",
                     f"{event.slug}-programme.csv", inline=False)  # fmt: skip
    raise Http404


@_login_or_404
def speakers(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    people = event.speakers.select_related("city__country", "organisation").annotate(
        session_count=Count("appearances__session", distinct=True)
    )
    context = {"event": event, "speakers": people, "can_organise": is_organiser(request.user, event)}
    return render(request, "events/speakers.html", context)


@_login_or_404
def speaker(request: HttpRequest, slug: str, speaker_slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    person = get_object_or_404(
        Speaker.objects.select_related("city__country", "organisation"), event=event, slug=speaker_slug
    )
    appearances = person.appearances.select_related("session").order_by("session__starts_at")
    context = {
        "event": event,
        "speaker": person,
        "appearances": appearances,
        "can_organise": is_organiser(request.user, event),
    }
    return render(request, "events/speaker.html", context)


# -- registration and personal agenda ------------------------------------------------------------------------


def _problems(request: HttpRequest, error: EventError) -> None:
    for problem in error.problems:
        messages.error(request, problem)


@require_POST
@login_required
@_login_or_404
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    form = RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose how you attend: in person or online."))
        return redirect(event)
    try:
        registration = registrations.register(event, request.user, form.cleaned_data["mode"])
    except EventError as error:
        _problems(request, error)
        return redirect(event)
    messages.success(request, _("Your registration: %(status)s.") % {"status": registration.get_status_display()})
    return redirect(event)


@require_POST
@login_required
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    registration = get_object_or_404(Registration, event=event, user=request.user, status__in=ACTIVE_STATUSES)
    try:
        registrations.cancel(registration, request.user)
    except EventError as error:
        _problems(request, error)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@require_POST
@login_required
@_login_or_404
def toggle_star(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _event_or_404(request, slug)
    session = get_object_or_404(Session.objects.select_related("event"), event=event, pk=session_id)
    try:
        if request.POST.get("star") == "1":
            registration = services.star(session, request.user)
        else:
            registration = services.unstar(session, request.user)
    except EventError as error:
        if is_htmx(request):
            return HttpResponse(" ".join(error.problems), status=409)
        _problems(request, error)
        return redirect("events:programme", event.slug)
    if is_htmx(request):
        starred = registration.starred.filter(pk=session.pk).exists()
        return render(
            request,
            "events/_star.html",
            {"event": event, "session": session, "starred": {session.pk} if starred else set()},
        )
    return redirect(session.get_absolute_url())


@login_required
@_login_or_404
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    registration = registrations.active_registration(event, request.user)
    if registration is None:
        messages.info(request, _("Register for the event to build your agenda."))
        return redirect(event)
    sessions = services.programme(event).filter(stars=registration)
    feed_path = reverse("events:personal_feed", args=[registration.feed_token])
    context = {
        "event": event,
        "registration": registration,
        "sessions": sessions,
        "feed_url": request.build_absolute_uri(feed_path),
        "show_join": can_see_join_links(request.user, event, registration),
    }
    return render(request, "events/agenda.html", context)


@require_POST
@login_required
def renew_feed(request: HttpRequest, slug: str) -> HttpResponse:
    registration = get_object_or_404(Registration, event__slug=slug, user=request.user, status__in=ACTIVE_STATUSES)
    services.renew_feed_token(registration, request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("events:agenda", slug)


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret address of a participant's agenda: no sign-in (calendar apps cannot), revocable."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "user"), feed_token=token, status__in=ACTIVE_STATUSES
    )
    event = registration.event
    with_links = registration.is_confirmed
    sessions = services.programme(event).filter(stars=registration)
    content = personal_calendar(registration, sessions, with_join_links=with_links)
    response = _file(content, "text/calendar; charset=utf-8", f"{event.slug}-agenda.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# -- organisers ----------------------------------------------------------------------------------------------


def participants(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _organiser_event(request, slug)
    people = (
        event.registrations.select_related("user__organisation")
        .prefetch_related("user__focal_point_of")
        .order_by("registered_at", "pk")
    )
    if request.GET.get("format") == "csv":
        return _file(participants_csv(people), "text/csv; charset=utf-8", f"{event.slug}-participants.csv",
                     inline=False)  # fmt: skip
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    for registration in people:
        counts[registration.status] += 1
    context = {
        "event": event,
        "registrations": people,
        "counts": [(RegistrationStatus(status).label, count) for status, count in counts.items()],
        "seats": [(mode, event.capacity(mode), registrations.seats_left(event, mode)) for mode in event.modes()],
    }
    return render(request, "events/participants.html", context)


@require_POST
def decide(request: HttpRequest, slug: str, registration_id: int, action: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    actions = {"approve": registrations.approve, "decline": registrations.decline, "cancel": registrations.cancel}
    if action not in actions:
        raise Http404
    try:
        actions[action](registration, request.user)
    except EventError as error:
        _problems(request, error)
    else:
        messages.success(request, _("Done: %(name)s.") % {"name": registration.user.display_name})
    return redirect("events:participants", event.slug)


def _form_page(request: HttpRequest, event: Event | None, form: Any, title: str, **extra: Any) -> HttpResponse:
    return render(request, "events/form.html", {"event": event, "form": form, "title": title, **extra})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if not can_create_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(request.user, form.values())
        messages.success(request, _("The event was created."))
        return redirect(event)
    return _form_page(request, None, form, _("New event"))


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organiser_event(request, slug)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.update_event(event, request.user, form.values())
        messages.success(request, _("The event was saved."))
        return redirect(event)
    return _form_page(request, event, form, _("Edit the event"))


@login_required
def session_edit(request: HttpRequest, slug: str, session_id: int | None = None) -> HttpResponse:
    event = _organiser_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=session_id) if session_id else None
    form = SessionForm(request.POST or None, event=event, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_session(
                event,
                request.user,
                form.values(),
                session=session,
                chairs=form.cleaned_data["chairs"],
                speakers=form.cleaned_data["speakers"],
            )
        except EventError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(saved.get_absolute_url())
    title = _("Edit the session") if session else _("Add a session")
    return _form_page(request, event, form, title, session=session)


@require_POST
@login_required
def session_delete(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _organiser_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=session_id)
    services.delete_session(session, request.user)
    messages.success(request, _("The session was removed from the programme."))
    return redirect("events:programme", event.slug)


@login_required
def speaker_edit(request: HttpRequest, slug: str, speaker_slug: str | None = None) -> HttpResponse:
    event = _organiser_event(request, slug)
    person = get_object_or_404(Speaker, event=event, slug=speaker_slug) if speaker_slug else None
    form = SpeakerForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        saved = services.save_speaker(event, request.user, form.values(), speaker=person)
        messages.success(request, _("The speaker was saved."))
        return redirect(saved)
    title = _("Edit the speaker") if person else _("Add a speaker")
    return _form_page(request, event, form, title, multipart=True)


@login_required
def outcome_edit(request: HttpRequest, slug: str, outcome_id: int | None = None) -> HttpResponse:
    event = _organiser_event(request, slug)
    outcome = get_object_or_404(Outcome, event=event, pk=outcome_id) if outcome_id else None
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        services.save_outcome(event, request.user, form.values(), outcome=outcome)
        messages.success(request, _("The outcome was saved."))
        return redirect(f"{event.get_absolute_url()}#outcomes-heading")
    title = _("Edit the outcome") if outcome else _("Add an outcome")
    return _form_page(request, event, form, title)


@require_POST
@login_required
def sign(request: HttpRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("event"), event__slug=slug, pk=outcome_id)
    if not can_view(request.user, outcome.event):
        raise Http404
    form = SignForm(request.POST, cities=signing_cities(request.user, outcome), prefix=f"outcome-{outcome.pk}")
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.sign(outcome, form.cleaned_data["city"], request.user)
    except EventError as error:
        _problems(request, error)
    else:
        messages.success(
            request,
            _("%(city)s signed “%(title)s”.") % {"city": form.cleaned_data["city"].name, "title": outcome.title},
        )
    return redirect(f"{outcome.event.get_absolute_url()}#outcome-{outcome.pk}")
