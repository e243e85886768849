"""The member directory's filters and facet counts, shared by the web pages, the API and the downloads."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from ccx.cities.models import City, CityQuerySet, Country, CreativeField, Region
from ccx.core.filters import FilterError

UNKNOWN_YEAR = "unknown"
# Unknown values sort last on every database (PostgreSQL would put NULL first when descending).
SORTS = {
    "name": (F("name").asc(), F("slug").asc()),
    "-year": (F("designation_year").desc(nulls_last=True), F("name").asc(), F("slug").asc()),
    "year": (F("designation_year").asc(nulls_last=True), F("name").asc(), F("slug").asc()),
    "country": (F("country__name").asc(nulls_last=True), F("name").asc(), F("slug").asc()),
    "-population": (F("population").desc(nulls_last=True), F("name").asc(), F("slug").asc()),
}


@dataclass(frozen=True)
class CityFilters:
    fields: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    q: str = ""
    sort: str = "name"
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        return bool(self.fields or self.regions or self.countries or self.years or self.q)

    def without(self, facet: str) -> "CityFilters":
        empty: dict[str, Any] = {facet: ()}
        return replace(self, **empty)


def parse_filters(params: Mapping[str, Iterable[str]], strict: bool) -> CityFilters:
    """Read filters from query parameters (each a list of values).

    strict: raise FilterError on the first bad value (the API); otherwise drop bad values and keep
    a message for each in `problems` (the web page shows them).
    """
    problems: list[str] = []

    def values(name: str) -> list[str]:
        return [value.strip() for raw in params.get(name, []) for value in raw.split(",") if value.strip()]

    def keep(name: str, found: list[str], valid: set[str], label: str) -> tuple[str, ...]:
        kept = []
        for value in found:
            if value in valid:
                kept.append(value)
            else:
                message = _("Unknown %(label)s '%(value)s'. Use one of: %(valid)s.") % {
                    "label": label,
                    "value": value,
                    "valid": ", ".join(sorted(valid)) if len(valid) < 40 else _("the codes listed by the API"),
                }
                if strict:
                    raise FilterError(message)
                problems.append(message)
        return tuple(dict.fromkeys(kept))

    field_slugs = set(CreativeField.objects.values_list("slug", flat=True))
    country_codes = set(Country.objects.values_list("code", flat=True))
    years = {str(year) for year in range(2004, 2100)} | {UNKNOWN_YEAR}
    sort = (list(params.get("sort", [])) or ["name"])[-1]
    if sort not in SORTS:
        if strict:
            raise FilterError(
                _("Unknown sort '%(sort)s'. Use one of: %(valid)s.") % {"sort": sort, "valid": ", ".join(SORTS)}
            )
        problems.append(_("Unknown sort '%(sort)s'; sorted by name.") % {"sort": sort})
        sort = "name"
    query = " ".join((list(params.get("q", [])) or [""])[-1].split())
    if len(query) > 200:
        if strict:
            raise FilterError(_("The search text is longer than 200 characters."))
        query = query[:200]
    return CityFilters(
        fields=keep("field", [v.lower() for v in values("field")], field_slugs, _("creative field")),
        regions=keep("region", [v.upper() for v in values("region")], set(Region.values), _("region")),
        countries=keep("country", [v.upper() for v in values("country")], country_codes, _("country")),
        years=keep("year", [v.lower() for v in values("year")], years, _("year")),
        q=query,
        sort=sort,
        problems=tuple(problems),
    )


def filter_members(filters: CityFilters) -> CityQuerySet:
    members = City.objects.members().for_listing()
    if filters.fields:
        members = members.filter(field__slug__in=filters.fields)
    if filters.regions:
        members = members.filter(country__region__in=filters.regions)
    if filters.countries:
        members = members.filter(country__code__in=filters.countries)
    if filters.years:
        numeric = [int(year) for year in filters.years if year != UNKNOWN_YEAR]
        condition = Q(designation_year__in=numeric)
        if UNKNOWN_YEAR in filters.years:
            condition |= Q(designation_year__isnull=True)
        members = members.filter(condition)
    if filters.q:
        members = members.filter(
            Q(name__icontains=filters.q) | Q(country__name__icontains=filters.q) | Q(about__icontains=filters.q)
        )
    return members.order_by(*SORTS[filters.sort])


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass(frozen=True)
class Facets:
    fields: list[FacetValue]
    regions: list[FacetValue]
    countries: list[FacetValue]
    years: list[FacetValue]


def facet_counts(filters: CityFilters) -> Facets:
    """Counts for each facet value under every other active filter (selecting one field keeps the others visible)."""
    field_counts = _counts(filters.without("fields"), "field__slug")
    region_counts = _counts(filters.without("regions"), "country__region")
    country_counts = _counts(filters.without("countries"), "country__code")
    year_counts = _counts(filters.without("years"), "designation_year")

    fields = [
        FacetValue(f.slug, f.localized_name, field_counts.get(f.slug, 0), f.slug in filters.fields, f.colour)
        for f in CreativeField.objects.all()
        if field_counts.get(f.slug, 0) or f.slug in filters.fields
    ]
    regions = [
        FacetValue(code, str(label), region_counts.get(code, 0), code in filters.regions)
        for code, label in Region.choices
        if region_counts.get(code, 0) or code in filters.regions
    ]
    country_rows = Country.objects.filter(code__in=set(country_counts) | set(filters.countries))
    countries = sorted(
        (
            FacetValue(c.code, c.localized_name, country_counts.get(c.code, 0), c.code in filters.countries)
            for c in country_rows
        ),
        key=lambda value: value.label,
    )
    years = [
        FacetValue(str(year), str(year), count, str(year) in filters.years)
        for year, count in sorted(((y, c) for y, c in year_counts.items() if y is not None), reverse=True)
    ]
    if year_counts.get(None) or UNKNOWN_YEAR in filters.years:
        years.append(
            FacetValue(UNKNOWN_YEAR, _("Year unknown"), year_counts.get(None, 0), UNKNOWN_YEAR in filters.years)
        )
    return Facets(fields=fields, regions=regions, countries=countries, years=years)


def _counts(filters: CityFilters, column: str) -> dict[object, int]:
    rows = filter_members(filters).order_by().values(column).annotate(n=Count("id"))
    return {row[column]: row["n"] for row in rows}
