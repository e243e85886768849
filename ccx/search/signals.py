"""Re-index a practice after any change to it is committed (in the background when a worker runs)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from ccx.practices.models import Practice, PracticeTranslation

_state = threading.local()


@contextmanager
def indexing_paused() -> Iterator[None]:
    """For bulk imports: they index everything they touched in one batch afterwards (`ccx reindex`)."""
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def schedule(practice_id: int) -> None:
    """Index the practice once the transaction commits. Several saves in one transaction each schedule it;
    the later runs find the text unchanged (same checksum) and cost a tokenisation, not an embedding."""
    if getattr(_state, "paused", False):
        return

    def enqueue() -> None:
        from ccx.search.tasks import index_practice

        index_practice.enqueue(practice_id)

    transaction.on_commit(enqueue)


def practice_saved(sender: Any, instance: Practice, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule(instance.pk)


def translation_saved(sender: Any, instance: PracticeTranslation, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule(instance.practice_id)


post_save.connect(practice_saved, sender=Practice, dispatch_uid="search-practice-saved")
post_save.connect(translation_saved, sender=PracticeTranslation, dispatch_uid="search-translation-saved")
