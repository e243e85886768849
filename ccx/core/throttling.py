"""Rate limits on what costs the site most: API writes, search, matching and password resets.

The counters live in the cache (`CCX_CACHE_URL`: Redis in production, so that every server process counts
together). A request over its limit gets 429 with `Retry-After`. Each limit is a setting (README "Security
and operations"); sign-in failures are limited by django-axes (see `ccx.accounts.lockout`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# Views whose every request runs the text encoder over the caller's text.
MATCHING_VIEWS = {"api-v1:match", "api-v1:suggest", "practices:sdg_suggestions"}


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind a proxy (`CCX_BEHIND_PROXY`) it is the last X-Forwarded-For entry:
    the one our own proxy appended, which a client cannot forge."""
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if last := forwarded.rsplit(",", 1)[-1].strip():
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def caller_key(_group: str, request: HttpRequest) -> str:
    """Signed-in callers are counted per account (one office shares an address), others per address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def ip_key(_group: str, request: HttpRequest) -> str:
    return f"ip:{client_ip(request)}"


def reset_email_key(_group: str, request: HttpRequest) -> str:
    return "email:" + request.POST.get("email", "").strip().lower()


@dataclass(frozen=True)
class Limit:
    group: str
    key: Callable[[str, HttpRequest], str]


def limits_for(request: HttpRequest) -> list[Limit]:
    """Which limits a request counts against (none for most pages)."""
    match = request.resolver_match
    view = match.view_name if match else ""
    is_api = request.path.startswith(settings.API_PATH_PREFIX)
    finding = view == "practices:find_solutions" and (request.GET.get("text") or request.method == "POST")
    if view in MATCHING_VIEWS or finding:
        return [Limit("matching", caller_key)]
    if request.GET.get("q") or view == "api-v1:search":
        return [Limit("search", caller_key)]
    if view == "accounts:password_reset" and request.method == "POST":
        return [Limit("password-reset", ip_key), Limit("password-reset", reset_email_key)]
    if is_api and request.method in UNSAFE_METHODS:
        return [Limit("api-writes", caller_key)]
    return []


def too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    seconds = max(seconds, 1)
    message = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {"seconds": seconds}
    response: HttpResponse
    if request.path.startswith(settings.API_PATH_PREFIX):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def count(request: HttpRequest, limits: Iterable[Limit]) -> int | None:
    """Count the request against each limit: the seconds to wait if one is exceeded, else None."""
    for limit in limits:
        usage = get_usage(
            request, group=limit.group, key=limit.key, rate=settings.RATE_LIMITS[limit.group], increment=True
        )
        if usage is not None and usage["should_limit"]:
            return int(usage["time_left"])
    return None


class ThrottleMiddleware:
    """Counts each request against its limits (after URL resolution, before the view). A request that
    pagecache.KeptPageMiddleware counted already, and that a limit refused, is refused here without counting
    it twice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *_args: object) -> HttpResponse | None:
        seconds: int | None = getattr(request, "throttled", None)
        if seconds is None:
            seconds = count(request, limits_for(request))
        return None if seconds is None else too_many(request, seconds)
