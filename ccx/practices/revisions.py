"""Every save of a practice is a revision: a full snapshot, what changed, and a way back to it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from ccx.accounts.permissions import AnyUser
from ccx.practices.models import Actor, Practice, PracticeTranslation, ResultIndicator, Revision

SCALAR_FIELDS = [
    "title",
    "tagline",
    "summary",
    "description",
    "original_language",
    "lead_city_id",
    "country_id",
    "place_name",
    "latitude",
    "longitude",
    "crisis_response",
    "start_date",
    "end_date",
    "stage",
    "results",
    "obstacles",
    "transferability",
    "budget_band",
    "staff_needed",
    "skills_needed",
    "partners_needed",
    "resources_needed",
    "lessons",
    "links",
    "video_links",
    "licence",
    "contact_name",
    "contact_email",
    "source_name",
    "source_id",
    "source_url",
    "attribution",
    "adapted_from_id",
]
RELATIONS = ["partner_cities", "fields", "themes", "technologies", "sdg_goals", "sdg_targets"]
ACTOR_FIELDS = ["name", "kind", "role"]
INDICATOR_FIELDS = ["name", "value", "unit", "baseline", "year", "source"]
TRANSLATION_FIELDS = ["language", "title", "tagline", "summary", "description"]


def plain_value(value: Any) -> Any:
    """Dates and decimals as the strings a snapshot stores (10000, not 1E+4)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def snapshot(practice: Practice) -> dict[str, Any]:
    """Everything a person can edit, as plain JSON."""
    data: dict[str, Any] = {name: plain_value(getattr(practice, name)) for name in SCALAR_FIELDS}
    for relation in RELATIONS:
        data[relation] = sorted(getattr(practice, relation).values_list("pk", flat=True))
    data["actors"] = [{name: getattr(actor, name) for name in ACTOR_FIELDS} for actor in practice.actors.all()]
    data["indicators"] = [
        {name: plain_value(getattr(indicator, name)) for name in INDICATOR_FIELDS}
        for indicator in practice.indicators.all()
    ]
    data["translations"] = sorted(
        ({name: getattr(t, name) for name in TRANSLATION_FIELDS} for t in practice.translations.all()),
        key=lambda translation: translation["language"],
    )
    return data


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after.get(name))


@transaction.atomic
def record_revision(practice: Practice, author: AnyUser | None, comment: str = "") -> Revision | None:
    """Store the practice's current state; None when nothing changed since the last revision."""
    current = snapshot(practice)
    last = practice.revisions.order_by("-number").first()
    changes = changed_fields(last.snapshot, current) if last else sorted(current)
    if last and not changes:
        return None
    number = (practice.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    return Revision.objects.create(
        practice=practice,
        number=number,
        author=author if author is not None and author.is_authenticated else None,
        snapshot=current,
        changed_fields=changes,
        comment=comment[:300],
    )


@transaction.atomic
def apply_snapshot(practice: Practice, data: dict[str, Any]) -> None:
    """Make the practice (and its actors, indicators, translations, relations) match a snapshot."""
    for name in SCALAR_FIELDS:
        if name in data:
            value = data[name]
            if name in ("start_date", "end_date") and value:
                value = date.fromisoformat(value)
            setattr(practice, name, value)
    practice.start_year = practice.start_date.year if practice.start_date else practice.start_year
    practice.save()
    for relation in RELATIONS:
        if relation in data:
            getattr(practice, relation).set(data[relation])
    if "actors" in data:
        practice.actors.all().delete()
        Actor.objects.bulk_create(
            Actor(practice=practice, position=index, **actor) for index, actor in enumerate(data["actors"])
        )
    if "indicators" in data:
        practice.indicators.all().delete()
        ResultIndicator.objects.bulk_create(
            ResultIndicator(practice=practice, position=index, **indicator)
            for index, indicator in enumerate(data["indicators"])
        )
    if "translations" in data:
        practice.translations.all().delete()
        PracticeTranslation.objects.bulk_create(
            PracticeTranslation(practice=practice, **translation) for translation in data["translations"]
        )


@dataclass(frozen=True)
class FieldDifference:
    field: str
    before: str
    after: str


def differences(older: dict[str, Any], newer: dict[str, Any]) -> list[FieldDifference]:
    """Readable differences between two snapshots, field by field."""
    return [
        FieldDifference(name, _readable(older.get(name)), _readable(newer.get(name)))
        for name in changed_fields(older, newer)
    ]


def _readable(value: Any) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return "\n".join(
            ", ".join(f"{k}: {v}" for k, v in item.items() if v not in (None, ""))
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)
