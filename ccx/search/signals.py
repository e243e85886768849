"""Re-index a practice after any change to it is committed (in the background when a worker runs)."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from ccx.practices.models import Practice, PracticeTranslation
from ccx.practices.search_hooks import in_bulk_changes


def schedule(practice_id: int) -> None:
    """Index the practice once the transaction commits. Several saves in one transaction each schedule it;
    the later runs find the text unchanged (same checksum) and cost a tokenisation, not an embedding."""
    if in_bulk_changes():
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
