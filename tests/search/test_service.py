"""The search app inside the product: indexing practices, the shared ranking, matching and SDG suggestions."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from django.test import Client

from ccx.accounts.services import make_secretariat
from ccx.cities.models import City, CreativeField
from ccx.practices import workflow
from ccx.practices.models import Practice
from ccx.practices.services import update_practice
from ccx.sdg.models import Goal
from ccx.search.index import artefacts_of, doc_id, index_practices, live_index
from ccx.search.models import SearchDocument
from ccx.search.service import rank_practices, slot_mask
from tests.conftest import Personas, make_user
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db

LIBRARY = [
    (
        "Bicycle lanes",
        "design",
        "A network of protected bicycle lanes cut car traffic and made cycling to school safe.",
    ),
    (
        "Rainwater gardens",
        "music",
        "Neighbourhood gardens collect rainwater and prevent flooding of streets after storms.",
    ),
    (
        "Street food market",
        "gastronomy",
        "A night market gives street food vendors licences, clean water and waste collection.",
    ),
    (
        "Library on wheels",
        "literature",
        "A bus full of books visits remote districts so that children can borrow reading books.",
    ),
    (
        "Film school for teenagers",
        "film",
        "Teenagers learn to write and shoot short films about their own neighbourhood.",
    ),
]


@pytest.fixture
def library(personas: Personas) -> Iterator[dict[str, Practice]]:
    live_index.reset()
    practices = {}
    for title, field, text in LIBRARY:
        field_id = CreativeField.objects.get(slug=field).pk
        practices[title] = published_practice(
            personas.focal_a_user,
            personas.secretariat_user,
            personas.city_a,
            title,
            summary=text,
            description=text,
            fields=[field_id],
        )
    index_practices(Practice.objects.all())
    yield practices
    live_index.reset()


def titles(ranked_ids: list[int]) -> list[str]:
    names = dict(Practice.objects.values_list("pk", "title"))
    return [names[pk] for pk in ranked_ids]


def test_a_chinese_query_finds_an_english_practice(library: dict[str, Practice]) -> None:
    ranked = [hit.practice_id for hit in rank_practices("自行车道和骑车上学的安全")]
    assert titles(ranked)[0] == "Bicycle lanes"
    ranked = [hit.practice_id for hit in rank_practices("inondations des rues après les orages")]
    assert "Rainwater gardens" in titles(ranked)[:5]


def test_a_field_filter_never_returns_another_field(library: dict[str, Practice], client: Client) -> None:
    html = client.get("/practices/?q=children+books+films+water&field=literature").content.decode()
    assert 'data-count="1"' in html
    assert "Library on wheels" in html
    assert "Film school for teenagers" not in html


def test_each_field_count_of_a_search_is_what_choosing_that_field_lists(
    library: dict[str, Practice], client: Client
) -> None:
    """The engine ranks the query once over the library; a filter only keeps what it allows, so the count beside
    a facet value and the results of choosing it agree, and the order of what is kept does not change."""
    query = "children books films water streets"
    html = client.get(f"/practices/?q={query}").content.decode()
    counts = dict(re.findall(r'name="field" value="([^"]+)"[^>]*>.*?<span class="count">(\d+)</span>', html, re.S))
    everything = [item["slug"] for item in client.get(f"/api/v1/search?q={query}&limit=50").json()["items"]]
    assert len(everything) >= 3
    assert sum(map(int, counts.values())) == len(everything)  # one field each
    for field, count in counts.items():
        chosen = client.get(f"/practices/?q={query}&field={field}").content.decode()
        assert f'data-count="{count}"' in chosen, field
        kept = [item["slug"] for item in client.get(f"/api/v1/search?q={query}&field={field}").json()["items"]]
        assert kept == [slug for slug in everything if Practice.objects.get(slug=slug).fields.get().slug == field]


def test_a_search_typed_on_the_library_page_is_ranked_by_relevance(
    library: dict[str, Practice], client: Client
) -> None:
    """The page without a query offers its sort as "relevance" (the recommended order until there is a query),
    so the form, submitted with a query, asks for the best match rather than the recommended order."""
    page = client.get("/practices/").content.decode()
    chosen = re.findall(r'<option value="(\w+)" selected>', page.split('id="practice-sort"', 1)[1])
    assert chosen[0] == "relevance"
    typed = client.get("/practices/", {"q": "water in the streets", "sort": chosen[0]}).content.decode()
    shown = re.findall(r'class="stretched-link" href="/practices/([^/]+)/"', typed)
    assert shown == [Practice.objects.get(pk=hit.practice_id).slug for hit in rank_practices("water in the streets")]


def test_the_search_box_and_the_api_give_the_same_ranking(library: dict[str, Practice], client: Client) -> None:
    query = "water in the streets"
    api = [item["slug"] for item in client.get(f"/api/v1/search?q={query}&limit=50").json()["items"]]
    listed = [item["slug"] for item in client.get(f"/api/v1/practices?q={query}&limit=50").json()["items"]]
    engine = [Practice.objects.get(pk=hit.practice_id).slug for hit in rank_practices(query)]
    assert api == listed == engine
    assert api[0] == library["Rainwater gardens"].slug


def test_results_carry_a_highlighted_snippet(library: dict[str, Practice], client: Client) -> None:
    item = client.get("/api/v1/search?q=night+market").json()["items"][0]
    assert item["slug"] == library["Street food market"].slug
    assert item["marks"] == ["night", "market"]
    html = client.get("/practices/?q=night+market").content.decode()
    assert "<mark>night</mark> <mark>market</mark>" in html


def test_an_unchanged_practice_is_not_re_embedded(library: dict[str, Practice], personas: Personas) -> None:
    again = index_practices(Practice.objects.all())
    assert (again.indexed, again.unchanged, again.embedded_passages) == (0, 5, 0)
    update_practice(library["Bicycle lanes"], personas.secretariat_user, {"tagline": "Safe streets for cycling"})
    changed = index_practices(Practice.objects.all())
    assert (changed.indexed, changed.unchanged) == (1, 4)


def test_a_deleted_practice_leaves_the_search(library: dict[str, Practice], personas: Personas) -> None:
    workflow.delete(library["Street food market"], personas.secretariat_user)
    index_practices(Practice.objects.all())
    assert not SearchDocument.objects.get(practice=library["Street food market"]).searchable
    assert "Street food market" not in titles([hit.practice_id for hit in rank_practices("street food vendors")])


def test_publishing_indexes_the_practice_after_commit(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    live_index.reset()
    with django_capture_on_commit_callbacks(execute=True):
        practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Solar kiosks")
    assert SearchDocument.objects.get(practice=practice).searchable
    assert titles([hit.practice_id for hit in rank_practices("solar kiosks")])[0] == "Solar kiosks"


def test_matching_ranks_with_reasons_and_suggests_peers(library: dict[str, Practice], personas: Personas) -> None:
    body = (
        Client()
        .post(
            "/api/v1/match",
            json.dumps(
                {
                    "text": "Our streets flood after every storm and rainwater has nowhere to go",
                    "city": personas.city_b.slug,
                }
            ),
            content_type="application/json",
        )
        .json()
    )
    first = body["matches"][0]
    assert first["slug"] == library["Rainwater gardens"].slug
    assert first["reasons"][0].startswith("addresses the same problem: “")
    assert "in the same region (Asia)" in first["reasons"]
    assert [peer["city"] for peer in body["peers"]] == [personas.city_a.slug]


def test_a_challenge_written_without_spaces_is_matched(library: dict[str, Practice]) -> None:
    """Chinese has no spaces between words: counted by spaces, any Chinese challenge was "one word" and refused."""
    response = Client().post(
        "/api/v1/match",
        json.dumps({"text": "偏远街区的孩子们借不到图书，也没有图书馆。"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["matches"][0]["slug"] == library["Library on wheels"].slug
    # the API says how it read the challenge, and which language each practice can be read in
    assert body["query_language"] == "zh"
    assert (body["matches"][0]["language"], body["matches"][0]["languages"]) == ("en", ["en"])


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"text": "  "}, "Describe the challenge in a few words at least."),
        ({"text": "Flooded streets"}, "Describe the challenge in a few words at least."),
        ({"text": "交通拥堵"}, "Describe the challenge in a few words at least."),  # two words, "traffic jams"
        ({"text": "Streets flood after storms", "city": "atlantis"}, "Unknown city 'atlantis'."),
        ({"text": "Streets flood after storms", "budget_band": "infinite"}, "Unknown budget band 'infinite'."),
    ],
)
def test_matching_rejects_bad_input(payload: dict[str, object], message: str) -> None:
    response = Client().post("/api/v1/match", json.dumps(payload), content_type="application/json")
    assert (response.status_code, response.json()["detail"]) == (422, message)


def test_sdg_suggestions_for_a_water_text(library: dict[str, Practice]) -> None:
    water = Goal.objects.get(number=6)
    library["Rainwater gardens"].sdg_goals.add(water)
    response = Client().post(
        "/api/v1/sdg/suggest",
        json.dumps({"text": "Safe drinking water and sanitation for every household in informal settlements"}),
        content_type="application/json",
    )
    suggestions = response.json()
    assert suggestions[0]["number"] == 6
    assert suggestions[0]["targets"][0]["code"].startswith("6.")
    assert 0 < suggestions[0]["confidence"] <= 1


def test_the_form_suggests_sdgs_to_the_author_only(library: dict[str, Practice], personas: Personas) -> None:
    practice = library["Rainwater gardens"]
    practice.sdg_goals.add(Goal.objects.get(number=6))
    url = f"/practices/{practice.slug}/sdg-suggestions/"
    statuses = {name: client.get(url).status_code for name, client in personas.all().items()}
    assert statuses == {"anonymous": 302, "focal_a": 200, "focal_b": 403, "secretariat": 200}
    html = personas.focal_a.get(url).content.decode()
    suggested = re.findall(r'class="sdg-chip sdg-(\d+)"', html)
    assert suggested[0] == "6"
    assert html.count("data-accept-goal=") == len(suggested)


def test_the_find_solutions_page(library: dict[str, Practice], personas: Personas) -> None:
    html = (
        Client()
        .get(
            "/practices/find-solutions/",
            {"text": "Les enfants des quartiers éloignés n'ont pas accès aux livres", "city": str(personas.city_b.pk)},
        )
        .content.decode()
    )
    first = html.index('class="card match"')
    assert "Library on wheels" in html[first : first + 400]
    assert "addresses the same problem" in html
    bad = Client().get("/practices/find-solutions/", {"text": "books"}).content.decode()
    assert "Describe the challenge in a few words at least." in bad


def test_a_french_version_makes_french_queries_match_lexically(
    library: dict[str, Practice], personas: Personas, client: Client
) -> None:
    from ccx.practices.models import PracticeTranslation

    market = library["Street food market"]
    PracticeTranslation.objects.create(
        practice=market,
        language="fr",
        title="Marché de nuit de la cuisine de rue",
        summary="Un marché nocturne donne aux marchands ambulants des licences, de l'eau et le ramassage des ordures.",
    )
    index_practices(Practice.objects.all())
    assert SearchDocument.objects.get(practice=market).language == "en,fr"
    hits = rank_practices("marchands ambulants et ramassage des ordures au marché nocturne")
    assert hits[0].practice_id == market.pk
    assert hits[0].lexical > 0
    assert hits[0].languages == ("en", "fr")
    body = client.get("/api/v1/search?q=marchands+ambulants+et+ramassage+des+ordures").json()
    assert body["query_language"] == "fr"
    assert (body["items"][0]["slug"], body["items"][0]["languages"]) == (market.slug, ["en", "fr"])
    others = {item["slug"]: item["language"] for item in body["items"][1:]}
    assert set(others.values()) <= {"en"}
    challenge = {"text": "Nos marchands ambulants n'ont ni eau ni ramassage des ordures au marché nocturne."}
    matched = client.post("/api/v1/match", json.dumps(challenge), content_type="application/json").json()
    assert matched["query_language"] == "fr"
    assert (matched["matches"][0]["slug"], matched["matches"][0]["languages"]) == (market.slug, ["en", "fr"])


def test_the_pages_say_how_the_query_was_read_and_mark_other_languages(
    library: dict[str, Practice], client: Client
) -> None:
    html = client.get("/practices/?q=pistes+cyclables+pour+aller+à+l'école+en+sécurité").content.decode()
    assert "read as French" in html
    assert 'data-testid="language-mark"' in html
    assert ">English</span>" in html
    page = client.get("/practices/find-solutions/?text=pistes+cyclables+pour+aller+à+l'école+en+sécurité")
    assert "read as French" in page.content.decode()


def test_find_solutions_takes_a_long_problem_by_post(library: dict[str, Practice], personas: Personas) -> None:
    page = personas.anonymous.get("/practices/find-solutions/").content.decode()
    assert '<form method="post"' in page
    # Under the form's 5,000 characters, but about 5 KB once written in an address, over gunicorn's 4 KB.
    problem = "Les enfants des quartiers éloignés n'ont pas accès aux livres ni à une bibliothèque. " * 45
    html = personas.anonymous.post("/practices/find-solutions/", {"text": problem}).content.decode()
    first = html.index('class="card match"')
    assert "Library on wheels" in html[first : first + 400]


def test_find_solutions_and_the_api_take_the_same_length_of_challenge(
    library: dict[str, Practice], personas: Personas
) -> None:
    problem = "Children in the outer districts have no library and no books to borrow. " * 60  # 4,380 characters
    html = personas.anonymous.post("/practices/find-solutions/", {"text": problem}).content.decode()
    assert "Library on wheels" in html[html.index('class="card match"') :][:400]
    response = personas.anonymous.post("/api/v1/match", {"text": problem}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["matches"][0]["slug"] == library["Library on wheels"].slug

    too_long = problem + "x" * (5001 - len(problem))
    html = personas.anonymous.post("/practices/find-solutions/", {"text": too_long}).content.decode()
    assert "Ensure this value has at most 5000 characters (it has 5001)." in html
    assert 'class="card match"' not in html
    response = personas.anonymous.post("/api/v1/match", {"text": too_long}, content_type="application/json")
    assert response.status_code == 422


def test_query_translation_lexicon_is_built_at_index_time_and_reused(
    library: dict[str, Practice], settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccx.search import translation
    from ccx.search.index import MODEL_KEY
    from ccx.search.lexicon import Lexicon

    settings.VAR_DIR = tmp_path
    live_index.reset()
    engine = live_index.current()
    assert engine.lexicon is not None
    assert list(tmp_path.glob("search/lexicon-*.npz"))
    lexicon = engine.lexicon
    assert {"water", "street", "market"} <= set(lexicon.terms)
    # a French query about the street food market finds it, its English text matched through the translation
    hits = rank_practices("un marché de nuit pour la nourriture de rue, avec de l'eau propre")
    assert titles([hit.practice_id for hit in hits])[0] == "Street food market"
    assert hits[0].lexical > 0
    # a process loading the same index reads the stored vectors and embeds nothing
    monkeypatch.setattr(Lexicon, "build", lambda *args, **kwargs: pytest.fail("re-embedded"))
    live_index.reset()
    assert live_index.current().lexicon is not None
    assert len(translation.refresh_lexicon(live_index.current(), MODEL_KEY)) == len(lexicon)


RAIN = "Neighbourhood gardens collect rainwater and prevent flooding of streets after storms."
BOOKS = "A bus full of books visits remote districts so that children can borrow books."


def lexicon_terms() -> list[str]:
    lexicon = live_index.current().lexicon
    return lexicon.terms if lexicon is not None else []


def test_the_lexicon_follows_practices_published_after_it(real_data: None) -> None:
    """Each practice is indexed as it is published (the change commits): the lexicon made with the first
    practice's words must take the next one's, or a French query could not reach it lexically."""
    live_index.reset()
    city = City.objects.get(slug="ashgabat-tm")
    author, reviewer = make_user("focal-a", cities=(city,)), make_user("reviewer")
    make_secretariat(reviewer)
    published_practice(author, reviewer, city, "Rainwater gardens", summary=RAIN, description=RAIN)
    assert "books" not in lexicon_terms()
    published_practice(author, reviewer, city, "Library on wheels", summary=BOOKS, description=BOOKS)
    assert "books" in lexicon_terms()
    ranked = rank_practices("Les enfants des quartiers éloignés n'ont pas accès aux livres")
    assert [r.practice_id for r in ranked][:1] == [Practice.objects.get(title="Library on wheels").pk]
    live_index.reset()


def test_allowed_practices_as_an_array_rank_as_a_list_does_and_follow_the_index(library: dict[str, Practice]) -> None:
    """The library hands the allowed practices as a numpy array of ids (its facet table, issue 17): the search
    maps them to the engine's slots, also after the index changed (a practice re-indexed moves to a new slot)."""
    query = "books for children and water for gardens"
    allowed = [library["Library on wheels"].pk, library["Rainwater gardens"].pk, 10_000_000]
    as_list = [hit.practice_id for hit in rank_practices(query, allowed)]
    assert set(as_list) <= set(allowed)
    assert as_list
    assert [hit.practice_id for hit in rank_practices(query, np.array(allowed, dtype=np.int64))] == as_list
    assert [hit.practice_id for hit in rank_practices(query, np.array([], dtype=np.int64))] == []

    engine = live_index.current()
    moved = library["Library on wheels"]
    slot_before = engine.slot_of[doc_id(moved.pk)]
    engine.add_artefacts([artefacts_of(SearchDocument.objects.get(practice=moved))])  # a re-index: a new slot
    assert engine.slot_of[doc_id(moved.pk)] != slot_before
    mask = slot_mask(engine, np.array([moved.pk], dtype=np.int64))
    assert [engine.slot_ids[slot] for slot in np.flatnonzero(mask)] == [doc_id(moved.pk)]
    assert [hit.practice_id for hit in rank_practices(query, np.array(allowed, dtype=np.int64))] == as_list
