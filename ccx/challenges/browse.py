"""The challenge list's filters, search and facet counts, shared by the list page and the API.

Every function starts from the challenges the person may see (ChallengeQuerySet.visible_to), so anonymous
visitors find only public challenges in the list, its counts and its search.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ccx.challenges.models import Challenge, ChallengeQuerySet, ChallengeStatus
from ccx.challenges.permissions import can_post, own_city_ids
from ccx.cities.models import City, Country, Region
from ccx.core.filters import FilterReader
from ccx.core.people import is_secretariat
from ccx.practices.models import Theme
from ccx.sdg.models import Goal

FACETS = ("statuses", "themes", "sdgs", "regions", "countries", "languages")
PARAMETERS = {
    "statuses": "status",
    "themes": "theme",
    "sdgs": "sdg",
    "regions": "region",
    "countries": "country",
    "languages": "language",
}
FACET_TITLES = {
    "statuses": gettext_noop("Status"),
    "themes": gettext_noop("Theme"),
    "sdgs": gettext_noop("Sustainable Development Goal"),
    "regions": gettext_noop("Region"),
    "countries": gettext_noop("Country"),
    "languages": gettext_noop("Language"),
}
LABELS = {
    "statuses": gettext_noop("status"),
    "themes": gettext_noop("theme"),
    "sdgs": gettext_noop("SDG"),
    "regions": gettext_noop("region"),
    "countries": gettext_noop("country"),
    "languages": gettext_noop("language"),
}
FILTERS: dict[str, Callable[[tuple[str, ...]], Q]] = {
    "statuses": lambda v: Q(status__in=v),
    "themes": lambda v: Q(themes__slug__in=v),
    "sdgs": lambda v: Q(sdg_goals__number__in=[int(x) for x in v]),
    "regions": lambda v: Q(country__region__in=v),
    "countries": lambda v: Q(country__code__in=v),
    "languages": lambda v: Q(language__in=v),
}
FACET_COLUMNS = {
    "statuses": "status",
    "themes": "themes__slug",
    "sdgs": "sdg_goals__number",
    "regions": "country__region",
    "countries": "country__code",
    "languages": "language",
}
MULTI_VALUED = {"themes", "sdgs"}
SEARCHED_FIELDS = ("title", "statement", "context", "goals", "place_name", "city__name", "country__name")
# Open clinics first, then the challenges posted on the site (newest first), then the imported ones by title.
LIST_ORDER = (
    Case(When(status=ChallengeStatus.CLINIC, then=Value(0)), default=Value(1)).asc(),
    Case(When(source_id="", then=F("created_at")), default=None).desc(nulls_last=True),
    F("title").asc(),
    F("pk").asc(),
)


@dataclass(frozen=True)
class ChallengeFilters:
    statuses: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    city: str = ""
    q: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in (*FACETS, "q", "city"))

    def without(self, facet: str) -> "ChallengeFilters":
        empty: dict[str, Any] = {facet: ()}
        return replace(self, **empty)


def _valid_values() -> dict[str, set[str]]:
    return {
        "statuses": set(ChallengeStatus.values),
        "themes": set(Theme.objects.values_list("slug", flat=True)),
        "sdgs": {str(number) for number in Goal.objects.values_list("number", flat=True)},
        "regions": set(Region.values),
        "countries": set(Country.objects.values_list("code", flat=True)),
        "languages": {code for code, _name in settings.CONTENT_LANGUAGES},
    }


def parse_filters(params: Mapping[str, Iterable[str]], strict: bool) -> ChallengeFilters:
    """Filters from query parameters (each a list of values); strict raises FilterError, else problems are kept."""
    reader = FilterReader(params, strict)
    valid = _valid_values()
    values: dict[str, Any] = {
        name: reader.facet(PARAMETERS[name], valid[name], _(LABELS[name]), upper=name in ("regions", "countries"))
        for name in FACETS
    }
    query = reader.query()
    city = reader.last("city").strip()
    return ChallengeFilters(**values, q=query, city=city, problems=tuple(reader.problems))


def search_condition(query: str) -> Q:
    """Every word of the query in the title, texts or place (any case)."""
    condition = Q()
    for word in query.split()[:12]:
        any_field = Q()
        for name in SEARCHED_FIELDS:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def filter_challenges(base: ChallengeQuerySet, filters: ChallengeFilters) -> ChallengeQuerySet:
    """Apply every filter; many-to-many facets select ids first so that rows are never repeated."""
    challenges = base
    for name in FACETS:
        selected = getattr(filters, name)
        if not selected:
            continue
        if name in MULTI_VALUED:
            challenges = challenges.filter(pk__in=Challenge.objects.filter(FILTERS[name](selected)).values("pk"))
        else:
            challenges = challenges.filter(FILTERS[name](selected))
    if filters.city:
        challenges = challenges.filter(city__slug=filters.city)
    if filters.q:
        challenges = challenges.filter(search_condition(filters.q))
    return challenges.order_by(*LIST_ORDER)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(base: ChallengeQuerySet, filters: ChallengeFilters) -> dict[str, list[FacetValue]]:
    """For each facet, the count of each value under all the other active filters (one query per facet)."""
    labels = _labels()
    shared = filter_challenges(base, filters).order_by()
    facets = {}
    for name in FACETS:
        column = FACET_COLUMNS[name]
        scope = filter_challenges(base, filters.without(name)).order_by() if getattr(filters, name) else shared
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
    if name == "sdgs":
        return lambda value: int(value.value)
    if name == "statuses":
        order = list(ChallengeStatus.values)
        return lambda value: order.index(value.value) if value.value in order else len(order)
    return lambda value: (-value.count, value.label)


def _labels() -> dict[str, dict[str, str]]:
    return {
        "statuses": {code: str(label) for code, label in ChallengeStatus.choices},
        "themes": {t.slug: _(t.name) for t in Theme.objects.all()},
        "sdgs": {str(g.number): f"{g.number}. {g.short_title().text}" for g in Goal.objects.all()},
        "regions": {code: str(label) for code, label in Region.choices},
        "countries": {c.code: c.localized_name for c in Country.objects.filter(challenges__isnull=False).distinct()},
        "languages": dict(settings.CONTENT_LANGUAGES),
    }


def challenges_of_city(user: Any, city: City, limit: int = 6) -> dict[str, Any]:
    """The city's open challenges and clinics for its profile page, as the person may see them."""
    open_ones = Challenge.objects.visible_to(user).filter(
        city=city, status__in=[ChallengeStatus.OPEN, ChallengeStatus.CLINIC]
    )
    return {
        "city": city,
        "challenges": list(open_ones.for_listing()[:limit]),
        "challenge_count": open_ones.count(),
        "can_post_here": can_post(user) and (is_secretariat(user) or city.pk in own_city_ids(user)),
        "list_url": f"{reverse('challenges:list')}?city={city.slug}",
    }
