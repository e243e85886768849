"""What the database or the pages would refuse in snapshot-format practice values (every importer runs it)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from ccx.practices.models import (
    Actor,
    Practice,
    PracticeTranslation,
    ResultIndicator,
)
from ccx.practices.revisions import ACTOR_FIELDS, INDICATOR_FIELDS, SCALAR_FIELDS, TRANSLATION_FIELDS

WEB_ADDRESS = URLValidator(schemes=["http", "https"])


PARTS = [
    ("actors", "actor ", Actor, ACTOR_FIELDS),
    ("indicators", "indicator ", ResultIndicator, INDICATOR_FIELDS),
    ("translations", "translation ", PracticeTranslation, TRANSLATION_FIELDS),
]


def _too_long(model: Any, names: list[str], values: dict[str, Any], label: str) -> list[str]:
    problems = []
    for name in names:
        limit = getattr(model._meta.get_field(name), "max_length", None)
        value = values.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(f"{label}{name.replace('_', ' ')} is longer than {limit} characters")
    return problems


def is_web_address(text: str) -> bool:
    try:
        WEB_ADDRESS(text)
    except ValidationError:
        return False
    return True


def check_values(values: dict[str, Any]) -> list[str]:
    """What the database or the pages would refuse: over-long text, links that are not web addresses, bad e-mail.

    Every importer runs these checks on snapshot-format values before writing anything.
    """
    problems = _too_long(Practice, [name for name in SCALAR_FIELDS if name in values], values, "")
    for key, label, model, names in PARTS:
        for item in values.get(key, []):
            problems += _too_long(model, names, item, label)
    for key, label in (("source_url", "source address"), ("links", "link"), ("video_links", "video link")):
        addresses = values.get(key) or []
        for address in [addresses] if isinstance(addresses, str) else addresses:
            if not isinstance(address, str) or not is_web_address(address):
                problems.append(f"the {label} '{address}' is not a web address")
    if values.get("contact_email"):
        try:
            EmailValidator()(values["contact_email"])
        except ValidationError:
            problems.append(f"'{values['contact_email']}' is not an e-mail address")
    return problems
