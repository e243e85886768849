"""The cooperation network: cities linked by transfers of practices, partnerships and twinnings.

Four queries build the whole graph, whatever its size; filters apply to the links (a link counts for a
field or region when either of its cities belongs to it; its year is when the transfer started, the
twinning began or the partnership was agreed). Twinnings with cities outside the network are thousands:
they are drawn only when asked for (`outside`).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ccx.cities.models import City, Region
from ccx.core.filters import FilterError
from ccx.partnerships.models import (
    Partnership,
    PartnershipKind,
    PartnershipSource,
    PartnershipStatus,
    Party,
    TieState,
    Transfer,
    TransferStatus,
    tie_state,
)
from ccx.practices.models import Practice


class LinkKind:
    TRANSFER = "transfer"
    PARTNERSHIP = "partnership"
    TWINNING = "twinning"

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [
            (LinkKind.TWINNING, _("Twinnings")),
            (LinkKind.PARTNERSHIP, _("Other partnerships")),
            (LinkKind.TRANSFER, _("Transfers of practices")),
        ]


@dataclass(frozen=True)
class NetworkFilters:
    field: str = ""
    region: str = ""
    year: int | None = None
    kind: str = ""
    state: str = ""
    outside: bool = False  # also the ties with cities outside the network

    @property
    def active(self) -> bool:
        return bool(self.field or self.region or self.year or self.kind or self.state or self.outside)


@dataclass(frozen=True)
class Node:
    """A city as the network needs it: plain values read in one query, no model instance."""

    id: int
    name: str
    slug: str
    url: str
    latitude: float | None
    longitude: float | None
    colour: str
    field: str
    region: str
    is_member: bool

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class Link:
    kind: str  # a LinkKind
    source: Node
    target: Node
    label: str
    status: str
    year: int | None
    url: str
    state: str  # a TieState: recorded (from public sources, unconfirmed), confirmed by the cities, ended

    @property
    def with_outside_city(self) -> bool:
        return not (self.source.is_member and self.target.is_member)

    def matches(self, filters: NetworkFilters) -> bool:
        if self.with_outside_city and not filters.outside:
            return False
        if (filters.kind and self.kind != filters.kind) or (filters.state and self.state != filters.state):
            return False
        if filters.year and self.year != filters.year:
            return False
        if filters.field and filters.field not in (self.source.field, self.target.field):
            return False
        return not (filters.region and filters.region not in (self.source.region, self.target.region))


@dataclass
class Graph:
    links: list[Link] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    @property
    def cities(self) -> list[Node]:
        seen: dict[int, Node] = {}
        for link in self.links:
            seen.setdefault(link.source.id, link.source)
            seen.setdefault(link.target.id, link.target)
        return sorted(seen.values(), key=lambda city: city.name)

    def counts(self) -> dict[str, int]:
        members = sum(1 for city in self.cities if city.is_member)
        return {
            "cities": members,
            "outside_cities": len(self.cities) - members,
            "transfers": sum(1 for link in self.links if link.kind == LinkKind.TRANSFER),
            "partnerships": len({link.url for link in self.links if link.kind == LinkKind.PARTNERSHIP}),
            "twinnings": len({link.url for link in self.links if link.kind == LinkKind.TWINNING}),
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
    kind = params.get("kind", "")
    if kind and kind not in dict(LinkKind.choices()):
        raise FilterError(_("Unknown kind of link '%(value)s'.") % {"value": kind})
    state = params.get("state", "")
    if state and state not in TieState.values:
        raise FilterError(_("Unknown state '%(value)s'.") % {"value": state})
    outside = params.get("outside", "") in ("1", "true", "on", "yes")
    return NetworkFilters(
        field=params.get("field", ""), region=region, year=year, kind=kind, state=state, outside=outside
    )


def _url_maker(name: str, placeholder: str = "0") -> Callable[[object], str]:
    """reverse() once per kind of page, not once per link: the network lists hundreds of links."""
    pattern = reverse(name, args=[placeholder])
    head, _sep, tail = pattern.rpartition(placeholder)
    return lambda value: f"{head}{value}{tail}"


def _nodes(city_ids: set[int]) -> dict[int, Node]:
    city_url = _url_maker("cities:detail", "city-slug")
    rows = City.objects.filter(pk__in=city_ids).values_list(
        "pk", "name", "slug", "latitude", "longitude", "field__colour", "field__slug", "country__region", "is_member"
    )
    return {
        pk: Node(
            pk,
            name,
            slug,
            city_url(slug),
            lat,
            lng,
            (colour or DEFAULT_COLOUR) if is_member else OUTSIDE_COLOUR,
            field_slug or "",
            region or "",
            is_member,
        )
        for pk, name, slug, lat, lng, colour, field_slug, region, is_member in rows
    }


# The network map and its counts are the same for everyone: what a visitor may see.
EVERYONE = AnonymousUser()
DEFAULT_COLOUR = "#0b5e6b"
OUTSIDE_COLOUR = "#6b7280"  # cities outside the network: grey, so that the members stand out


def _all_links() -> list[Link]:
    """Every public link, unfiltered: four queries whatever the number of links."""
    transfers = list(
        Transfer.objects.visible_to(EVERYONE)
        .filter(from_city__isnull=False)
        .order_by("pk")
        .values_list("pk", "practice__title", "from_city_id", "to_city_id", "status", "started_on", "created_at")
    )
    partnerships = {
        row[0]: row
        for row in Partnership.objects.visible_to(EVERYONE)
        .order_by("pk")
        .values_list("pk", "slug", "title", "kind", "status", "start_year", "agreed_at", "created_at", "source")
    }
    party_cities: dict[int, list[int]] = {}
    for partnership_id, city_id in (
        Party.objects.filter(partnership__in=partnerships.keys(), city__isnull=False)
        .order_by("pk")
        .values_list("partnership_id", "city_id")
    ):
        party_cities.setdefault(partnership_id, []).append(city_id)
    city_ids = {t[2] for t in transfers} | {t[3] for t in transfers}
    city_ids |= {city_id for ids in party_cities.values() for city_id in ids}
    nodes = _nodes(city_ids)
    transfer_url = _url_maker("partnerships:transfer")
    partnership_url = _url_maker("partnerships:detail", "partnership-slug")
    transfer_labels = dict(TransferStatus.choices)
    partnership_labels = dict(PartnershipStatus.choices)
    links = [
        Link(
            LinkKind.TRANSFER,
            nodes[source],
            nodes[target],
            title,
            str(transfer_labels[status]),
            (started_on or created_at).year,
            transfer_url(pk),
            # Transfers are recorded by the cities themselves.
            TieState.ENDED if status == TransferStatus.ABANDONED else TieState.CONFIRMED,
        )
        for pk, title, source, target, status, started_on, created_at in transfers
    ]
    for pk, slug, title, kind, status, start_year, agreed_at, created_at, source in partnerships.values():
        # A tie from public sources carries no date until a city gives the year it began.
        year = start_year or (None if source != PartnershipSource.PLATFORM else (agreed_at or created_at).year)
        link_kind = LinkKind.TWINNING if kind == PartnershipKind.TWINNING else LinkKind.PARTNERSHIP
        for one, other in combinations(party_cities.get(pk, []), 2):
            links.append(
                Link(
                    link_kind,
                    nodes[one],
                    nodes[other],
                    title,
                    str(partnership_labels[status]),
                    year,
                    partnership_url(slug),
                    tie_state(status),
                )
            )
    return links


def network_graph(filters: NetworkFilters, links: list[Link] | None = None) -> Graph:
    links = all_links() if links is None else links
    years = sorted({link.year for link in links if link.year}, reverse=True)
    return Graph([link for link in links if link.matches(filters)], years)


LINKS_CACHE_SECONDS = 3600


def all_links(data_version: str = "") -> list[Link]:
    """Every public link, read once per version of the data and language (labels and addresses are
    translated): the network page, its CSV files and the API share them."""
    fingerprint = f"{data_version or version()}|{get_language()}"
    key = "network-links:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    remembered = _last_links.get(key)  # unpickling thousands of links from the cache costs more than a dict
    if remembered is not None:
        return remembered
    links: list[Link] | None = cache.get(key)
    if links is None:
        links = _all_links()
        cache.set(key, links, LINKS_CACHE_SECONDS)
    _last_links.clear()
    _last_links[key] = links
    return links


_last_links: dict[str, list[Link]] = {}


def map_data(graph: Graph) -> dict[str, object]:
    """What the map draws: the cities that have a location, and the links between them."""
    cities = [city for city in graph.cities if city.has_location]
    located = {city.id for city in cities}
    return {
        "cities": [
            {
                "id": c.id,
                "name": c.name,
                "lat": c.latitude,
                "lng": c.longitude,
                "url": c.url,
                "colour": c.colour,
                "member": c.is_member,
            }
            for c in cities
        ],
        "links": [
            {
                "kind": link.kind,
                "state": link.state,
                "outside": link.with_outside_city,
                "from": link.source.id,
                "to": link.target.id,
                "label": link.label,
                "url": link.url,
            }
            for link in graph.links
            if link.source.id in located and link.target.id in located
        ],
    }


def version() -> str:
    """Changes whenever anything the network shows changes: the key under which a drawn network is kept."""
    parts = [
        Transfer.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Partnership.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Party.objects.aggregate(n=Count("pk"), last=Max("confirmed_at")),
        City.objects.aggregate(last=Max("updated_at")),
        Practice.objects.aggregate(last=Max("updated_at")),
    ]
    return "|".join(f"{part.get('n', '')}:{part['last'].isoformat() if part['last'] else ''}" for part in parts)
