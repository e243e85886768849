"""Load the sentence encoder, the search index, the views, templates and translations when a server starts,
not when its first visitor searches.

`ccx/wsgi.py` calls `warm_up()` when CCX_SEARCH_WARM_START is on (the default outside development). Under
`gunicorn --preload` that happens once, in the master process, before it forks its workers: the encoder's
weights are then shared by every worker (copy-on-write pages that nobody writes), and each worker only adds
the practices changed since. Without --preload each worker warms up before it accepts its first request.

With the shared index (CCX_SEARCH_SHARED_INDEX) the index is the machine's snapshot of memory-mapped arrays:
the first server to start on a machine writes it (in a child process, so that the server's own memory holds
only the mapping; `ccx search-snapshot` does the same ahead, e.g. as a release step), later ones map it.
"""

import gc
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from ccx.practices.browse import library_order, library_table
from ccx.search import dictionary, places
from ccx.search.index import encoder, ensure_snapshot, live_index
from ccx.search.language import detect
from ccx.search.sdg_suggest import wording

logger = logging.getLogger(__name__)


# What the first page views would otherwise load in each worker: compiled templates, translation catalogues.
TEMPLATES = ("base.html", "site/home.html", "practices/library.html", "practices/detail.html")


def warm_up() -> None:
    started = time.perf_counter()
    _load_views_and_query_models()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Practices")
    for name in TEMPLATES:
        get_template(name)
    try:
        encoder().encode(["warm-up"])
        if live_index.shared:
            ensure_snapshot(in_child=True)
        size = live_index.current().size
        wording.load()  # the goals' and targets' vectors: seconds of CPU, or the first SDG suggestion pays them
        # the facet table (every search and library page filters with it) and the library's default order,
        # kept per data version: about a second at 100k practices that each worker's first visitor would wait
        library_table()
        library_order("recommended")
    except DatabaseError as error:  # not migrated yet: the first search will load it
        logger.warning("search index not loaded at start-up: %s", error)
        return
    finally:
        connections.close_all()  # a forked worker must open its own database connection
    gc.freeze()  # what is loaded now stays shared: the collector no longer writes to those pages
    logger.info("search ready at start-up: %d practices, %.1f s", size, time.perf_counter() - started)


def warm_worker() -> None:
    """The task worker's warm-up (in a thread as it starts): the first practice it indexes waits for nothing."""
    _warm_index("task worker")


def warm_development_server() -> None:
    """The development server's warm-up (in a thread as it starts serving): the views, the language model, the
    dictionaries and place names of query translation, then the encoder and the index, which its first search
    would otherwise wait for (3.0 s measured; 0.6 s with the dictionaries, encoder and index only)."""
    _load_views_and_query_models()
    _warm_index("development server")


def _load_views_and_query_models() -> None:
    """What every search request needs before the encoder and the index: the view modules, the language model
    and query translation's data."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module and the API
    detect("warm-up: the language model loads once")
    dictionary.load_all()  # query translation's dictionaries, Chinese segmenter (1.7 s, 110 MB, shared after fork)
    places.load_all()  # ... and its place names (14,800 names, a few MB)


def _warm_index(process: str) -> None:
    started = time.perf_counter()
    try:
        encoder().encode(["warm-up"])
        size = live_index.current().size
    except DatabaseError as error:
        logger.warning("search index not loaded at %s start-up: %s", process, error)
        return
    finally:
        connections.close_all()  # this thread's own connection
    logger.info("%s: search ready at start-up: %d practices, %.1f s", process, size, time.perf_counter() - started)
