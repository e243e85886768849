"""The practice library's filters, sorting and facet counts, shared by the browse page, the API and exports.

Without a query, filters are SQL (`facet_filter`). With one, the search engine ranks the query once over the
whole library (`query_ranking`, kept per data version) and the other filters keep the practices they allow, which
the facet table (ccx.practices.facet_table, read from the same FACET_COLUMNS) tells without a query to the
database (`ranking`). Facet counts come from the same table, over the ranked practices or the filtered ones."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from ccx.cities.models import Country, CreativeField, Region
from ccx.core import versions
from ccx.core.filters import FilterReader
from ccx.core.pagecache import per_version
from ccx.practices import search_hooks
from ccx.practices.facet_table import BoolArray, FacetTable, IdArray, facet_table
from ccx.practices.models import CITY_SIZE_BOUNDS, CitySize, Practice, PracticeQuerySet, Stage, Technology, Theme
from ccx.sdg.models import Goal

# "Recommended" puts practices that a member city leads and that report results first, then the newest.
RECOMMENDED = (
    Case(When(lead_city__is_member=True, then=Value(0)), default=Value(1)).asc(),
    Case(When(results="", then=Value(1)), default=Value(0)).asc(),
    F("start_year").desc(nulls_last=True),
    F("title").asc(),
    F("pk").asc(),
)
SORTS = {
    "relevance": RECOMMENDED,  # without a query there is nothing to be relevant to
    "recommended": RECOMMENDED,
    "-published": (F("published_at").desc(nulls_last=True), F("title").asc(), F("pk").asc()),
    "title": (F("title").asc(), F("pk").asc()),
    "-start": (F("start_year").desc(nulls_last=True), F("title").asc(), F("pk").asc()),
    "start": (F("start_year").asc(nulls_last=True), F("title").asc(), F("pk").asc()),
}
FACETS = ("fields", "themes", "technologies", "sdgs", "regions", "countries", "sizes", "stages", "years", "languages")
PARAMETERS = {
    "fields": "field",
    "themes": "theme",
    "technologies": "technology",
    "sdgs": "sdg",
    "regions": "region",
    "countries": "country",
    "sizes": "size",
    "stages": "stage",
    "years": "year",
    "languages": "language",
}


@dataclass(frozen=True)
class PracticeFilters:
    fields: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    city: str = ""
    q: str = ""
    sort: str = "recommended"
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in (*FACETS, "q", "city"))

    def without(self, facet: str) -> "PracticeFilters":
        empty: dict[str, Any] = {facet: ()}
        return replace(self, **empty)

    def as_query(self) -> dict[str, list[str]]:
        query = {PARAMETERS[name]: list(getattr(self, name)) for name in FACETS if getattr(self, name)}
        if self.q:
            query["q"] = [self.q]
        if self.city:
            query["city"] = [self.city]
        if self.sort not in ("recommended", "relevance"):
            query["sort"] = [self.sort]
        return query


def _valid_values() -> dict[str, set[str]]:
    """The values each facet accepts: read once per data version (five queries on every library page and search)."""
    values: dict[str, set[str]] = per_version("facet-values", _read_valid_values)
    return values


def _read_valid_values() -> dict[str, set[str]]:
    return {
        "fields": set(CreativeField.objects.values_list("slug", flat=True)),
        "themes": set(Theme.objects.values_list("slug", flat=True)),
        "technologies": set(Technology.objects.values_list("slug", flat=True)),
        "sdgs": {str(number) for number in Goal.objects.values_list("number", flat=True)},
        "regions": set(Region.values),
        "countries": set(Country.objects.values_list("code", flat=True)),
        "sizes": set(CitySize.values),
        "stages": set(Stage.values),
        "years": {str(year) for year in range(1950, 2100)},
        "languages": {code for code, _name in settings.CONTENT_LANGUAGES},
    }


LABELS = {
    "fields": gettext_noop("creative field"),
    "themes": gettext_noop("theme"),
    "technologies": gettext_noop("technology"),
    "sdgs": gettext_noop("SDG"),
    "regions": gettext_noop("region"),
    "countries": gettext_noop("country"),
    "sizes": gettext_noop("city size"),
    "stages": gettext_noop("stage"),
    "years": gettext_noop("start year"),
    "languages": gettext_noop("language"),
}


def parse_filters(params: Mapping[str, Iterable[str]], strict: bool) -> PracticeFilters:
    """Filters from query parameters (each a list of values); strict raises FilterError, else problems are kept."""
    reader = FilterReader(params, strict)
    valid = _valid_values()
    values: dict[str, Any] = {
        name: reader.facet(PARAMETERS[name], valid[name], _(LABELS[name]), upper=name in ("regions", "countries"))
        for name in FACETS
    }
    query = reader.query()
    # "relevance" is the best match with a query and the recommended order without one, so the default serves
    # both: a search typed on a page that had no query is ranked by relevance, not by the order it came with
    sort = reader.last("sort", "relevance")
    if sort not in SORTS:
        reader.complain(
            _("Unknown sort '%(sort)s'. Use one of: %(valid)s.") % {"sort": sort, "valid": ", ".join(SORTS)}
        )
        sort = "recommended"
    city = reader.last("city").strip()
    return PracticeFilters(**values, q=query, city=city, sort=sort, problems=tuple(reader.problems))


def with_city_size(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    bands = [
        When(
            Q(lead_city__population__gte=low) & (Q(lead_city__population__lt=high) if high else Q()),
            then=Value(str(band)),
        )
        for band, (low, high) in CITY_SIZE_BOUNDS.items()
    ]
    return practices.annotate(city_size=Case(*bands, default=Value(""), output_field=CharField()))


# The column each facet filters and counts on: the SQL filters, the SQL counts and the facet table all read these.
FACET_COLUMNS = {
    "fields": "fields__slug",
    "themes": "themes__slug",
    "technologies": "technologies__slug",
    "sdgs": "sdg_goals__number",
    "regions": "country__region",
    "countries": "country__code",
    "sizes": "city_size",  # with_city_size
    "stages": "stage",
    "years": "start_year",
    "languages": "original_language",
}
MULTI_VALUED = {"fields", "themes", "technologies", "sdgs"}


def facet_filter(name: str, selected: tuple[str, ...]) -> Q:
    """Practices with one of the selected values of a facet (numbers are compared as numbers by the database)."""
    return Q(**{f"{FACET_COLUMNS[name]}__in": selected})


def filter_practices(
    base: PracticeQuerySet, filters: PracticeFilters, ranked: list[int] | None = None
) -> PracticeQuerySet:
    """Apply every filter. With a query: the practices of `ranking` (the search applies the other filters);
    `ranked`: that ranking, when the caller has it already."""
    if filters.q:
        ranked = ranking(filters) if ranked is None else ranked
        practices = base.filter(pk__in=ranked)
        if filters.sort == "relevance":
            return practices.order_by(_rank_order(ranked), "pk")
        return practices.order_by(*SORTS[filters.sort])
    practices = with_city_size(base)  # type: ignore[assignment]
    for name in FACETS:
        selected = getattr(filters, name)
        if not selected:
            continue
        if name in MULTI_VALUED:  # ids first, so that rows are never repeated
            practices = practices.filter(pk__in=Practice.objects.filter(facet_filter(name, selected)).values("pk"))
        else:
            practices = practices.filter(facet_filter(name, selected))
    if filters.city:
        practices = practices.filter(_in_city(filters.city)).distinct()
    return practices.order_by(*SORTS[filters.sort])


def in_order(practices: QuerySet[Practice], ids: Iterable[int]) -> list[Practice]:
    """The rows of these practices among `practices`, in the order of `ids` (an id without a row is left out)."""
    wanted = list(ids)
    rows = {practice.pk: practice for practice in practices.filter(pk__in=wanted)}
    return [rows[pk] for pk in wanted if pk in rows]


def _rank_order(ranked: list[int]) -> RawSQL | Value:
    """ORDER BY the search's rank: one CASE on the primary key written as SQL (a Case of 200 When expressions
    took tens of milliseconds per query to compile)."""
    if not ranked:
        return Value(0)
    column = f"{connection.ops.quote_name(Practice._meta.db_table)}.{connection.ops.quote_name('id')}"
    whens = " ".join(["WHEN %s THEN %s"] * len(ranked))
    return RawSQL(f"CASE {column} {whens} ELSE 0 END", [n for rank, pk in enumerate(ranked) for n in (pk, rank)])  # noqa: S611 - placeholders only


def _in_city(city: str) -> Q:
    return Q(lead_city__slug=city) | Q(partner_cities__slug=city)


def library_table() -> FacetTable:
    """The facet values of every published practice, once per data version (ccx.practices.facet_table)."""
    return facet_table(FACET_COLUMNS, MULTI_VALUED, with_city_size)


def allowed_rows(table: FacetTable, filters: PracticeFilters) -> BoolArray:
    """The published practices that the facet and city filters allow (the query aside), as rows of the table."""
    rows = table.mask({name: getattr(filters, name) for name in FACETS})
    if filters.city:
        in_city = Practice.objects.filter(_in_city(filters.city)).values_list("pk", flat=True).distinct()
        rows &= table.rows_of(in_city)  # one city's practices, not the library's
    return rows


def listed(filters: PracticeFilters, ranked: list[int] | None = None) -> IdArray:
    """The ids of the practices the library lists for `filters`, in the order of the page: the search's ranking,
    or every allowed practice in the chosen sort's order. Without a query to the database: the orders are read
    once per data version (`library_order`) and the facet table tells what the filters allow, so a page of a new
    filter combination costs no COUNT or ORDER BY over the library. `ranked`: the query's ranking, when the
    caller has it. Filters and sorts give exactly what `filter_practices` gives in SQL (tests compare them)."""
    table = library_table()
    if filters.q:
        ranked = ranking(filters) if ranked is None else ranked
        if filters.sort == "relevance":
            return np.asarray(ranked, dtype=np.int64)
        allowed = table.rows_of(ranked)
    else:
        allowed = allowed_rows(table, filters)
    order, rows = library_order(filters.sort)
    if len(rows) and (rows.max() >= len(table.ids) or not np.array_equal(table.ids[rows], order)):
        # the data version changed between reading the table and the order: place the order in this table
        rows, present = table.locate(order)
        order, rows = order[present], rows[present]
    found: IdArray = order[allowed[rows]]
    return found


def library_order(sort: str) -> tuple[IdArray, IdArray]:
    """The published practices' ids in a sort's order (SORTS, read in SQL so that the database's collation
    decides titles) and each one's row in the facet table, once per data version; a practice published between
    the two reads is left out."""
    key = "recommended" if sort == "relevance" else sort
    kept: tuple[IdArray, IdArray] = per_version("library-order", lambda: _read_order(key), key)
    return kept


def _read_order(sort: str) -> tuple[IdArray, IdArray]:
    ordered = Practice.objects.published().order_by(*SORTS[sort]).values_list("pk", flat=True)
    ids = np.fromiter(ordered, dtype=np.int64)
    rows, present = library_table().locate(ids)
    return ids[present], rows[present]


class RowsInOrder(Sequence[Practice]):
    """The practices of `ids`, in that order, read from `rows` only for the slice asked for (a page)."""

    def __init__(self, ids: IdArray, rows: QuerySet[Practice]) -> None:
        self.ids, self.rows = ids, rows

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Practice: ...
    @overload
    def __getitem__(self, index: slice) -> list[Practice]: ...
    def __getitem__(self, index: int | slice) -> Practice | list[Practice]:
        if isinstance(index, slice):
            return in_order(self.rows, self.ids[index].tolist())
        return self.rows.get(pk=int(self.ids[index]))


RANKINGS_KEPT = 2048  # per process: the ids of at most QUERY_RESULTS results each
QUERY_RESULTS = 1000
_rankings: OrderedDict[tuple[object, ...], list[int]] = OrderedDict()
_rankings_lock = threading.Lock()


def ranking(filters: PracticeFilters) -> list[int]:
    """The ids of the published practices that answer `filters.q` among those the other filters allow, best first.

    The query is ranked once over the whole library (`query_ranking`) and the filters then keep the practices
    they allow, as a search engine's filter clauses do: a filter narrows the results without changing which
    practices answer the query or their order, so a facet's count is exactly what choosing it lists, and every
    filter combination of a search reuses its one ranking. Treat the list as read-only."""
    ranked = query_ranking(filters.q)
    table = library_table()
    rows = allowed_rows(table, filters)
    ids = np.asarray(ranked, dtype=np.int64)
    at, present = table.locate(ids)
    # only practices of the table: published at this data version, even while the index catches up
    found: list[int] = ids[present & rows[at]].tolist() if len(table.ids) else []
    return found


def query_ranking(query: str) -> list[int]:
    """The ids of the indexed practices that answer `query`, best first (at most QUERY_RESULTS), over the whole
    library. Kept per data version and query, in this process and in the shared cache: the same search comes
    with every filter, in every interface language, page after page, and from the API. Not kept in the seconds
    after a change, while the search index may still be reading it (PAGE_CACHE_SETTLE_SECONDS)."""
    version = versions.current()
    key = (version.number, query)
    with _rankings_lock:
        kept = _rankings.get(key)
        if kept is not None:
            _rankings.move_to_end(key)
            return kept
    shared = f"ccx:ranking:{version.number}:{hashlib.blake2b(query.encode(), digest_size=16).hexdigest()}"
    stored = cache.get(shared)
    if isinstance(stored, bytes):
        ranked: list[int] = np.frombuffer(stored, dtype="<i8").tolist()
    else:
        ranked = search_hooks.engine.rank(query, QUERY_RESULTS)
        if version.changed_within(settings.PAGE_CACHE_SETTLE_SECONDS):
            return ranked
        cache.set(shared, np.asarray(ranked, dtype="<i8").tobytes(), settings.PAGE_CACHE_SECONDS)
    with _rankings_lock:
        _rankings[key] = ranked
        while len(_rankings) > RANKINGS_KEPT:
            _rankings.popitem(last=False)
    return ranked


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(filters: PracticeFilters, ranked: list[int] | None = None) -> dict[str, list[FacetValue]]:
    """For each facet, the count of each value under all the other active filters (and the query), over the
    published practices. `ranked`: the results of the query with these filters, when the caller has them."""
    table = library_table()
    labels = _labels()
    shared = _scope(table, filters, ranked)  # a facet with nothing selected counts within the results
    facets = {}
    for name in FACETS:
        selected = getattr(filters, name)
        counts = table.counts(name, _scope(table, filters.without(name)) if selected else shared)
        values = [
            FacetValue(value, labels[name].get(value, value), counts.get(value, 0), value in selected)
            for value in counts.keys() | set(selected)
        ]
        facets[name] = sorted(values, key=_facet_order(name))
    return facets


def _scope(table: FacetTable, filters: PracticeFilters, ranked: list[int] | None = None) -> BoolArray:
    if filters.q:
        return table.rows_of(ranking(filters) if ranked is None else ranked)
    return allowed_rows(table, filters)


def _facet_order(name: str) -> Callable[[FacetValue], Any]:
    if name == "years":
        return lambda value: -int(value.value)
    if name == "sdgs":
        return lambda value: int(value.value)
    if name in ("sizes", "stages"):
        order = list(CitySize.values if name == "sizes" else Stage.values)
        return lambda value: order.index(value.value) if value.value in order else len(order)
    return lambda value: (-value.count, value.label)


def _labels() -> dict[str, dict[str, str]]:
    """The facet values' names in the interface language, read once per data version and language."""
    labels: dict[str, dict[str, str]] = per_version("facet-labels", _read_labels, get_language() or "")
    return labels


def _read_labels() -> dict[str, dict[str, str]]:
    language_names = dict(settings.CONTENT_LANGUAGES)
    return {
        "fields": {f.slug: f.localized_name for f in CreativeField.objects.all()},
        "themes": {t.slug: _(t.name) for t in Theme.objects.all()},
        "technologies": {t.slug: _(t.name) for t in Technology.objects.all()},
        "sdgs": {str(g.number): f"{g.number}. {g.short_title().text}" for g in Goal.objects.all()},
        "regions": {code: str(label) for code, label in Region.choices},
        "countries": {c.code: c.localized_name for c in Country.objects.filter(practices__isnull=False).distinct()},
        "sizes": {code: str(label) for code, label in CitySize.choices},
        "stages": {code: str(label) for code, label in Stage.choices},
        "years": {},
        "languages": language_names,
    }


FACET_TITLES = {
    "fields": gettext_noop("Creative field"),
    "themes": gettext_noop("Theme"),
    "technologies": gettext_noop("Technology"),
    "sdgs": gettext_noop("Sustainable Development Goal"),
    "regions": gettext_noop("Region"),
    "countries": gettext_noop("Country"),
    "sizes": gettext_noop("City size"),
    "stages": gettext_noop("Stage"),
    "years": gettext_noop("Start year"),
    "languages": gettext_noop("Language"),
}
