"""What one request may cost the search engine (issue 12: no single request may cost more than about a second
of CPU). The library page searches the same query once per selected facet: the query is embedded once. An SDG
suggestion embeds at most `MAX_TEXT` characters."""

from typing import Any

import numpy as np
import pytest

from ccx.search import sdg_suggest
from ccx.search.dense import QUERY_VECTORS_KEPT
from ccx.search.engine import Engine


class CountingEncoder:
    def __init__(self, dimensions: int = 4) -> None:
        self.texts: list[str] = []
        self.dimensions = dimensions

    def encode(self, texts: list[str]) -> Any:
        self.texts += texts
        return np.ones((len(texts), self.dimensions), dtype=np.float32)


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


@pytest.mark.django_db
def test_an_sdg_suggestion_reads_at_most_max_text_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """A practice's texts together may be far longer than the API's 20,000 characters: the embedding reads
    the opening only, so the sdg-suggestions fragment costs what the API's longest text costs."""
    encoder = CountingEncoder(dimensions=512)
    monkeypatch.setattr(sdg_suggest, "encoder", lambda: encoder)
    monkeypatch.setattr(sdg_suggest, "wording", sdg_suggest._Wording())  # the fake's vectors stay in this test
    sdg_suggest.suggest_sdgs("Clean water for the old town. " * 10_000)
    assert max(len(text) for text in encoder.texts) == sdg_suggest.MAX_TEXT
