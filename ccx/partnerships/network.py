"""The cooperation network: cities linked by transfers of practices and by partnerships.

Two queries build the whole graph, whatever its size; filters apply to the links (a link counts for a
field or region when either of its cities belongs to it; its year is when the transfer started or the
partnership was agreed).
"""

from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Q
from django.utils.translation import gettext as _

from ccx.cities.models import City, Region
from ccx.core.filters import FilterError
from ccx.partnerships.models import PUBLIC_STATUSES, Partnership, Transfer


@dataclass(frozen=True)
class NetworkFilters:
    field: str = ""
    region: str = ""
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.field or self.region or self.year)


@dataclass
class Link:
    kind: str  # "transfer" or "partnership"
    source: City
    target: City
    label: str
    status: str
    year: int | None
    url: str


@dataclass
class Graph:
    links: list[Link] = field(default_factory=list)

    @property
    def cities(self) -> list[City]:
        seen: dict[int, City] = {}
        for link in self.links:
            seen.setdefault(link.source.pk, link.source)
            seen.setdefault(link.target.pk, link.target)
        return sorted(seen.values(), key=lambda city: city.name)

    def counts(self) -> dict[str, int]:
        return {
            "cities": len(self.cities),
            "transfers": sum(1 for link in self.links if link.kind == "transfer"),
            "partnerships": len({link.url for link in self.links if link.kind == "partnership"}),
        }


def parse_filters(params: dict[str, str]) -> NetworkFilters:
    region = params.get("region", "")
    if region and region not in Region.values:
        raise FilterError(_("Unknown region '%(value)s'.") % {"value": region})
    year_text = params.get("year", "").strip()
    year = None
    if year_text:
        if not year_text.isdigit() or not 1900 <= int(year_text) <= 2100:
            raise FilterError(_("The year must be a number like 2021."))
        year = int(year_text)
    return NetworkFilters(field=params.get("field", ""), region=region, year=year)


def _city_filter(prefix: str, filters: NetworkFilters) -> Q:
    condition = Q()
    if filters.field:
        condition &= Q(**{f"{prefix}__field__slug": filters.field})
    if filters.region:
        condition &= Q(**{f"{prefix}__country__region": filters.region})
    return condition


CITY_RELATIONS = ("country", "field")


def transfer_links(filters: NetworkFilters) -> list[Link]:
    transfers = (
        Transfer.objects.visible()
        .filter(from_city__isnull=False)
        .filter(_city_filter("from_city", filters) | _city_filter("to_city", filters))
        .select_related("practice", *(f"{end}__{rel}" for end in ("from_city", "to_city") for rel in CITY_RELATIONS))
        .order_by("pk")
    )
    links = []
    for transfer in transfers:
        if filters.year and transfer.year != filters.year:
            continue
        assert transfer.from_city is not None  # filtered above
        links.append(
            Link(
                "transfer",
                transfer.from_city,
                transfer.to_city,
                transfer.practice.title,
                transfer.get_status_display(),
                transfer.year,
                transfer.get_absolute_url(),
            )
        )
    return links


def partnership_links(filters: NetworkFilters) -> list[Link]:
    partnerships = (
        Partnership.objects.filter(status__in=PUBLIC_STATUSES)
        .prefetch_related("parties__city__country", "parties__city__field")
        .order_by("pk")
    )
    links = []
    for partnership in partnerships:
        year = partnership.agreed_at.year if partnership.agreed_at else partnership.created_at.year
        if filters.year and year != filters.year:
            continue
        cities = [party.city for party in partnership.parties.all() if party.city is not None]
        for source, target in combinations(cities, 2):
            if filters.field and filters.field not in {_field_slug(source), _field_slug(target)}:
                continue
            if filters.region and filters.region not in {_region(source), _region(target)}:
                continue
            links.append(
                Link(
                    "partnership",
                    source,
                    target,
                    partnership.title,
                    partnership.get_status_display(),
                    year,
                    partnership.get_absolute_url(),
                )
            )
    return links


def _field_slug(city: City) -> str:
    return city.field.slug if city.field else ""


def _region(city: City) -> str:
    return city.country.region if city.country else ""


def network_graph(filters: NetworkFilters) -> Graph:
    return Graph(transfer_links(filters) + partnership_links(filters))


def map_data(graph: Graph) -> dict[str, object]:
    """What the map draws: the cities that have a location, and the links between them."""
    cities = [city for city in graph.cities if city.has_location]
    located = {city.pk for city in cities}
    return {
        "cities": [
            {
                "id": city.pk,
                "name": city.name,
                "lat": city.latitude,
                "lng": city.longitude,
                "url": city.get_absolute_url(),
                "colour": city.field.colour if city.field else "#0b5e6b",
            }
            for city in cities
        ],
        "links": [
            {"kind": link.kind, "from": link.source.pk, "to": link.target.pk, "label": link.label, "url": link.url}
            for link in graph.links
            if link.source.pk in located and link.target.pk in located
        ],
    }


def years_with_links() -> list[int]:
    years = {t.year for t in Transfer.objects.visible().only("started_on", "created_at")}
    for agreed_at, created_at in Partnership.objects.filter(status__in=PUBLIC_STATUSES).values_list(
        "agreed_at", "created_at"
    ):
        years.add((agreed_at or created_at).year)
    return sorted(years, reverse=True)
