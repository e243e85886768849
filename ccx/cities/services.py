"""Changing a city: one function that checks the permission, saves, and remembers the secretariat's corrections."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ccx.cities.models import City
from ccx.cities.permissions import can_edit_record
from ccx.cities.validation import validate_city

PROFILE_FIELDS = ("about", "commitments", "about_translations", "commitments_translations", "website")
RECORD_FIELDS = (
    "name",
    "country",
    "field",
    "designation_year",
    "designation_note",
    "latitude",
    "longitude",
    "location_verified",
    "geonames_id",
    "population",
    "is_member",
)
# Fields that the member import also sets: once a person changes one, re-imports leave it alone.
IMPORTED_FIELDS = (*RECORD_FIELDS, "about", "commitments")


def editable_fields(user: Any, city: City) -> tuple[str, ...]:
    fields: tuple[str, ...] = ()
    if city.editable_by(user):
        fields += PROFILE_FIELDS
    if can_edit_record(user):
        fields += RECORD_FIELDS
    return fields


@transaction.atomic
def update_city(city: City, user: Any, changes: dict[str, Any]) -> list[str]:
    """Apply `changes` (validated values by model field) and return the names of the fields that changed.

    Raises PermissionDenied when the user may not change one of the fields, ValidationError (by field) when the
    values do not make a valid city.
    """
    allowed = editable_fields(user, city)
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise PermissionDenied(f"not allowed to change: {', '.join(refused)}")
    validate_city(changes)
    # Compare with the stored row, not `city`: a ModelForm has already copied the new values onto it.
    stored = City.objects.select_for_update().get(pk=city.pk)
    changed = [name for name, value in changes.items() if getattr(stored, name) != value]
    if changed:
        for name in changed:
            setattr(stored, name, changes[name])
        if protected := [name for name in changed if name in IMPORTED_FIELDS]:
            stored.corrected_fields = sorted(set(stored.corrected_fields) | set(protected))
        stored.save()
    city.refresh_from_db()
    return changed
