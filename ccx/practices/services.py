"""Creating and changing practices: the one place that checks permissions, saves and records a revision."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.cities.models import City
from ccx.core.slugs import unique_slug as core_unique_slug
from ccx.practices.models import Practice, Revision, Status, Technology, Theme
from ccx.practices.permissions import can_create, check_content_editable
from ccx.practices.reference import TECHNOLOGIES, THEMES
from ccx.practices.revisions import apply_snapshot, record_revision
from ccx.practices.validation import validate_practice


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    others = Practice.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Practice.objects.all()
    return core_unique_slug(others, title, fallback="practice")


def _check_lead_city(user: AnyUser, values: dict[str, Any], current: int | None = None) -> None:
    """A focal point may only name one of their own cities as the lead city."""
    city_id = values.get("lead_city_id", current)
    if city_id is None or city_id == current or is_secretariat(user):
        return
    if not City.objects.filter(pk=city_id, focal_points=user.pk).exists():
        raise PermissionDenied("you may only lead practices for your own cities")


@transaction.atomic
def create_practice(user: AnyUser, values: dict[str, Any], comment: str = "") -> Practice:
    """A new draft owned by `user`. `values` uses the revision snapshot's keys (see revisions.SCALAR_FIELDS)."""
    if not can_create(user):
        raise PermissionDenied
    _check_lead_city(user, values)
    validate_practice(values)
    practice = Practice(
        title=values["title"],
        slug=unique_slug(values["title"]),
        status=Status.DRAFT,
        owner=user,  # type: ignore[misc]
    )
    practice.save()
    apply_snapshot(practice, values)
    record_revision(practice, user, comment or "created")
    return practice


@transaction.atomic
def update_practice(practice: Practice, user: AnyUser, values: dict[str, Any], comment: str = "") -> list[str]:
    """Apply the changed values and return the names of what changed (empty when nothing did)."""
    check_content_editable(user, practice)
    _check_lead_city(user, values, practice.lead_city_id)
    validate_practice(values, practice=practice)
    if "lead_city_id" in values and values["lead_city_id"] != practice.lead_city_id:
        values = {**values, "country_id": None} if "country_id" not in values else values
    apply_snapshot(practice, values)
    revision = record_revision(practice, user, comment)
    return revision.changed_fields if revision else []


def restore_revision(practice: Practice, revision: Revision, user: AnyUser) -> list[str]:
    """Bring back an earlier state; this is itself a new revision, so nothing is lost."""
    return update_practice(practice, user, revision.snapshot, comment=f"restored revision {revision.number}")


def ensure_vocabularies() -> None:
    """Themes and technologies come with the migrations; this restores them after a database flush."""
    for model, entries in ((Theme, THEMES), (Technology, TECHNOLOGIES)):
        for slug, name in entries:
            model.objects.get_or_create(slug=slug, defaults={"name": name})
