import sys
import threading

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ccx.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from ccx.practices import search_hooks
        from ccx.search import health, service, signals  # noqa: F401 - the /healthz check; re-indexing saved practices

        search_hooks.install(
            search_hooks.LibrarySearch(
                rank=lambda query, k: [hit.practice_id for hit in service.rank_practices(query, k=k)],
                highlight=service.highlight,
                query_language=service.query_language,
                practice_languages=service.practice_languages,
                similar=lambda practice, k: service.similar_practices(practice, k=k),
            )
        )

        if settings.SEARCH_WARM_START and sys.argv[1:2] == ["db_worker"]:
            from ccx.search.startup import warm_worker

            # the worker embeds published practices: load the encoder and the index now, not at the first task
            threading.Thread(target=warm_worker, name="search-warm-up", daemon=True).start()
