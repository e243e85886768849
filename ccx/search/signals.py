"""Re-index a practice after any change to it is committed.

A server process that has its encoder loaded (every warm application server) indexes the practice itself, as
the change commits: one practice is a tokenisation and at most a few passages to embed (tens to a few hundred
milliseconds), and every other process and server then finds it at its next refresh (half a second), instead
of waiting for the task worker to poll, claim and embed. Otherwise (a cold process, a command) or when that
fails, the work is queued for the task worker (done at once without one).
"""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from ccx.practices.models import Practice, PracticeTranslation
from ccx.practices.search_hooks import in_bulk_changes

logger = logging.getLogger(__name__)


def schedule(practice_id: int) -> None:
    """Index the practice once the transaction commits. Several saves in one transaction each schedule it;
    the later runs find the text unchanged (same checksum) and cost a tokenisation, not an embedding."""
    if in_bulk_changes():
        return

    def enqueue() -> None:
        from ccx.search.index import encoder_loaded
        from ccx.search.tasks import index_practice, index_practice_now

        if settings.TASK_WORKER and settings.SEARCH_INDEX_AT_ONCE and encoder_loaded():
            try:
                index_practice_now(practice_id)
                return
            except Exception:
                logger.exception("indexing practice %s at once failed: queued for the task worker", practice_id)
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
