"""The practice library's filters, sorting and facet counts, shared by the browse page, the API and exports."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccx.cities.models import Country, CreativeField, Region
from ccx.core.filters import FilterReader
from ccx.core.pagecache import fragment
from ccx.practices import search_hooks
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
    values: dict[str, set[str]] = fragment("facet-values", _read_valid_values)
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
    sort = reader.last("sort", "relevance" if query else "recommended")
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


FILTERS: dict[str, Callable[[tuple[str, ...]], Q]] = {
    "fields": lambda v: Q(fields__slug__in=v),
    "themes": lambda v: Q(themes__slug__in=v),
    "technologies": lambda v: Q(technologies__slug__in=v),
    "sdgs": lambda v: Q(sdg_goals__number__in=[int(x) for x in v]),
    "regions": lambda v: Q(country__region__in=v),
    "countries": lambda v: Q(country__code__in=v),
    "sizes": lambda v: Q(city_size__in=v),
    "stages": lambda v: Q(stage__in=v),
    "years": lambda v: Q(start_year__in=[int(x) for x in v]),
    "languages": lambda v: Q(original_language__in=v),
}
MULTI_VALUED = {"fields", "themes", "technologies", "sdgs"}


def filter_practices(base: PracticeQuerySet, filters: PracticeFilters) -> PracticeQuerySet:
    """Apply every filter. Filters on many-to-many facets select ids first, so that rows are never repeated."""
    practices = with_city_size(base)
    for name in FACETS:
        selected = getattr(filters, name)
        if not selected:
            continue
        if name in MULTI_VALUED:
            ids = Practice.objects.filter(FILTERS[name](selected)).values("pk")
            practices = practices.filter(pk__in=ids)
        else:
            practices = practices.filter(FILTERS[name](selected))
    if filters.city:
        practices = practices.filter(Q(lead_city__slug=filters.city) | Q(partner_cities__slug=filters.city)).distinct()
    if filters.q:
        # The search engine ranks the query among the practices the other filters allow (filters first).
        # With no other filter every indexed practice is allowed: no list of ids to read and pass.
        others = replace(filters, q="", sort="recommended")
        allowed = list(practices.values_list("pk", flat=True)) if others.active else None
        ranked = search_hooks.engine.rank(filters.q, allowed)
        practices = practices.filter(pk__in=ranked)
        if filters.sort == "relevance":
            return practices.order_by(_rank_order(ranked), "pk")  # type: ignore[return-value]
    return practices.order_by(*SORTS[filters.sort])  # type: ignore[return-value]


def _rank_order(ranked: list[int]) -> RawSQL | Value:
    """ORDER BY the search's rank: one CASE on the primary key written as SQL (a Case of 200 When expressions
    took tens of milliseconds per query to compile)."""
    if not ranked:
        return Value(0)
    column = f"{connection.ops.quote_name(Practice._meta.db_table)}.{connection.ops.quote_name('id')}"
    whens = " ".join(["WHEN %s THEN %s"] * len(ranked))
    return RawSQL(f"CASE {column} {whens} ELSE 0 END", [n for rank, pk in enumerate(ranked) for n in (pk, rank)])  # noqa: S611 - placeholders only


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


FACET_COLUMNS = {
    "fields": "fields__slug",
    "themes": "themes__slug",
    "technologies": "technologies__slug",
    "sdgs": "sdg_goals__number",
    "regions": "country__region",
    "countries": "country__code",
    "sizes": "city_size",
    "stages": "stage",
    "years": "start_year",
    "languages": "original_language",
}


def facet_counts(
    base: PracticeQuerySet, filters: PracticeFilters, results: PracticeQuerySet | None = None
) -> dict[str, list[FacetValue]]:
    """For each facet, the count of each value under all the other active filters.

    `results`: the practices these filters select, when the caller has them already (they cost a search).
    """
    labels = _labels()
    facets = {}
    # A facet with nothing selected counts within the same set as the results: filter (and search) once.
    shared = (results if results is not None else filter_practices(base, filters)).order_by()
    for name in FACETS:
        column = FACET_COLUMNS[name]
        scope = filter_practices(base, filters.without(name)).order_by() if getattr(filters, name) else shared
        rows = scope.values(column).annotate(n=Count("pk", distinct=True))
        counts = {str(row[column]): row["n"] for row in rows if row[column] not in (None, "")}
        selected = set(getattr(filters, name))
        values = [
            FacetValue(value, labels[name].get(value, value), counts.get(value, 0), value in selected)
            for value in counts.keys() | selected
        ]
        facets[name] = sorted(values, key=_facet_order(name))
    return facets


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
