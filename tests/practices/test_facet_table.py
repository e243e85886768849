"""The facet table (ccx.practices.facet_table) answers as the SQL does: the same practices for every filter, the
same facet counts, the same search results, for every persona (issue 17)."""

import random
import re
from dataclasses import replace
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from ccx.cities.models import City, CreativeField, Region
from ccx.practices import browse, search_hooks
from ccx.practices.browse import (
    FACET_COLUMNS,
    FACETS,
    MULTI_VALUED,
    PARAMETERS,
    QUERY_RESULTS,
    SORTS,
    PracticeFilters,
    RowsInOrder,
    allowed_rows,
    facet_counts,
    filter_practices,
    library_table,
    listed,
    ranking,
    with_city_size,
)
from ccx.practices.models import Practice, Stage, Status, Technology, Theme
from ccx.sdg.models import Goal
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

CHECKBOX_COUNT = r'type="checkbox" id="[^"]*" name="(\w+)" value="([^"]+)"[^>]*>.*?<span class="count">(\d+)</span>'
WORDS = ["market", "river", "music", "school", "garden", "heritage", "bicycle", "waste"]


@pytest.fixture
def corpus(personas: Personas) -> list[Practice]:
    """60 practices with every facet varied (some without country, year or city), drafts and deleted ones too:
    the drafts belong to focal_a's city, who may see them elsewhere, never in the library."""
    rng = random.Random(17)
    cities = list(City.objects.filter(is_member=True).exclude(population=None).order_by("pk")[:12])
    cities += [personas.city_a, personas.city_b]
    fields, themes = list(CreativeField.objects.all()), list(Theme.objects.all())
    technologies, goals = list(Technology.objects.all()), list(Goal.objects.all())
    now = timezone.now()
    practices = []
    for n in range(60):
        city = rng.choice([*cities, None])
        status = Status.DRAFT if n % 10 == 3 else Status.PUBLISHED
        practice = Practice.objects.create(
            slug=f"corpus-{n}",
            title=f"Practice {n} about {rng.choice(WORDS)}",
            summary=" ".join(rng.sample(WORDS, 3)),
            lead_city=city,
            owner=personas.focal_a_user,
            country=(city.country if city else rng.choice([personas.city_b.country, None])),
            status=status,
            published_at=now if status == Status.PUBLISHED else None,
            deleted_at=now if n % 13 == 5 else None,
            stage=rng.choice([*Stage.values, ""]),
            start_year=rng.choice([2015, 2018, 2021, None]),
            original_language=rng.choice(["en", "fr", "es"]),
        )
        practice.fields.set(rng.sample(fields, rng.randint(0, 2)))
        practice.themes.set(rng.sample(themes, rng.randint(0, 3)))
        practice.technologies.set(rng.sample(technologies, rng.randint(0, 2)))
        practice.sdg_goals.set(rng.sample(goals, rng.randint(0, 3)))
        practices.append(practice)
    return practices


@pytest.fixture
def words_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library's own search without the engine: words of the title or summary (deterministic)."""
    monkeypatch.setattr(search_hooks, "engine", search_hooks.LibrarySearch())


def random_filters(rng: random.Random, published: list[Practice], q: str = "") -> PracticeFilters:
    """Filters drawn from values that practices have (and sometimes one that none has)."""
    values: dict[str, Any] = {}
    for name in rng.sample(FACETS, rng.randint(1, 3)):
        present = sorted({str(v) for v in sql_values(name, published) if v not in (None, "")})
        extra = {"regions": Region.values, "stages": Stage.values}.get(name, [])
        pool = present + [v for v in extra if v not in present]
        values[name] = tuple(rng.sample(pool, min(len(pool), rng.randint(1, 2))))
    city = rng.choice(["", "", "", "ashgabat-tm"])
    return PracticeFilters(**values, q=q, city=city)


def sql_values(name: str, practices: list[Practice]) -> list[object]:
    rows = with_city_size(Practice.objects.filter(pk__in=[p.pk for p in practices]))
    return list(rows.values_list(FACET_COLUMNS[name], flat=True))


def sql_counts(filters: PracticeFilters) -> dict[str, dict[str, int]]:
    """The facet counts as the library counted them before the table: a GROUP BY per facet, in SQL."""
    base = Practice.objects.published()
    counts = {}
    for name in FACETS:
        scope = sql_selection(base, filters.without(name) if getattr(filters, name) else filters)
        column = FACET_COLUMNS[name]
        rows = with_city_size(base.filter(pk__in=scope)).values(column).annotate(n=Count("pk", distinct=True))
        counts[name] = {str(row[column]): row["n"] for row in rows if row[column] not in (None, "")}
    return counts


def sql_selection(base: Any, filters: PracticeFilters) -> list[int]:
    """The practices of `filters` in SQL: the SQL filters, then, with a query, the search's results over the
    whole library that those filters allow."""
    filtered = set(filter_practices(base, replace(filters, q="")).values_list("pk", flat=True))
    if not filters.q:
        return sorted(filtered)
    return sorted(pk for pk in search_hooks.engine.rank(filters.q, 10_000) if pk in filtered)


def table_counts(filters: PracticeFilters) -> dict[str, dict[str, int]]:
    return {name: {v.value: v.count for v in values if v.count} for name, values in facet_counts(filters).items()}


def test_the_table_holds_the_published_practices_with_their_values(corpus: list[Practice]) -> None:
    published = Practice.objects.published()
    table = library_table()
    assert table.ids.tolist() == sorted(published.values_list("pk", flat=True))
    for name in FACETS:
        sql = {
            (pk, str(value))
            for pk, value in with_city_size(published).values_list("pk", FACET_COLUMNS[name])
            if value not in (None, "")
        }
        every = table.everything
        rows = [
            (int(pk), value)
            for value in table.facets[name].values
            for pk in table.ids_of(every & table.facets[name].allows([value]))
        ]
        assert set(rows) == sql, name
    assert set(MULTI_VALUED) < set(FACETS)


def test_filters_and_counts_without_a_query_equal_the_sql(corpus: list[Practice]) -> None:
    rng = random.Random(5)
    published = list(Practice.objects.published())
    table = library_table()
    for _ in range(40):
        filters = random_filters(rng, published)
        sql = sorted(filter_practices(Practice.objects.published(), filters).values_list("pk", flat=True))
        assert table.ids_of(allowed_rows(table, filters)).tolist() == sql, filters
        assert table_counts(filters) == sql_counts(filters), filters


def test_search_results_and_counts_with_a_query_equal_the_sql(corpus: list[Practice], words_search: None) -> None:
    rng = random.Random(11)
    published = list(Practice.objects.published())
    for _ in range(40):
        filters = random_filters(rng, published, q=rng.choice(WORDS))
        before = sql_selection(Practice.objects.published(), filters)
        assert sorted(filter_practices(Practice.objects.published(), filters).values_list("pk", flat=True)) == sorted(
            before
        ), filters
        assert table_counts(filters) == sql_counts(filters), filters


def test_a_query_is_searched_once_for_every_filter_combination(
    corpus: list[Practice], words_search: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The filters narrow the query's one ranking over the whole library: choosing a theme, a region or both,
    or counting the facets of each, does not search again."""
    handed: list[tuple[str, int]] = []
    rank = search_hooks.engine.rank

    def recording(query: str, k: int) -> list[int]:
        handed.append((query, k))
        return rank(query, k)

    monkeypatch.setattr(search_hooks.engine, "rank", recording)
    theme = Theme.objects.filter(practices__in=corpus).first()
    assert theme is not None
    everything = ranking(PracticeFilters(q="market"))
    themed = ranking(PracticeFilters(themes=(theme.slug,), q="market"))
    facet_counts(PracticeFilters(themes=(theme.slug,), regions=("AS",), q="market"))
    assert handed == [("market", QUERY_RESULTS)]
    assert themed == [pk for pk in everything if pk in set(theme.practices.values_list("pk", flat=True))]


def test_a_facet_count_is_what_choosing_it_lists(corpus: list[Practice], words_search: None) -> None:
    rng = random.Random(5)
    published = list(Practice.objects.published())
    for _ in range(15):
        filters = random_filters(rng, published, q=rng.choice(WORDS))
        for name, values in facet_counts(filters).items():
            for value in values:
                if value.selected:
                    continue
                alone: dict[str, Any] = {name: (value.value,)}
                narrowed = replace(filters, **alone)  # that value alone of its facet
                assert value.count == len(ranking(narrowed)), (filters, name, value)


@pytest.mark.parametrize("persona", ["anonymous", "focal_a", "focal_b", "secretariat"])
def test_every_persona_sees_the_published_library_with_the_sql_counts(
    corpus: list[Practice], words_search: None, personas: Personas, persona: str
) -> None:
    """The library shows published practices to everyone (drafts are on "my practices"), with or without a
    query; its counts are the SQL's and no draft or deleted practice is counted or listed."""
    client = personas.all()[persona]
    hidden = [p for p in corpus if not p.is_published]
    assert hidden
    for url, filters in (
        ("/practices/", PracticeFilters()),
        ("/practices/?q=market&region=AS", PracticeFilters(q="market", regions=("AS",))),
        ("/practices/?q=garden", PracticeFilters(q="garden")),
    ):
        html = client.get(url).content.decode()
        expected = len(sql_selection(Practice.objects.published(), filters))
        assert f'data-count="{expected}"' in html, (persona, url)
        for practice in hidden:
            assert f'href="{practice.get_absolute_url()}"' not in html
        shown = {(parameter, value): int(count) for parameter, value, count in re.findall(CHECKBOX_COUNT, html, re.S)}
        expected_counts = {
            (PARAMETERS[name], value): count
            for name, counts in sql_counts(filters).items()
            for value, count in counts.items()
        }
        assert {key: n for key, n in shown.items() if n} == expected_counts, (persona, url)


def test_a_change_is_in_the_table_of_the_next_data_version(corpus: list[Practice]) -> None:
    first = library_table()
    practice = next(p for p in corpus if p.is_published)
    Practice.objects.filter(pk=practice.pk).update(status=Status.DRAFT)
    second = library_table()
    assert second is not first
    assert practice.pk in first.ids.tolist()
    assert practice.pk not in second.ids.tolist()
    assert library_table() is second  # kept until the next change


def test_the_listed_order_of_every_sort_equals_the_sql(corpus: list[Practice], words_search: None) -> None:
    """The library's page order comes from the orders read once per data version and the table's filters: the
    same practices in the same order as the SQL filters and ORDER BY, for every sort, with and without a query."""
    rng = random.Random(23)
    published = list(Practice.objects.published())
    base = Practice.objects.published()
    for sort in SORTS:
        assert listed(PracticeFilters(sort=sort)).tolist() == list(
            filter_practices(base, PracticeFilters(sort=sort)).values_list("pk", flat=True)
        ), sort
        for _ in range(8):
            filters = replace(random_filters(rng, published, q=rng.choice(["", "", *WORDS])), sort=sort)
            sql = list(filter_practices(base, filters).values_list("pk", flat=True))
            assert listed(filters).tolist() == sql, filters


def test_rows_in_order_read_only_the_slice_asked_for(corpus: list[Practice], django_assert_num_queries: Any) -> None:
    ids = listed(PracticeFilters(sort="title"))
    rows = RowsInOrder(ids, Practice.objects.published())
    assert len(rows) == len(ids) == Practice.objects.published().count() == 49
    with django_assert_num_queries(1):
        page = rows[5:10]
    assert [practice.pk for practice in page] == ids[5:10].tolist()
    assert rows[3].pk == ids[3]


def test_an_order_read_at_another_data_version_is_placed_in_the_current_table(
    corpus: list[Practice], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table and the order are each kept per data version: a change between reading one and the other in a
    request must neither fail nor list practices by another practice's row."""
    stale = browse.library_order("title")
    gone = Practice.objects.published().order_by("pk").first()
    assert gone is not None
    Practice.objects.filter(pk=gone.pk).update(status=Status.DRAFT)  # a new data version, a smaller table
    monkeypatch.setattr(browse, "library_order", lambda sort: stale)
    now = list(
        filter_practices(Practice.objects.published(), PracticeFilters(sort="title")).values_list("pk", flat=True)
    )
    assert listed(PracticeFilters(sort="title")).tolist() == now == [pk for pk in stale[0].tolist() if pk != gone.pk]
