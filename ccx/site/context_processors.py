from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from ccx.accounts.models import Notification


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
    unread = 0
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        unread = Notification.objects.filter(user=request.user.pk, read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "site_name": settings.SITE_NAME,
        "network_name": settings.NETWORK_NAME,
        "language_links": language_links,
    }
