"""`/robots.txt`: crawl the records and the lists, not the accounts, admin, API or endless facet combinations."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

PRIVATE_PREFIXES = ("/admin/", "/accounts/", "/api/", "/media/")
LANGUAGE_PRIVATE = ("accounts/",)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    prefixes = [*PRIVATE_PREFIXES]
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            prefixes += [f"/{code}/{path}" for path in LANGUAGE_PRIVATE]
    context = {"disallowed": prefixes, "sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
