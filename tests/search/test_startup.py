"""What a server loads before its first visitor (ccx.search.startup)."""

import gc

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from ccx.practices.browse import library_order, library_table
from ccx.search import startup

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
