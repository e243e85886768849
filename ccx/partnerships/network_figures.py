"""The figures a secretariat asks of the network: who is most connected, which ties cross fields and
regions, and which members have no tie recorded (absence from the data is not absence of ties).

Everything is computed from the links the network page already read: no query of its own but one for
the member list.
"""

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ccx.cities.models import City, CreativeField, Region
from ccx.partnerships.models import TieState
from ccx.partnerships.network import Link, LinkKind, NetworkFilters, Node, _url_maker

TOP = 10


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    slug: str
    url: str
    country: str
    field: str
    region: str


@dataclass
class Crossing:
    """Ties between two members, and how many of them join two different fields (or regions)."""

    total: int = 0
    crossing: int = 0
    pairs: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class Figures:
    most_connected: list[tuple[Node, int]]
    across_fields: Crossing
    across_regions: Crossing
    untied: list[Member]
    member_count: int


def counted_links(links: list[Link], filters: NetworkFilters) -> list[Link]:
    """The links the figures count: the page's filters, ties with cities outside the network included,
    and ended ties left out unless they are what was asked for."""
    wanted = replace(filters, outside=True)
    return [
        link
        for link in links
        if link.matches(wanted) and (link.state != TieState.ENDED or filters.state == TieState.ENDED)
    ]


def members() -> list[Member]:
    rows = (
        City.objects.members()
        .order_by("name")
        .values_list("pk", "name", "slug", "country__name", "field__slug", "country__region")
    )
    city_url = _url_maker("cities:detail", "city-slug")
    return [
        Member(pk, name, slug, city_url(slug), country or "", field_slug or "", region or "")
        for pk, name, slug, country, field_slug, region in rows
    ]


def tied_cities(links: list[Link]) -> dict[int, set[int]]:
    tied: dict[int, set[int]] = {}
    for link in links:
        tied.setdefault(link.source.id, set()).add(link.target.id)
        tied.setdefault(link.target.id, set()).add(link.source.id)
    return tied


def figures(links: list[Link], filters: NetworkFilters, every_member: list[Member]) -> Figures:
    counted = counted_links(links, filters)
    tied = tied_cities(counted)
    nodes = {node.id: node for link in counted for node in (link.source, link.target)}
    ranked = sorted(
        ((nodes[city_id], len(others)) for city_id, others in tied.items() if nodes[city_id].is_member),
        key=lambda item: (-item[1], item[0].name),
    )
    between_members = _distinct_pairs(link for link in counted if not link.with_outside_city)
    ever_tied = {node.id for link in links for node in (link.source, link.target)}
    return Figures(
        most_connected=ranked[:TOP],
        across_fields=_crossing(between_members, lambda node: node.field, _field_names()),
        across_regions=_crossing(
            between_members, lambda node: node.region, {code: str(label) for code, label in Region.choices}
        ),
        untied=[member for member in every_member if member.id not in ever_tied],
        member_count=len(every_member),
    )


def _distinct_pairs(links: Iterable[Link]) -> list[tuple[Node, Node]]:
    """One tie per pair of cities, whatever number of links (a twinning and a transfer) join them."""
    pairs: dict[tuple[int, int], tuple[Node, Node]] = {}
    for link in links:
        key = (min(link.source.id, link.target.id), max(link.source.id, link.target.id))
        pairs.setdefault(key, (link.source, link.target))
    return list(pairs.values())


def _field_names() -> dict[str, str]:
    return {creative_field.slug: creative_field.localized_name for creative_field in CreativeField.objects.all()}


def _crossing(pairs: list[tuple[Node, Node]], side: Callable[[Node], str], names: dict[str, str]) -> Crossing:
    crossing = Crossing(total=len(pairs))
    counts: Counter[tuple[str, str]] = Counter()
    for one, other in pairs:
        a, b = sorted((side(one), side(other)))
        if a and b and a != b:
            crossing.crossing += 1
            counts[(a, b)] += 1
    crossing.pairs = [(str(names.get(a, a)), str(names.get(b, b)), n) for (a, b), n in counts.most_common(5)]
    return crossing


MEMBER_COLUMNS = ["slug", "name", "country", "field", "region", "tied_cities", "tied_members", "tied_outside"]
LINK_COLUMNS = [
    "kind",
    "state",
    "status",
    "year",
    "from",
    "from_member",
    "from_field",
    "from_region",
    "to",
    "to_member",
    "to_field",
    "to_region",
    "label",
    "url",
]


def members_csv(links: list[Link], filters: NetworkFilters, every_member: list[Member]) -> str:
    """Every member with the number of cities it has a tie with (0: no tie recorded)."""
    counted = counted_links(links, filters)
    tied = tied_cities(counted)
    member_ids = {member.id for member in every_member}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_COLUMNS)
    for member in every_member:
        others = tied.get(member.id, set())
        inside = len(others & member_ids)
        outside = len(others) - inside
        writer.writerow(
            [member.slug, member.name, member.country, member.field, member.region, len(others), inside, outside]
        )
    return out.getvalue()


def links_csv(links: list[Link]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LINK_COLUMNS)
    for link in links:
        ends = [
            value
            for node in (link.source, link.target)
            for value in (node.slug, "yes" if node.is_member else "no", node.field, node.region)
        ]
        writer.writerow([link.kind, link.state, link.status, link.year or "", *ends, link.label, link.url])
    return out.getvalue()


__all__ = ["Figures", "LinkKind", "figures", "links_csv", "members", "members_csv"]
