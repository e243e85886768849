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

Order of the middleware: this one is the LAST in settings.MIDDLEWARE, so everything above it runs first
for every request, cached or not: security headers, sessions, the language (from the address), CSRF,
authentication, messages, CSP, and the throttles (a throttling middleware must sit above this one; a
throttle written as a view decorator does not run for a page served from here, so anonymous throttling of
GET pages belongs in middleware).

Pages built in the first PAGE_CACHE_SETTLE_SECONDS after a change are served but not stored: another process's
search index may still be reading that change (it refreshes every half second).
"""

import hashlib
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import get_language

from ccx.core import versions

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link", "Last-Modified", "ETag")
View = TypeVar("View", bound=Callable[..., HttpResponseBase])
Key = TypeVar("Key", bound=int | str)


def private_page(view: View) -> View:
    """Never keep this view's response in the shared cache, even for anonymous visitors."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(*args, **kwargs)

    wrapped.private_page = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def is_anonymous_request(request: HttpRequest) -> bool:
    """A visitor the shared cache may serve: no user, no credentials, no message waiting."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META or "messages" in request.COOKIES:
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
    )


class SharedPageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; keep what views answer them (see the module's rules)."""

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
        variant = request.headers.get("HX-Request", "")  # htmx asks for a part of the page
        key = _key("page", version, get_language() or "", request.get_full_path(), variant)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response) and not version.changed_within(settings.PAGE_CACHE_SETTLE_SECONDS):
            assert isinstance(response, HttpResponse)
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response
