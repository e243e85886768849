"""What makes a practice record valid: one validator that the form, the API, the importers and the admin call.

It reads snapshot-format values (ccx/practices/revisions.py), only the keys present (an update may carry a few),
and answers Django's ValidationError with a list of errors per field. Each error has a `code` and `params`, so
a channel may phrase a rule its own way (a form's `error_messages`, an import log line) without restating it.
Turning input into values (parsing dates, looking up slugs) stays with each channel; the rules live here.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccx.core.validation import Errors, is_email, is_web_address, length_limit
from ccx.core.words import word_count
from ccx.practices.models import Actor, ActorType, BudgetBand, Licence, Practice, PracticeTranslation, ResultIndicator
from ccx.practices.models import Stage as PracticeStage
from ccx.practices.revisions import ACTOR_FIELDS, INDICATOR_FIELDS, SCALAR_FIELDS, TRANSLATION_FIELDS

MAX_SUMMARY_WORDS = 150  # the summary is what cards, feeds and publications show


def summary_words(summary: str) -> int:
    """The summary's length in words, counted in every script (a Chinese summary is not one word)."""
    return word_count(summary)


MESSAGES: dict[str, Any] = {
    "required": _("The %(label)s cannot be empty."),
    "summary_too_long": _("The summary has more than %(limit)s words."),
    "unknown_choice": _("Unknown value '%(value)s'. Use one of: %(choices)s."),
    "dates_reversed": _("The end date is before the start date."),
    "not_web_address": _("Not web addresses: %(addresses)s."),
    "not_email": _("'%(value)s' is not an e-mail address"),
    "unknown_actor_kind": _("Unknown actor type(s): %(kinds)s."),
    "duplicate_translation": _("Each language may appear once."),
    "too_long": _("%(label)s is longer than %(limit)s characters"),
    "adapted_from_itself": _("A practice cannot be adapted from itself."),
}
# Fields that a person names differently from the snapshot.
FIELD_NAMES = {"lead_city_id": "lead_city", "country_id": "country", "adapted_from_id": "adapted_from"}
ADDRESS_FIELDS = {"source_url": "source address", "links": "link", "video_links": "video link"}
REQUIRED_CHOICES = {"original_language": "language", "licence": "licence"}
PARTS = [
    ("actors", "actor ", Actor, ACTOR_FIELDS),
    ("indicators", "indicator ", ResultIndicator, INDICATOR_FIELDS),
    ("translations", "translation ", PracticeTranslation, TRANSLATION_FIELDS),
]


def choices() -> dict[str, list[str]]:
    return {
        "stage": list(PracticeStage.values),
        "budget_band": list(BudgetBand.values),
        "licence": list(Licence.values),
        "original_language": [code for code, _name in settings.CONTENT_LANGUAGES],
    }


def practice_problems(
    values: Mapping[str, Any], *, practice: Practice | None = None, required: tuple[str, ...] = ("title",)
) -> Errors:
    """Every problem of the values, by field (empty when they are valid). `required`: text fields that may be
    left out but not blank."""
    errors: Errors = {}

    def add(field: str, code: str, **params: Any) -> None:
        name = FIELD_NAMES.get(field, field)
        errors.setdefault(name, []).append(ValidationError(MESSAGES[code], code=code, params=params))

    for name in required:
        if name in values and not str(values[name] or "").strip():
            add(name, "required", label=name)
    if summary_words(str(values.get("summary") or "")) > MAX_SUMMARY_WORDS:
        add("summary", "summary_too_long", count=summary_words(str(values["summary"])), limit=MAX_SUMMARY_WORDS)
    for name, allowed in choices().items():
        if name in values and values[name] is None and name in REQUIRED_CHOICES:
            add(name, "required", label=REQUIRED_CHOICES[name])
        elif values.get(name) and values[name] not in allowed:
            add(name, "unknown_choice", value=values[name], choices=", ".join(sorted(allowed)))
    if values.get("start_date") and values.get("end_date") and str(values["end_date"]) < str(values["start_date"]):
        add("end_date", "dates_reversed")
    for name, label in ADDRESS_FIELDS.items():
        given = values.get(name) or []
        bad = [address for address in ([given] if isinstance(given, str) else given) if not is_web_address(address)]
        if bad:
            add(name, "not_web_address", addresses=", ".join(map(str, bad)), items=bad, label=label)
    if values.get("contact_email") and not is_email(values["contact_email"]):
        add("contact_email", "not_email", value=values["contact_email"])
    kinds = [actor.get("kind") for actor in values.get("actors") or [] if actor.get("kind") not in ActorType.values]
    if kinds:
        add("actors", "unknown_actor_kind", kinds=", ".join(map(str, kinds)))
    languages = [translation.get("language") for translation in values.get("translations") or []]
    if len(set(languages)) != len(languages):
        add("translations", "duplicate_translation")
    if practice is not None and practice.pk and values.get("adapted_from_id") == practice.pk:
        add("adapted_from_id", "adapted_from_itself")
    for field, limit, label in _too_long(values):
        add(field, "too_long", limit=limit, label=label)
    return errors


def validate_practice(values: Mapping[str, Any], *, practice: Practice | None = None) -> None:
    """Raise ValidationError (by field) unless the values make a valid practice."""
    errors = practice_problems(values, practice=practice)
    if errors:
        raise ValidationError(errors)


def _too_long(values: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    found = []
    for name in SCALAR_FIELDS:
        limit = _limit(Practice, name)
        value = values.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            found.append((name, limit, name.replace("_", " ")))
    for key, label, model, names in PARTS:
        for item in values.get(key) or []:
            for name in names:
                limit = _limit(model, name)
                value = item.get(name)
                if limit and isinstance(value, str) and len(value) > limit:
                    found.append((key, limit, f"{label}{name.replace('_', ' ')}"))
    return found


def _limit(model: type[models.Model], name: str) -> int | None:
    try:
        return length_limit(model, name)
    except FieldDoesNotExist:  # a snapshot value that is not a column of its own
        return None
