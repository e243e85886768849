"""What every event page needs: the event if the visitor may see it, or a sign-in page, or a 404."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ccx.events.errors import EventError
from ccx.events.models import (
    Audience,
    Event,
)


def event_or_404(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("host_city"), slug=slug)
    if not event.is_visible_to(request.user):
        if event.is_published and event.audience == Audience.MEMBERS and not request.user.is_authenticated:
            raise LoginNeeded
        raise Http404
    return event


class LoginNeeded(Exception):
    pass


def login_or_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A members-only event sends an anonymous visitor to the sign-in page rather than to a 404."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def organiser_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not event.editable_by(request.user):
        raise PermissionDenied
    return event


def is_anonymous(request: HttpRequest) -> bool:
    """Nobody signed in and no message waiting: the request can get the shared, cached variant."""
    return not request.user.is_authenticated and "messages" not in request.COOKIES


def file_response(content: bytes | str, content_type: str, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def show_problems(request: HttpRequest, error: EventError) -> None:
    for problem in error.problems:
        messages.error(request, problem)
