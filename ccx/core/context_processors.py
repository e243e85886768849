from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def site(request: HttpRequest) -> dict[str, object]:
    """Site name and the links that switch the interface language while keeping the page and query."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    language_links = [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.path, code) + suffix,
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "site_name": settings.SITE_NAME,
        "network_name": settings.NETWORK_NAME,
        "language_links": language_links,
    }
