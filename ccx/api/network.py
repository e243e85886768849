"""The cooperation network over HTTP: cities linked by transfers and agreed partnerships."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ccx.api.errors import errors
from ccx.partnerships import network

router = Router(tags=["cooperation"])


class NetworkQuery(Schema):
    field: str = Field("", description="Creative field slug")
    region: str = Field("", description="Region code")
    year: str = Field("", description="Year of the transfer's start or of the partnership's agreement")


class LinkOut(Schema):
    kind: str
    source: str
    target: str
    label: str
    status: str
    year: int | None
    url: str


class NetworkOut(Schema):
    cities: int
    transfers: int
    partnerships: int
    links: list[LinkOut]


@router.get(
    "/network", response={200: NetworkOut, **errors(422)}, summary="Cities linked by transfers and agreed partnerships"
)
def network_links(request: HttpRequest, query: Query[NetworkQuery]) -> dict[str, object]:
    filters = network.parse_filters({"field": query.field, "region": query.region, "year": query.year})
    graph = network.network_graph(filters)
    links = [
        LinkOut(
            kind=link.kind,
            source=link.source.slug,
            target=link.target.slug,
            label=link.label,
            status=str(link.status),
            year=link.year,
            url=link.url,
        )
        for link in graph.links
    ]
    return {**graph.counts(), "links": links}
