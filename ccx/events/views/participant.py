"""Pages for a signed-in participant: registration, starred sessions, the personal agenda and its feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.core.htmx import is_htmx
from ccx.events import registration as registrations
from ccx.events import services
from ccx.events.calendar import personal_calendar
from ccx.events.errors import EventError
from ccx.events.forms import RegistrationForm
from ccx.events.models import (
    ACTIVE_STATUSES,
    Event,
    Registration,
    Session,
)
from ccx.events.permissions import (
    can_see_join_links,
)
from ccx.events.views.access import event_or_404, file_response, login_or_404, show_problems


@require_POST
@login_required
@login_or_404
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
    form = RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose how you attend: in person or online."))
        return redirect(event)
    try:
        registration = registrations.register(event, request.user, form.cleaned_data["mode"])
    except EventError as error:
        show_problems(request, error)
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
        show_problems(request, error)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@require_POST
@login_required
@login_or_404
def toggle_star(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = event_or_404(request, slug)
    session = get_object_or_404(Session.objects.select_related("event"), event=event, pk=session_id)
    try:
        if request.POST.get("star") == "1":
            registration = services.star(session, request.user)
        else:
            registration = services.unstar(session, request.user)
    except EventError as error:
        if is_htmx(request):
            return HttpResponse(" ".join(error.problems), status=409)
        show_problems(request, error)
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
@login_or_404
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(request, slug)
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
    response = file_response(content, "text/calendar; charset=utf-8", f"{event.slug}-agenda.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
