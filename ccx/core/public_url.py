"""Absolute links for e-mails, calendars, exports and books.

The configured public address (`CCX_SITE_URL`) wins. Without it (development), links use the address the
current request came in on, so a server on port 8123 writes links to port 8123; outside a request (the
worker, a command) they fall back to the default development address.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

DEVELOPMENT_ORIGIN = "http://127.0.0.1:8000"
_request_origin: ContextVar[str] = ContextVar("request_origin", default="")


def public_url(path: str = "") -> str:
    """`path` (starting with "/") on the site's public address."""
    origin = settings.SITE_URL or _request_origin.get() or DEVELOPMENT_ORIGIN
    return origin.rstrip("/") + path


class RequestOriginMiddleware:
    """Remembers the request's scheme and host for `public_url` while the request is handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_URL:
            return self.get_response(request)
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = ""
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
