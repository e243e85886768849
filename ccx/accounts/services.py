import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
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


SECRETARIAT_GROUP = "Secretariat"
SECRETARIAT_APPS = (
    "accounts",
    "cities",
    "sdg",
    "core",
    "practices",
    "challenges",
    "partnerships",
    "events",
    "publications",
)


def secretariat_group() -> Group:
    """The group whose members run the network: every permission on the exchange's own records."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
    group.permissions.add(*permissions)
    return group


def make_secretariat(user: User) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(secretariat_group())
