"""The library's cards (ccx.practices.cards): kept whole per data version, interface language and search, the
same for every persona, and never older than the practice they show (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ccx.practices import search_hooks
from ccx.practices.cards import library_cards
from ccx.practices.models import Practice, PracticeTranslation
from ccx.practices.services import update_practice
from tests.conftest import Personas
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def words_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_hooks, "engine", search_hooks.LibrarySearch())


@pytest.fixture
def markets(personas: Personas, words_search: None) -> list[Practice]:
    return [
        published_practice(
            personas.focal_a_user, personas.secretariat_user, personas.city_a, f"Night market {n}", summary="A market."
        )
        for n in range(3)
    ]


def test_cards_come_in_the_order_asked_and_are_read_and_rendered_once(markets: list[Practice]) -> None:
    ids = [markets[2].pk, markets[0].pk, markets[1].pk]
    first = library_cards(ids, "market", "en")
    assert [card.count("Night market ") for card in first] == [1, 1, 1]
    assert ["Night market 2" in first[0], "Night market 0" in first[1], "Night market 1" in first[2]] == [True] * 3
    with CaptureQueriesContext(connection) as queries:
        again = library_cards(ids, "market", "en")
    assert again == first
    assert len(queries) == 0  # every card came from the cache


def test_a_card_follows_a_change_and_a_practice_no_longer_published_is_left_out(
    markets: list[Practice], personas: Personas
) -> None:
    ids = [practice.pk for practice in markets]
    library_cards(ids, "market", "en")
    update_practice(markets[0], personas.secretariat_user, {"title": "Night market of lanterns"})
    Practice.objects.filter(pk=markets[1].pk).update(status="draft")
    cards = library_cards(ids, "market", "en")
    assert len(cards) == 2
    assert "Night market of lanterns" in cards[0]
    assert "Night market 1" not in "".join(cards)


def test_cards_are_kept_per_interface_language(markets: list[Practice]) -> None:
    country = markets[0].country
    assert country is not None
    assert country.names.get("fr") not in ("", None, country.name)
    with translation.override("en"):
        english = library_cards([markets[0].pk], "", "")[0]
    with translation.override("fr"):
        french = library_cards([markets[0].pk], "", "")[0]
    assert country.name in english
    assert country.names["fr"] in french


@pytest.mark.parametrize("persona", ["anonymous", "focal_a", "focal_b", "secretariat"])
def test_every_persona_gets_the_same_library_cards(markets: list[Practice], personas: Personas, persona: str) -> None:
    html = personas.all()[persona].get("/practices/?q=market").content.decode()
    assert 'data-count="3"' in html
    assert html.count('class="card practice-card"') == 3


def test_a_card_shows_the_title_in_the_visitor_language_where_a_version_exists(markets: list[Practice]) -> None:
    PracticeTranslation.objects.create(practice=markets[0], language="fr", title="Marché de nuit")
    with translation.override("fr"):
        french = library_cards([markets[0].pk], "market", "en")[0]
    with translation.override("en"):
        english = library_cards([markets[0].pk], "market", "en")[0]
    assert 'lang="fr">Marché de nuit</a>' in french
    assert "Marché de nuit" not in english


def test_without_any_translation_cards_do_not_ask_the_database_for_them(markets: list[Practice]) -> None:
    library_cards([markets[0].pk], "market", "en")  # whether any translation exists: known for this version
    with CaptureQueriesContext(connection) as queries:
        library_cards([practice.pk for practice in markets], "night", "en")
    assert len(queries) == 2  # the practices, their creative fields
    assert not any("translation" in query["sql"] for query in queries.captured_queries)
