"""Curating publications and exhibitions: the one place that checks permissions and saves.

Every change to what a publication contains stamps `content_changed_at`, so the publication knows when its
built files are out of date.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.permissions import AnyUser
from ccx.core.slugs import unique_slug as core_unique_slug
from ccx.practices.models import Practice
from ccx.publications.models import Chapter, ChapterPractice, Exhibition, ExhibitionItem, Publication
from ccx.publications.permissions import can_curate


def _require_curator(user: AnyUser) -> None:
    if not can_curate(user):
        raise PermissionDenied


def unique_slug(model: type[Publication] | type[Exhibition], title: str, exclude_pk: int | None = None) -> str:
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk is not None else model.objects.all()
    return core_unique_slug(others, title, fallback=str(model._meta.model_name))


def touch(publication: Publication) -> None:
    publication.content_changed_at = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(content_changed_at=publication.content_changed_at)


def clean_translations(translations: dict[str, dict[str, str]], fields: Iterable[str]) -> dict[str, dict[str, str]]:
    """Keep only non-empty texts of the known fields, by language."""
    cleaned: dict[str, dict[str, str]] = {}
    for language, texts in translations.items():
        kept = {name: texts[name].strip() for name in fields if (texts.get(name) or "").strip()}
        if kept:
            cleaned[language] = kept
    return cleaned


@transaction.atomic
def save_publication(user: AnyUser, values: dict[str, Any], publication: Publication | None = None) -> Publication:
    """Create a publication or change its texts. `values` holds model field names and `translations`."""
    _require_curator(user)
    publication = publication or Publication()
    for name, value in values.items():
        if name == "translations":
            value = clean_translations(value, Publication.TRANSLATED_FIELDS)
        setattr(publication, name, value)
    if not publication.slug:
        publication.slug = unique_slug(Publication, publication.title)
    publication.full_clean()
    publication.save()
    touch(publication)
    return publication


@transaction.atomic
def save_chapter(
    user: AnyUser, publication: Publication, values: dict[str, Any], chapter: Chapter | None = None
) -> Chapter:
    _require_curator(user)
    if chapter is None:
        last = publication.chapters.aggregate(last=Max("position"))["last"]
        chapter = Chapter(publication=publication, position=(last or 0) + 1)
    for name, value in values.items():
        if name == "translations":
            value = clean_translations(value, Chapter.TRANSLATED_FIELDS)
        setattr(chapter, name, value)
    chapter.full_clean()
    chapter.save()
    touch(publication)
    return chapter


@transaction.atomic
def delete_chapter(user: AnyUser, chapter: Chapter) -> None:
    _require_curator(user)
    publication = chapter.publication
    chapter.delete()
    touch(publication)


def _usable_practices(practice_ids: Iterable[int]) -> list[Practice]:
    """Only published practices go into a book or an exhibition; anything else is a clear error."""
    wanted = list(dict.fromkeys(practice_ids))
    found = {practice.pk: practice for practice in Practice.objects.published().filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            _("These practices do not exist or are not published: %(ids)s") % {"ids": ", ".join(missing)}
        )
    return [found[pk] for pk in wanted]


@transaction.atomic
def add_practices(user: AnyUser, chapter: Chapter, practice_ids: Iterable[int]) -> int:
    """Append published practices at the end of the chapter; those already in it stay where they are."""
    _require_curator(user)
    practices = _usable_practices(practice_ids)
    present = set(chapter.entries.values_list("practice_id", flat=True))
    last = chapter.entries.aggregate(last=Max("position"))["last"] or 0
    new = [practice for practice in practices if practice.pk not in present]
    ChapterPractice.objects.bulk_create(
        ChapterPractice(chapter=chapter, practice=practice, position=last + index)
        for index, practice in enumerate(new, start=1)
    )
    touch(chapter.publication)
    return len(new)


@transaction.atomic
def remove_practice(user: AnyUser, chapter: Chapter, practice_id: int) -> None:
    _require_curator(user)
    chapter.entries.filter(practice_id=practice_id).delete()
    touch(chapter.publication)


def _renumber(rows: list[Any], positions: dict[int, float]) -> list[Any]:
    """Sort rows by the wanted positions (rows without one keep their place) and number them 1, 2, 3…"""
    ordered = sorted(enumerate(rows), key=lambda pair: (positions.get(pair[1].pk, pair[1].position), pair[0]))
    changed = []
    for number, (_index, row) in enumerate(ordered, start=1):
        if row.position != number:
            row.position = number
            changed.append(row)
    return changed


@transaction.atomic
def reorder_practices(user: AnyUser, chapter: Chapter, positions: dict[int, float]) -> None:
    """`positions` maps entry ids to numbers (typed by a person or set by drag and drop); ties keep the old order."""
    _require_curator(user)
    rows = list(chapter.entries.all())
    ChapterPractice.objects.bulk_update(_renumber(rows, positions), ["position"])
    touch(chapter.publication)


@transaction.atomic
def reorder_chapters(user: AnyUser, publication: Publication, positions: dict[int, float]) -> None:
    _require_curator(user)
    rows = list(publication.chapters.all())
    Chapter.objects.bulk_update(_renumber(rows, positions), ["position"])
    touch(publication)


@transaction.atomic
def save_exhibition(user: AnyUser, values: dict[str, Any], exhibition: Exhibition | None = None) -> Exhibition:
    _require_curator(user)
    exhibition = exhibition or Exhibition()
    for name, value in values.items():
        if name == "translations":
            value = clean_translations(value, Exhibition.TRANSLATED_FIELDS)
        setattr(exhibition, name, value)
    if not exhibition.slug:
        exhibition.slug = unique_slug(Exhibition, exhibition.title)
    exhibition.full_clean()
    exhibition.save()
    if exhibition.is_featured:  # one featured exhibition on the home page at a time
        Exhibition.objects.exclude(pk=exhibition.pk).filter(is_featured=True).update(is_featured=False)
    return exhibition


@transaction.atomic
def add_to_exhibition(user: AnyUser, exhibition: Exhibition, practice_ids: Iterable[int]) -> int:
    _require_curator(user)
    practices = _usable_practices(practice_ids)
    present = set(exhibition.items.values_list("practice_id", flat=True))
    last = exhibition.items.aggregate(last=Max("position"))["last"] or 0
    new = [practice for practice in practices if practice.pk not in present]
    ExhibitionItem.objects.bulk_create(
        ExhibitionItem(exhibition=exhibition, practice=practice, position=last + index)
        for index, practice in enumerate(new, start=1)
    )
    return len(new)


@transaction.atomic
def remove_from_exhibition(user: AnyUser, exhibition: Exhibition, practice_id: int) -> None:
    _require_curator(user)
    exhibition.items.filter(practice_id=practice_id).delete()


@transaction.atomic
def reorder_exhibition(user: AnyUser, exhibition: Exhibition, positions: dict[int, float]) -> None:
    _require_curator(user)
    rows = list(exhibition.items.all())
    ExhibitionItem.objects.bulk_update(_renumber(rows, positions), ["position"])
