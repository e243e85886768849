"""What anonymous visitors see, kept whole per data version, address and language.

Anonymous visitors get the same bytes for the same address, so the finished response is kept in the shared
cache under the data version (ccx.core.versions): any committed change anywhere retires every entry at once,
and no stale page survives it. Cached fragments (facet counts, exhibition cards, cooperation blocks) use the
same version through `fragment()`.

What is never stored or served from here:
- requests of signed-in users (a session that holds a user), requests that carry an Authorization header,
  a pending message (the "messages" cookie), anything but GET;
- responses that are not 200, that set a cookie, that used the CSRF token (a form), that say
  Cache-Control private/no-store, that wrote to the visitor's session or added a message, or that stream;
- views marked with `@private_page`.

Two middleware share the work (settings.MIDDLEWARE):
- `SharedPageCacheMiddleware` is the LAST one, so everything above it runs first: sessions, the language (from
  the address), CSRF, authentication, messages, CSP and the throttles. It decides what may be kept (the rules
  above), serves kept pages to anonymous visitors who carry a session, and marks the rest for keeping.
- `KeptPageMiddleware` comes right after the static files. It keeps each marked page with every header the
  middleware between them added (security policy, language, Vary) and the throttles the page counts against
  (`throttling.limits_for`). A visitor with no session, credentials or message is anonymous before anything else
  runs: it counts the request against those throttles and serves the kept page at once, unless the visitor is to
  be sent to another language (`ccx.core.language`) or a throttle refuses; such requests go the long way, where
  ThrottleMiddleware answers a refusal without counting it twice. A throttle written as a view decorator would
  not run for a kept page: anonymous throttling of GET pages belongs in `throttling.limits_for`.

Pages built in the first PAGE_CACHE_SETTLE_SECONDS after a change are served but not stored: another process's
search index may still be reading that change (it refreshes every half second).
"""

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.translation import get_language

from ccx.core import versions
from ccx.core.language import preferred_language
from ccx.core.throttling import Limit, count, limits_for

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
Key = TypeVar("Key", bound=int | str)


def private_page(view: View) -> View:
    """Never keep this view's response in the shared cache, even for anonymous visitors."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(*args, **kwargs)

    wrapped.private_page = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def _without_credentials(request: HttpRequest) -> bool:
    """A GET without an Authorization header or a message waiting (a session may still hold a user)."""
    return request.method == "GET" and "HTTP_AUTHORIZATION" not in request.META and "messages" not in request.COOKIES


def is_anonymous_request(request: HttpRequest) -> bool:
    """A visitor the shared cache may serve: no user, no credentials, no message waiting."""
    if not _without_credentials(request):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:  # a session may hold a user: ask it (one query)
        return not request.user.is_authenticated
    return True


def fragment(name: str, build: Callable[[], Any], *parts: object, seconds: int | None = None) -> Any:
    """`build()` once per data version, language and `parts`; the value must be the same for everyone."""
    key = _key("fragment", versions.current(), name, get_language() or "", *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds or settings.PAGE_CACHE_SECONDS)
    return value


def fragments(
    name: str, items: list[Key], build: Callable[[list[Key]], dict[Key, Any]], *parts: object
) -> dict[Key, Any]:
    """`fragment` for many items at once (one cache round trip): each item's value is built once per data
    version, language and `parts`, the missing ones together by `build(missing items)`. An item that `build`
    leaves out is left out of the answer (and built again next time)."""
    version, language = versions.current(), get_language() or ""
    keys = {item: _key("fragment", version, name, language, *parts, item) for item in items}
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    if missing := [item for item in items if item not in values]:
        made = build(missing)
        cache.set_many({keys[item]: value for item, value in made.items()}, settings.PAGE_CACHE_SECONDS)
        values |= made
    return values


_kept: dict[tuple[object, ...], tuple[str, Any]] = {}
_kept_lock = threading.Lock()


def per_version(name: str, build: Callable[[], Any], *parts: object) -> Any:
    """`build()` once per data version and `parts` for the whole site, whatever the language: the value is kept
    in this process's memory (for data read on every request, too big to fetch from the cache each time) and in
    the shared cache, so that other processes and servers read it rather than build it. The value must be the
    same for everyone; it is replaced, not updated: treat it as read-only."""
    key = _key("kept", versions.current(), name, *parts)
    slot = (name, *parts)
    with _kept_lock:
        kept = _kept.get(slot)
    if kept is not None and kept[0] == key:
        return kept[1]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    with _kept_lock:
        _kept[slot] = (key, value)
    return value


def _key(kind: str, version: versions.Version, *parts: object) -> str:
    digest = hashlib.blake2b("\x1f".join(str(part) for part in parts).encode(), digest_size=16).hexdigest()
    return f"ccx:{kind}:{version.number}:{digest}"


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    control = response.get("Cache-Control", "")
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in control
        and "no-store" not in control
        and not getattr(getattr(request, "session", None), "modified", False)
        and not getattr(getattr(request, "_messages", None), "added_new", False)
        and getattr(request, "_csp_nonce", None) is None  # a per-request script nonce must not be shared
    )


@dataclass(frozen=True)
class KeptPage:
    """A page as the visitor received it: every header the middleware added, and the throttles it counts
    against (ccx.core.throttling.Limit), which run again each time it is served."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    limits: tuple[Limit, ...]

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


def page_key(request: HttpRequest, language: str) -> str:
    variant = request.headers.get("HX-Request", "")  # htmx asks for a part of the page
    return _key("page", versions.current(), language, request.get_full_path(), variant)


def _kept_page(key: str) -> KeptPage | None:
    found = cache.get(key)
    return found if isinstance(found, KeptPage) else None


def _certainly_anonymous(request: HttpRequest) -> bool:
    """Without a session, credentials or a message, a request is anonymous before any middleware runs."""
    return _without_credentials(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES


class KeptPageMiddleware:
    """Early in settings.MIDDLEWARE (after static files, before sessions): serves a kept page to a visitor who is
    certainly anonymous without running the middleware below it, and keeps the pages that
    SharedPageCacheMiddleware marks, with the headers that middleware added on their way out.

    A kept page's headers are those the visitor got the first time (security policy, language, Vary), so serving
    it here gives the same response; the throttles it counts against run here first. A visitor who would be sent
    to another language (PreferredLanguageMiddleware), or whom a throttle refuses, goes the long way, where those
    answers are made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        kept = self._kept_for(request)
        if kept is not None:
            return kept.response()
        response = self.get_response(request)
        keep = getattr(response, "keep_as", None)
        if keep is not None and not response.cookies and isinstance(response, HttpResponse):
            key, limits = keep
            headers = tuple((name, value) for name, value in response.items() if name.lower() != "set-cookie")
            page = KeptPage(response.status_code, headers, response.content, limits)
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _kept_for(request: HttpRequest) -> KeptPage | None:
        if not settings.PAGE_CACHE or not _certainly_anonymous(request):
            return None
        request.get_host()  # a host not in ALLOWED_HOSTS is refused (400) as on the long way
        language = _language_without_redirect(request)
        if language is None:
            return None
        kept = _kept_page(page_key(request, language))
        if kept is None or _refused(request, kept.limits):
            return None
        return kept


def _language_without_redirect(request: HttpRequest) -> str | None:
    """The language the page is served in, or None when the visitor is to be sent to another language's page."""
    language = translation.get_language_from_path(request.path_info)
    if language:
        return language
    return settings.LANGUAGE_CODE if preferred_language(request) == settings.LANGUAGE_CODE else None


def _refused(request: HttpRequest, limits: tuple[Limit, ...]) -> bool:
    """Count the request against the kept page's limits. A refused request goes the long way, where
    ThrottleMiddleware answers it in the page's language (without counting it again)."""
    seconds = count(request, limits)
    if seconds is not None:
        request.throttled = seconds  # type: ignore[attr-defined]
    return seconds is not None


class SharedPageCacheMiddleware:
    """Last in settings.MIDDLEWARE: serves anonymous GETs from the shared cache (visitors whom KeptPageMiddleware
    could not tell apart, e.g. with an anonymous session), and marks what views answer them for keeping (see the
    module's rules)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        if not settings.PAGE_CACHE or getattr(view, "private_page", False) or not is_anonymous_request(request):
            return None
        version = versions.current()
        key = page_key(request, get_language() or "")
        kept = _kept_page(key)
        if kept is not None:
            return kept.response()
        response: HttpResponseBase = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response) and not version.changed_within(settings.PAGE_CACHE_SETTLE_SECONDS):
            response.keep_as = (key, tuple(limits_for(request)))  # type: ignore[attr-defined]  # KeptPageMiddleware
        return response
