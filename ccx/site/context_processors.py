from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from ccx.accounts.models import Notification


@lru_cache(maxsize=4096)
def _translated(path: str, current: str, code: str) -> str:
    """`path`, read in the active language `current`, in language `code` (resolving a path and reversing it costs
    about 30 µs, and a page has six of these links)."""
    return translate_url(path, code)


def site(request: HttpRequest) -> dict[str, object]:
    """Site name and the links that switch the interface language while keeping the page and query."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    language_links = [
        {
            "code": code,
            "name": name,
            "url": _translated(request.path, current, code) + suffix,
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    unread = 0
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        unread = Notification.objects.filter(user=request.user.pk, read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "site_name": settings.SITE_NAME,
        "network_name": settings.NETWORK_NAME,
        "language_links": language_links,
    }
