"""What a server loads before its first visitor (ccx.search.startup)."""

import gc

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from ccx.practices.browse import library_order, library_table
from ccx.search import dictionary, places, startup
from ccx.search.index import live_index

pytestmark = pytest.mark.django_db


def test_start_up_reads_the_facet_table_and_the_library_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 100k practices each took a worker's first visitor about a second when left to the first request."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's transaction stays open
    monkeypatch.setattr(gc, "freeze", lambda: None)
    startup.warm_up()
    with CaptureQueriesContext(connection) as queries:
        library_table()
        library_order("recommended")
    assert len(queries) == 0


def test_the_development_server_loads_what_its_first_search_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """``make run``'s first search waited about 3 s for the dictionaries, the encoder and the index."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's transaction stays open
    for module, cache in ((dictionary, "_loaded"), (dictionary, "_english"), (places, "_loaded")):
        monkeypatch.setattr(module, cache, {})  # as in a process that has loaded nothing yet
    live_index.reset()
    startup.warm_development_server()
    assert live_index.engine is not None
    assert {"ar", "es", "fr", "zh"} <= set(dictionary._loaded)
    assert set(dictionary._english) == {"en"}
    assert {"ar", "es", "fr", "ru"} <= set(places._loaded)
