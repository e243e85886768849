"""Which interface language a visitor gets.

Unprefixed addresses are English (`prefix_default_language=False`), so Django's LocaleMiddleware never
looks at the browser's language for them. Here a first visit to an unprefixed page is sent to the same page
in the browser's language (`Accept-Language`), and a language the visitor picked in the switcher (kept in
Django's language cookie) wins over the browser from then on. Prefixed addresses are always served as asked.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

INTERFACE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def preferred_language(request: HttpRequest) -> str:
    """The visitor's chosen language (cookie), else the browser's best supported one, else the default."""
    return translation.get_language_from_request(request, check_path=False)


def localized_address(request: HttpRequest, language: str) -> str | None:
    """The unprefixed page `request` asks for, in `language`; None when it has no such version (API, admin)."""
    if language == settings.LANGUAGE_CODE or language not in INTERFACE_LANGUAGES:
        return None
    if translation.get_language_from_path(request.path_info):
        return None
    prefixed = f"/{language}{request.path_info}"
    with translation.override(language):
        try:
            resolve(prefixed)
        except Resolver404:
            return None
    query = request.META.get("QUERY_STRING", "")
    return f"{request.META.get('SCRIPT_NAME', '')}{prefixed}" + (f"?{query}" if query else "")


class PreferredLanguageMiddleware:
    """Before LocaleMiddleware: sends a visitor who prefers French or Chinese to the prefixed page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            target = localized_address(request, preferred_language(request))
            if target:
                response: HttpResponse = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if not translation.get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switcher: remember the choice in the language cookie and show `next` in that language."""
    if code not in INTERFACE_LANGUAGES:
        code = settings.LANGUAGE_CODE
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    shown_in = translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE
    with translation.override(shown_in):  # translate_url reads `next` in the language it is written in
        response = HttpResponseRedirect(translate_url(next_url, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
