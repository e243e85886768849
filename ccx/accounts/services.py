import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from ccx.accounts.models import User


@dataclass(frozen=True)
class DemoAccount:
    created: bool
    username: str
    password: str = ""
    generated: bool = False


@transaction.atomic
def ensure_demo_secretariat() -> DemoAccount:
    """Create a secretariat account when none exists; its password comes from settings or is generated."""
    existing = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if existing is not None:
        return DemoAccount(created=False, username=existing.username)
    password = settings.DEMO_ADMIN_PASSWORD or secrets.token_urlsafe(12)
    User.objects.create_superuser(
        username=settings.DEMO_ADMIN_USERNAME,
        email=settings.DEMO_ADMIN_EMAIL,
        password=password,
        first_name="Network",
        last_name="Secretariat",
    )
    return DemoAccount(
        created=True,
        username=settings.DEMO_ADMIN_USERNAME,
        password=password,
        generated=not settings.DEMO_ADMIN_PASSWORD,
    )
