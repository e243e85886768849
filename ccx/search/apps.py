import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence

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

        warm = background_warm_up(sys.argv, os.environ, settings.SEARCH_WARM_START)
        if warm is not None:
            threading.Thread(target=warm, name="search-warm-up", daemon=True).start()


def background_warm_up(argv: Sequence[str], environ: Mapping[str, str], warm_start: bool) -> Callable[[], None] | None:
    """What this process loads in a thread as it starts, so that its first request or task waits for nothing:

    - the task worker (with warm start): it embeds published practices, so the encoder and the index;
    - the development server's serving process (``make run``; the autoreloader's child, or ``--noreload``): the
      same and query translation's dictionaries, or its first search waited about 3 s. Production servers warm
      up before they fork instead (``ccx/wsgi.py``), and other commands and the tests load nothing."""
    command = list(argv[1:2])
    if command == ["db_worker"] and warm_start:
        from ccx.search.startup import warm_worker

        return warm_worker
    if command == ["runserver"] and (environ.get("RUN_MAIN") == "true" or "--noreload" in argv):
        from ccx.search.startup import warm_development_server

        return warm_development_server
    return None
