"""What the practice library asks of a search engine, without importing one.

`practices` sits below `search` in the layers (docs/architecture.md): the search app plugs its engine in
when Django starts (ccx/search/apps.py). Without it, the library still works: a query matches words of the
title, tagline or summary, there are no snippets and no similar practices.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from threading import local
from typing import Any

from django.db.models import Q

from ccx.practices.models import Practice


def _words_in_text(query: str, allowed_ids: list[int]) -> list[int]:
    words = Q()
    for word in query.split():
        words &= Q(title__icontains=word) | Q(tagline__icontains=word) | Q(summary__icontains=word)
    return list(Practice.objects.filter(words, pk__in=allowed_ids).values_list("pk", flat=True))


@dataclass
class LibrarySearch:
    """rank: practice ids for a query among the allowed ones, best first. highlight: an object with `text` and
    `marks` (the snippet of a result), or None. similar: ids of practices like this one, best first."""

    rank: Callable[[str, list[int]], list[int]] = _words_in_text
    highlight: Callable[[Practice, str], Any] = lambda practice, query: None
    similar: Callable[[Practice, int], list[int]] = lambda practice, k: []


engine = LibrarySearch()


def install(search: LibrarySearch) -> None:
    global engine
    engine = search


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
