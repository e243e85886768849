"""What a search request does not redo: embedding a query seen before, highlighting a practice again, and
waiting for the task worker to index a practice a warm server has just saved."""

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from ccx.practices.models import Practice
from ccx.search import service, tasks
from ccx.search.index import encoder, index_practices, live_index
from ccx.search.models import SearchDocument
from tests.conftest import Personas
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def kilns(personas: Personas) -> Iterator[Practice]:
    live_index.reset()
    practice = published_practice(
        personas.focal_a_user, personas.secretariat_user, personas.city_a, "Shared pottery kilns",
        summary="Potters share the city's kilns.", description="Potters share the city's kilns and fire together.",
    )  # fmt: skip
    index_practices([practice])
    yield practice
    live_index.reset()


def test_a_query_is_embedded_once(kilns: Practice, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = live_index.current()
    calls: list[str] = []
    original = engine.encode_query

    def counting(query: str, language: str = "") -> Any:
        calls.append(query)
        return original(query, language)

    monkeypatch.setattr(engine, "encode_query", counting)
    first = service.rank_practices("pottery kilns fired together")
    again = service.rank_practices("pottery kilns fired together")
    assert (first, calls) == (again, ["pottery kilns fired together"])
    assert [hit.practice_id for hit in first] == [kilns.pk]


def test_a_highlight_is_kept_until_the_practice_changes(kilns: Practice) -> None:
    first = service.highlight(kilns, "kilns", "en")
    assert service.highlight(kilns, "kilns", "en") is first
    kilns.summary = "Glass blowers share the city's kilns."
    kilns.save()
    changed = service.highlight(kilns, "glass", "en")
    assert changed is not first
    assert "Glass" in changed.text


def test_a_warm_server_indexes_a_saved_practice_itself(
    kilns: Practice, settings: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASK_WORKER = True
    queued: list[int] = []
    monkeypatch.setattr(tasks, "index_practice", SimpleNamespace(enqueue=queued.append))
    encoder()  # a warm server has its encoder loaded
    with django_capture_on_commit_callbacks(execute=True):
        kilns.title = "Shared glass furnaces"
        kilns.save()
    assert queued == []
    assert "Shared glass furnaces" in SearchDocument.objects.get(practice=kilns).passages[0]

    settings.SEARCH_INDEX_AT_ONCE = False  # then the task worker does it
    with django_capture_on_commit_callbacks(execute=True):
        kilns.title = "Shared kilns again"
        kilns.save()
    assert queued == [kilns.pk]
