"""Writing parsed practices: create new ones, update changed ones with a revision, keep edited ones."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ccx.core.imports import ImportReport
from ccx.core.progress import Progress
from ccx.practices.importers.reading import ParsedPractice
from ccx.practices.models import (
    Actor,
    Practice,
    PracticeTranslation,
    ResultIndicator,
    Revision,
    Status,
)
from ccx.practices.revisions import (
    ACTOR_FIELDS,
    INDICATOR_FIELDS,
    RELATIONS,
    SCALAR_FIELDS,
    TRANSLATION_FIELDS,
    apply_snapshot,
    plain_value,
    record_revision,
)
from ccx.practices.services import unique_slug

SCALAR = set(SCALAR_FIELDS)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,140}")


def write_practices(items: list[ParsedPractice], comment: str, report: ImportReport, progress: Progress) -> None:
    by_source, by_slug = _existing(items)
    current = current_snapshots([*by_source.values(), *by_slug.values()])
    now = datetime.now(tz=UTC)
    created: list[Practice] = []
    # A practice that a person has edited on the site keeps their version; the import reports it instead.
    edited_on_site = set(
        Revision.objects.filter(
            practice__in=[*by_source.values(), *by_slug.values()], author__isnull=False
        ).values_list("practice_id", flat=True)
    )
    kept = 0
    for done, item in enumerate(items, start=1):
        practice = by_source.get(item.key) if item.key[1] else by_slug.get(item.slug)
        if practice is None:
            usable = bool(SLUG.fullmatch(item.slug)) and not Practice.objects.filter(slug=item.slug).exists()
            slug = item.slug if usable else ""
            practice = Practice(
                slug=slug or unique_slug(item.values["title"]),
                status=Status.PUBLISHED,
                published_at=item.published_at or now,
                start_year=item.start_year,
            )
            # A new practice has no relations, actors, indicators or translations: only set those it gets.
            apply_snapshot(practice, {name: value for name, value in item.values.items() if value or name in SCALAR})
            created.append(practice)
            report.created += 1
        elif practice.pk in edited_on_site:
            kept += 1
            report.unchanged += 1
        else:
            before = current[practice.pk]
            changed = {name: value for name, value in item.values.items() if before.get(name) != value}
            if not changed and practice.start_year == item.start_year:
                report.unchanged += 1
            else:
                practice.start_year = item.start_year
                apply_snapshot(practice, changed)
                record_revision(practice, None, comment)
                report.updated += 1
        progress(done, len(items), item.values["title"][:40])
    _first_revisions(created, comment)
    if kept:
        report.notes.append(f"kept {kept} practice(s) as edited on the site")


def _first_revisions(practices: list[Practice], comment: str) -> None:
    """What record_revision(practice, None, comment) stores for a practice without revisions, in bulk."""
    snapshots = current_snapshots(practices)
    Revision.objects.bulk_create(
        (
            Revision(
                practice=practice,
                number=1,
                author=None,
                snapshot=snapshots[practice.pk],
                changed_fields=sorted(snapshots[practice.pk]),
                comment=comment[:300],
            )
            for practice in practices
        ),
        batch_size=500,
    )


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(items: list[ParsedPractice]) -> tuple[dict[tuple[str, str], Practice], dict[str, Practice]]:
    """The practices that the items update: by (source name, source id), and by slug for the others."""
    by_source: dict[tuple[str, str], Practice] = {}
    source_names = sorted({item.key[0] for item in items if item.key[1]})
    if source_names:
        for practice in Practice.objects.filter(source_name__in=source_names).exclude(source_id=""):
            by_source[(practice.source_name, practice.source_id)] = practice
    by_slug: dict[str, Practice] = {}
    slugs = sorted({item.slug for item in items if item.slug and not item.key[1]})
    for chunk in _chunks(slugs):
        by_slug.update({practice.slug: practice for practice in Practice.objects.filter(slug__in=chunk)})
    return by_source, by_slug


def current_snapshots(practices: list[Practice]) -> dict[int, dict[str, Any]]:
    """revisions.snapshot() of many practices in a few queries (the same dictionaries, built in bulk)."""
    snapshots = {
        practice.pk: {name: plain_value(getattr(practice, name)) for name in SCALAR_FIELDS} for practice in practices
    }
    ids = sorted(snapshots)
    for data in snapshots.values():
        data.update({relation: [] for relation in RELATIONS})
        data.update(actors=[], indicators=[], translations=[])
    for relation in RELATIONS:
        through = Practice._meta.get_field(relation).remote_field.through  # type: ignore[union-attr]
        target = Practice._meta.get_field(relation).m2m_reverse_name()  # type: ignore[union-attr]
        for chunk in _chunks(ids):
            for practice_id, target_id in through.objects.filter(practice_id__in=chunk).values_list(
                "practice_id", target
            ):
                snapshots[practice_id][relation].append(target_id)
    for data in snapshots.values():
        for relation in RELATIONS:
            data[relation].sort()
    parts: list[tuple[str, Any, list[str], bool]] = [
        ("actors", Actor, ACTOR_FIELDS, False),
        ("indicators", ResultIndicator, INDICATOR_FIELDS, True),
        ("translations", PracticeTranslation, TRANSLATION_FIELDS, False),
    ]
    for key, model, names, plain in parts:
        for chunk in _chunks(ids):
            for row in model.objects.filter(practice_id__in=chunk).order_by("practice_id", *model._meta.ordering):
                snapshots[row.practice_id][key].append(
                    {name: plain_value(getattr(row, name)) if plain else getattr(row, name) for name in names}
                )
    for data in snapshots.values():
        data["translations"].sort(key=lambda translation: translation["language"])
    return snapshots
