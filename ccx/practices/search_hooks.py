"""What the practice library asks of a search engine, without importing one.

`practices` sits below `search` in the layers (docs/architecture.md): the search app plugs its engine in
when Django starts (ccx/search/apps.py). Without it, the library still works: a query matches words of the
title, tagline or summary, there are no snippets and no similar practices.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from threading import local
from typing import Any

from django.core.cache import cache
from django.db.models import Q

from ccx.core.i18n import LocalizedText
from ccx.practices.models import Practice


def _words_in_text(query: str, k: int) -> list[int]:
    words = Q()
    for word in query.split():
        words &= Q(title__icontains=word) | Q(tagline__icontains=word) | Q(summary__icontains=word)
    return list(Practice.objects.filter(words).order_by("pk").values_list("pk", flat=True)[:k])


@dataclass
class LibrarySearch:
    """rank: the ids of at most k practices that answer a query, over the whole library, best first.
    highlight: an object with `text` and `marks` (the snippet of a result for a query read in a language), or None.
    similar: ids of practices like this one, best first. query_language: the language a query is read as ("" if
    unknown).
    practice_languages: the languages each practice is available in, original first."""

    rank: Callable[[str, int], list[int]] = _words_in_text
    highlight: Callable[[Practice, str, str], Any] = lambda practice, query, language: None
    similar: Callable[[Practice, int], list[int]] = lambda practice, k: []
    query_language: Callable[[str], str] = lambda query: ""
    practice_languages: Callable[[Iterable[int]], dict[int, tuple[str, ...]]] = lambda ids: {}


engine = LibrarySearch()


def install(search: LibrarySearch) -> None:
    global engine
    engine = search


def read_as(language: str) -> LocalizedText:
    """What the results page says of a query read in `language` ("" if it could not be told)."""
    return LocalizedText("", language, False)


def show_languages(practices: list[Any], language: str) -> LocalizedText:  # Practice rows decorated for templates
    """The language the query was read as, for the page ("" if it could not be told: `language_name` is then "").
    Each practice gets its title in the visitor's language where a version exists (`display_title`), and, when
    none of its versions is in the query's language, its language for a mark (`language_mark`)."""
    found = engine.practice_languages(practice.pk for practice in practices)
    for practice in practices:
        languages = found.get(practice.pk) or (practice.original_language,)
        practice.display_title = practice.localized("title")
        other = bool(language) and language not in languages
        practice.language_mark = LocalizedText("", languages[0], False) if other else None
    return read_as(language)


HIGHLIGHT_SECONDS = 24 * 3600


def highlight_all(practices: list[Any], query: str, language: str) -> None:  # Practice rows decorated for cards
    """Give each practice its `highlight` for the query read in `language`. A snippet costs milliseconds of CPU
    and the same practice answers the same query on many pages (every filter, page and interface language): each
    is made once for all processes and servers, kept in the shared cache for the practice's version (its last
    change), and the engine keeps its own in each process."""
    keys = {practice.pk: _highlight_key(practice, query, language) for practice in practices}
    kept = cache.get_many(list(keys.values()))
    made = {}
    for practice in practices:
        key = keys[practice.pk]
        found = kept.get(key)
        if found is None:
            found = made[key] = engine.highlight(practice, query, language)
        practice.highlight = found
    if made:
        cache.set_many({key: value for key, value in made.items() if value is not None}, HIGHLIGHT_SECONDS)


def _highlight_key(practice: Practice, query: str, language: str) -> str:
    version = practice.updated_at.isoformat() if practice.updated_at else ""
    text = "\x1f".join((str(practice.pk), version, query, language))
    return "ccx:highlight:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


_bulk = local()


@contextmanager
def bulk_changes() -> Iterator[None]:
    """For bulk imports: the search index is not updated practice by practice; the import re-indexes the
    practices it touched in one batch afterwards (`ccx reindex`)."""
    previous = getattr(_bulk, "active", False)
    _bulk.active = True
    try:
        yield
    finally:
        _bulk.active = previous


def in_bulk_changes() -> bool:
    return bool(getattr(_bulk, "active", False))
