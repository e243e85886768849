"""The stored index: commands, shipped vectors, and several processes staying in step."""

import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from ccx.practices import workflow
from ccx.practices.models import Practice
from ccx.search import index
from ccx.search.index import LiveIndex, export_vectors, index_practices
from ccx.search.models import SearchDocument
from tests.conftest import Personas
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db


def test_two_processes_stay_in_step(personas: Personas) -> None:
    first = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Tram line")
    index_practices([first])
    process_a, process_b = LiveIndex(), LiveIndex()
    process_a.REFRESH_SECONDS = process_b.REFRESH_SECONDS = 0.0
    assert (process_a.current().size, process_b.current().size) == (1, 1)
    replace_and_check_in_step(personas, first, [process_a, process_b])


def replace_and_check_in_step(personas: Personas, first: Practice, processes: list[LiveIndex]) -> Practice:
    """Publish a second practice and delete `first`, each indexed; every process then holds the second only."""
    second = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Bus lanes")
    index_practices([second])
    workflow.delete(first, personas.secretariat_user)
    index_practices([first])
    for process in processes:
        engine = process.current()
        assert (engine.size, sorted(i for i in engine.slot_ids if i)) == (1, [f"practice:{second.pk}"])
    return second


def test_the_reindex_command_reports_and_exports(personas: Personas, tmp_path: Path) -> None:
    published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Tram line", source_name="X")
    out = io.StringIO()
    call_command("reindex", no_progress=True, stdout=out)
    assert "1 practice(s) indexed" in out.getvalue()
    again = io.StringIO()
    call_command("reindex", no_progress=True, stdout=again, export_vectors=tmp_path / "vectors.npz")
    assert "0 practice(s) indexed" in again.getvalue()
    assert "1 unchanged" in again.getvalue()
    with np.load(tmp_path / "vectors.npz") as archive:
        stored = SearchDocument.objects.get()
        assert (list(archive["checksums"]), str(archive["model"])) == ([stored.checksum], index.MODEL_KEY)


def test_shipped_vectors_are_reused_instead_of_embedding(
    personas: Personas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = published_practice(
        personas.focal_a_user, personas.secretariat_user, personas.city_a, "Tram line", source_name="UNDP"
    )
    index_practices([practice])
    assert export_vectors(tmp_path / "vectors.npz") == 1
    SearchDocument.objects.all().delete()
    monkeypatch.setattr(index, "SHIPPED_VECTORS", tmp_path / "vectors.npz")
    report = index_practices(Practice.objects.all())
    assert (report.indexed, report.embedded_passages, report.reused_passages) == (1, 0, 1)


def test_eval_search_scores_a_small_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({"id": f"d{n}", "title": title, "text": text, "lang": "en"})
            for n, (title, text) in enumerate(
                [
                    ("Bicycle lanes", "Protected lanes made cycling to school safe."),
                    ("Rain gardens", "Gardens collect rainwater and stop street flooding."),
                    ("Night market", "Street food vendors got licences and clean water."),
                ]
            )
        ),
        encoding="utf-8",
    )
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps({"qid": "q1", "text": "inondation des rues", "lang": "fr"}), encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\td1\t1\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "eval-search", str(corpus), str(queries), out=tmp_path / "run.tsv", qrels=qrels, store=tmp_path / "s.sqlite3",
        no_progress=True, stdout=out,
    )  # fmt: skip
    assert (tmp_path / "run.tsv").read_text().splitlines()[0].split("\t")[:3] == ["q1", "d1", "1"]
    assert "engine (hybrid)          success@1=1.0" in out.getvalue()


def test_similar_practices_are_stored_when_indexed_and_filtered_when_read(personas: Personas) -> None:
    index.live_index.reset()  # rows of earlier tests were rolled back, but this process's index still holds them
    make = published_practice
    kilns = make(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Shared pottery kilns")
    tram = make(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Night tram to the airport")
    index_practices([kilns, tram])
    twin = make(personas.focal_b_user, personas.secretariat_user, personas.city_b, "Shared pottery kilns again")
    index_practices([twin])  # the twin arrives later: the first practice's stored list now names it first

    stored = dict(SearchDocument.objects.values_list("practice_id", "similar"))
    assert [pk for pk, _score in stored[kilns.pk]][:1] == [twin.pk]
    assert [pk for pk, _score in stored[twin.pk]][:1] == [kilns.pk]
    assert sorted(pk for pk, _score in stored[kilns.pk]) == sorted([twin.pk, tram.pk])

    page = personas.anonymous.get(kilns.get_absolute_url()).content.decode()
    assert twin.get_absolute_url() in page
    workflow.delete(twin, personas.secretariat_user)  # listed, but no longer visible: dropped when read
    for client in personas.all().values():
        page = client.get(kilns.get_absolute_url()).content.decode()
        assert twin.get_absolute_url() not in page
        assert tram.get_absolute_url() in page


def test_similar_practices_in_another_language(personas: Personas) -> None:
    english = published_practice(
        personas.focal_a_user,
        personas.secretariat_user,
        personas.city_a,
        "Recycling plastic waste into building bricks",
        summary="Households sort plastic waste; a cooperative presses it into bricks for schools.",
    )
    chinese = published_practice(
        personas.focal_b_user,
        personas.secretariat_user,
        personas.city_b,
        "把塑料垃圾回收制成建筑砖",
        summary="居民分类塑料垃圾，合作社把它压制成砖，用来建造学校。",
        original_language="zh-hans",
    )
    other = published_practice(
        personas.focal_b_user, personas.secretariat_user, personas.city_b, "Jazz festival in the harbour"
    )
    index_practices([english, chinese, other])
    stored = dict(SearchDocument.objects.values_list("practice_id", "similar"))
    assert stored[english.pk][0][0] == chinese.pk
    assert stored[chinese.pk][0][0] == english.pk
