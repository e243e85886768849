"""What makes a city record valid: one validator that the edit form, the API, the member import and the admin call.

It reads values by model field (only the keys present) and answers ValidationError by field, each error with a
`code` and `params` (see ccx/core/validation.py), so that each channel may phrase a rule its own way.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City
from ccx.core.validation import TEXT_CAP, Errors, Problems, is_web_address, raise_errors

FIRST_DESIGNATION_YEAR = 2004
MESSAGES: dict[str, Any] = {
    "required": _("The name cannot be empty."),
    "before_network": _("The network began designating cities in 2004."),
    "future_year": _("A city cannot be designated after %(last)s."),
    "latitude_range": _("Latitude must be between -90 and 90."),
    "longitude_range": _("Longitude must be between -180 and 180."),
    "half_location": _("Give both latitude and longitude, or neither."),
    "not_web_address": _("Enter a web address that starts with http:// or https://."),
    "unknown_language": _("Unknown language code(s): %(codes)s."),
    "translation_too_long": _("A translation is longer than %(limit)s characters."),
}
TEXT_FIELDS = ("name", "designation_note", "about", "commitments", "country_source", "year_source", "location_source")
ADDRESS_FIELDS = ("website", "unesco_url")
TRANSLATION_FIELDS = ("about_translations", "commitments_translations")
RANGES = (("latitude", 90, "latitude_range"), ("longitude", 180, "longitude_range"))


def city_problems(values: Mapping[str, Any]) -> Errors:
    """Every problem of the values, by field (empty when they are valid)."""
    found = Problems(MESSAGES)
    if "name" in values and not str(values["name"] or "").strip():
        found.add("name", "required")
    year = values.get("designation_year")
    last = timezone.localdate().year
    if year is not None and year < FIRST_DESIGNATION_YEAR:
        found.add("designation_year", "before_network", year=year, first=FIRST_DESIGNATION_YEAR, last=last)
    elif year is not None and year > last:
        found.add("designation_year", "future_year", year=year, first=FIRST_DESIGNATION_YEAR, last=last)
    for name, bound, code in RANGES:
        if values.get(name) is not None and not -bound <= values[name] <= bound:
            found.add(name, code, value=values[name], low=-bound, high=bound)
    if "latitude" in values and "longitude" in values and (values["latitude"] is None) != (values["longitude"] is None):
        found.add("latitude" if values["latitude"] is None else "longitude", "half_location")
    for name in ADDRESS_FIELDS:
        if values.get(name) and not is_web_address(values[name]):
            found.add(name, "not_web_address", value=values[name], field=name)
    languages = {code for code, _name in settings.CONTENT_LANGUAGES}
    for name in TRANSLATION_FIELDS:
        texts = values.get(name) or {}
        if unknown := sorted(set(texts) - languages):
            found.add(name, "unknown_language", codes=", ".join(unknown), field=name)
        if any(len(str(text)) > TEXT_CAP for text in texts.values()):
            found.add(name, "translation_too_long", limit=TEXT_CAP)
    found.lengths(City, values, TEXT_FIELDS)
    return found.errors


def validate_city(values: Mapping[str, Any]) -> None:
    """Raise ValidationError (by field) unless the values make a valid city."""
    raise_errors(city_problems(values))
