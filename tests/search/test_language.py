"""Which language a query is read in, and the function words each language drops (no Django)."""

from collections import Counter

import pytest

from ccx.search.engine import Engine
from ccx.search.language import LANGUAGES, detect, stop_words

# the six UN languages: a short query, a city's sentence
SAMPLES = [
    ("en", "reduce traffic congestion in the city centre"),
    ("en", "Our historic centre loses its craftspeople and young people leave for the capital"),
    ("fr", "gestion des déchets"),
    ("fr", "réduire les embouteillages dans le centre-ville"),
    ("fr", "Notre centre historique perd ses artisans et les jeunes partent vers la capitale"),
    ("es", "gestión de residuos"),
    ("es", "reducir la congestión del tráfico en el centro de la ciudad"),
    ("es", "Nuestro centro histórico pierde a sus artesanos y los jóvenes se van a la capital"),
    ("zh", "垃圾管理"),
    ("zh", "减少市中心交通拥堵"),
    ("zh", "我们的历史中心正在失去手工艺人，年轻人纷纷前往首都"),
    ("ar", "إدارة النفايات"),
    ("ar", "الحد من الازدحام المروري في وسط المدينة"),
    ("ru", "утилизация отходов"),
    ("ru", "Наш исторический центр теряет ремесленников, а молодёжь уезжает в столицу"),
]


@pytest.mark.parametrize(("language", "text"), SAMPLES)
def test_the_language_of_queries_in_the_six_un_languages(language: str, text: str) -> None:
    assert detect(text) == language


def test_a_text_without_letters_or_too_short_to_tell_is_undetermined() -> None:
    assert detect("2030") == ""
    assert detect("   ") == ""
    # one or two Latin words are often ambiguous ("traffic" is also Italian): then undetermined, never wrong
    for language, text in [("en", "waste management"), ("en", "traffic"), ("en", "heritage"), ("es", "museo")]:
        assert detect(text) in ("", language)
    assert set(LANGUAGES) >= {"en", "fr", "es", "zh", "ar", "ru"}


def test_other_scripts_are_read_from_their_characters() -> None:
    assert detect("ごみの分別") == "ja"
    assert detect("쓰레기 관리") == "ko"
    assert detect("การจัดการขยะ") == "th"


def test_function_words_per_language() -> None:
    assert {"les", "dans", "avec", "notre", "nos"} <= stop_words("fr")
    assert {"embouteillages", "ville", "dechets"}.isdisjoint(stop_words("fr"))
    assert {"la", "del", "nuestro"} <= stop_words("es")
    assert {"и", "в", "наш"} <= stop_words("ru")
    assert "في" in stop_words("ar")
    assert "我们" in stop_words("zh")  # a bigram of two function characters
    assert "交通" not in stop_words("zh")
    assert "work" not in stop_words("en")
    assert "the" in stop_words("en")
    assert stop_words("") == frozenset()


def test_a_query_keeps_only_its_content_terms() -> None:
    engine = Engine(None)
    query = "Comment réduire les embouteillages avec nos habitants dans notre centre-ville ?"
    assert engine.query_terms(query, "fr") == Counter(
        {"reduire": 1, "embouteillages": 1, "habitants": 1, "centre": 1, "ville": 1}
    )
    assert engine.query_language(query) == "fr"
