"""What one request may cost the search engine (issue 12: no single request may cost more than about a second
of CPU). The library page searches the same query once per selected facet: the query is embedded once."""

from typing import Any

import numpy as np
import pytest

from ccx.search.engine import QUERY_VECTORS_KEPT, Engine


class CountingEncoder:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> Any:
        self.texts += texts
        return np.ones((len(texts), 4), dtype=np.float32)


def test_a_query_is_embedded_once_however_many_times_it_is_searched() -> None:
    encoder = CountingEncoder()
    engine = Engine(encoder)
    first = engine.encode_query("empty shops in the old town", "en")
    for _ in range(7):  # the results and the six facets a visitor selected
        assert engine.encode_query("empty shops in the old town", "en") is first
    assert len(encoder.texts) == 1
    engine.encode_query("empty shops in the old town", "fr")  # another reading of the query: embedded again
    assert len(encoder.texts) == 2


def test_the_shared_query_vector_cannot_be_changed_by_one_search() -> None:
    vector = Engine(CountingEncoder()).encode_query("night markets", "en")
    with pytest.raises(ValueError, match="read-only"):
        vector *= 2


def test_the_kept_query_vectors_are_bounded() -> None:
    encoder = CountingEncoder()
    engine = Engine(encoder)
    for number in range(3 * QUERY_VECTORS_KEPT):
        engine.encode_query(f"query {number}", "en")
    assert len(engine._query_vectors) <= QUERY_VECTORS_KEPT
