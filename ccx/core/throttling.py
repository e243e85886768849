"""Rate limits on what costs the site most: API writes, search, matching and password resets.

The counters live in the cache (`CCX_CACHE_URL`: Redis in production, so that every server process counts
together). A request over its limit gets 429 with `Retry-After`. Each limit is a setting (README "Security
and operations"); sign-in failures are limited by django-axes (see `ccx.accounts.lockout`).

Each limit is a fixed window per caller ("60/m": at most 60 requests from one caller in each clock minute), one
counter per window. The counting is ours rather than django-ratelimit's, which this project used before: it
counts with the cache's `add` then `incr`, two round trips to Redis for every throttled request, and the
throttles now run before every kept page (ccx.core.pagecache), so their cost is that page's cost. Here a
request is one atomic step on Redis (`SharedRedisCache.hit`: INCR, and EXPIRE on the window's first request).
"""

import hashlib
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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


RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=64)  # read for every throttled request; the settings hold a handful of rates
def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/m" → (60 requests, 60 seconds); "10/5m" → (10, 300). Units: s, m, h, d."""
    found = RATE.match(rate)
    if found is None:
        raise ImproperlyConfigured(f"A rate limit is written like 60/m or 5/h, not {rate!r}")
    allowed, multiple, unit = found.groups()
    return int(allowed), int(multiple or 1) * UNIT_SECONDS[unit]


def count(request: HttpRequest, limits: Iterable[Limit]) -> int | None:
    """Count the request against each limit: the seconds to wait if one is exceeded, else None."""
    if not settings.RATELIMIT_ENABLE:
        return None
    for limit in limits:
        allowed, period = parse_rate(settings.RATE_LIMITS[limit.group])
        now = time.time()
        if hit(counter_key(limit, request, now), period + 1) > allowed:
            return max(1, math.ceil((now // period + 1) * period - now))
    return None


def counter_key(limit: Limit, request: HttpRequest, now: float) -> str:
    """The cache key of the counter of `request`'s caller for `limit` in the window that holds `now`."""
    period = parse_rate(settings.RATE_LIMITS[limit.group])[1]
    caller = hashlib.blake2b(limit.key(limit.group, request).encode(), digest_size=12).hexdigest()
    return f"ccx:throttle:{limit.group}:{caller}:{period}:{int(now // period)}"


def hit(key: str, seconds: int) -> int:
    """Add one to the counter `key` (made, to expire in `seconds`, by its first request) and return it."""
    atomic = getattr(cache, "hit", None)  # Redis: one atomic round trip (ccx.core.redis_cache)
    if atomic is not None:
        counted: int = atomic(key, seconds)
        return counted
    if cache.add(key, 1, seconds):  # this process's memory (development, tests)
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two steps: this request starts the window again
        cache.set(key, 1, seconds)
        return 1


class ThrottleMiddleware:
    """Counts each request against its limits (after URL resolution, before the view). A request that
    pagecache.KeptPageMiddleware counted already, and that a limit refused, is refused here without counting
    it twice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        for rate in settings.RATE_LIMITS.values():  # a mistyped setting stops the server as it starts
            parse_rate(rate)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *_args: object) -> HttpResponse | None:
        seconds: int | None = getattr(request, "throttled", None)
        if seconds is None:
            seconds = count(request, limits_for(request))
        return None if seconds is None else too_many(request, seconds)
