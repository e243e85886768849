"""Pages for the event's organisers: participants, the event, sessions, speakers and outcomes."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.core.validation import refusal_to_form
from ccx.events import registration as registrations
from ccx.events import services
from ccx.events.errors import EventError
from ccx.events.exports import participants_csv
from ccx.events.forms import EventForm, OutcomeForm, SessionForm, SignForm, SpeakerForm
from ccx.events.models import (
    Event,
    Outcome,
    Registration,
    RegistrationStatus,
    Session,
    Speaker,
)
from ccx.events.permissions import (
    can_create_event,
    signing_cities,
)
from ccx.events.views.access import file_response, organiser_event, show_problems


def participants(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = organiser_event(request, slug)
    people = (
        event.registrations.select_related("user__organisation")
        .prefetch_related("user__focal_point_of")
        .order_by("registered_at", "pk")
    )
    if request.GET.get("format") == "csv":
        return file_response(participants_csv(people), "text/csv; charset=utf-8", f"{event.slug}-participants.csv",
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
    event = organiser_event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=registration_id)
    actions = {"approve": registrations.approve, "decline": registrations.decline, "cancel": registrations.cancel}
    if action not in actions:
        raise Http404
    try:
        actions[action](registration, request.user)
    except EventError as error:
        show_problems(request, error)
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
    event = organiser_event(request, slug)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.update_event(event, request.user, form.values())
        messages.success(request, _("The event was saved."))
        return redirect(event)
    return _form_page(request, event, form, _("Edit the event"))


@login_required
def session_edit(request: HttpRequest, slug: str, session_id: int | None = None) -> HttpResponse:
    event = organiser_event(request, slug)
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
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(saved.get_absolute_url())
    title = _("Edit the session") if session else _("Add a session")
    return _form_page(request, event, form, title, session=session)


@require_POST
@login_required
def session_delete(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = organiser_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=session_id)
    services.delete_session(session, request.user)
    messages.success(request, _("The session was removed from the programme."))
    return redirect("events:programme", event.slug)


@login_required
def speaker_edit(request: HttpRequest, slug: str, speaker_slug: str | None = None) -> HttpResponse:
    event = organiser_event(request, slug)
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
    event = organiser_event(request, slug)
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
    if not outcome.event.is_visible_to(request.user):
        raise Http404
    form = SignForm(request.POST, cities=signing_cities(request.user, outcome), prefix=f"outcome-{outcome.pk}")
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.sign(outcome, form.cleaned_data["city"], request.user)
    except EventError as error:
        show_problems(request, error)
    else:
        messages.success(
            request,
            _("%(city)s signed “%(title)s”.") % {"city": form.cleaned_data["city"].name, "title": outcome.title},
        )
    return redirect(f"{outcome.event.get_absolute_url()}#outcome-{outcome.pk}")
