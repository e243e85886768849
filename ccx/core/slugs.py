"""Readable, unique identifiers for the addresses of records."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(taken: QuerySet[Any], text: str, *, fallback: str, max_length: int = 100) -> str:
    """A slug of `text` that no record of `taken` has: "title", else "title-2", "title-3"…

    Text without any letter to keep (e.g. only punctuation) gives `fallback` and a random suffix.
    """
    base = slugify(text)[:max_length].strip("-") or f"{fallback}-{uuid.uuid4().hex[:8]}"
    slug, number = base, 2
    while taken.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
