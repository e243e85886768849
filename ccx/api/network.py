"""The cooperation network over HTTP: cities linked by transfers, agreed partnerships and twinnings."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from ccx.api.errors import errors
from ccx.partnerships import network

router = Router(tags=["cooperation"])


class NetworkQuery(Schema):
    field: str = Field("", description="Creative field slug")
    region: str = Field("", description="Region code")
    year: str = Field("", description="Year of the transfer's start or of the partnership's agreement")
    kind: str = Field("", description="transfer, partnership or twinning")
    state: str = Field("", description="recorded (from public sources, unconfirmed), confirmed or ended")
    outside: bool = Field(False, description="Also the ties with cities outside the network")


class LinkOut(BaseModel):
    """A plain pydantic model: thousands of links are validated without ninja's per-attribute getter."""

    kind: str
    source: str
    target: str
    label: str
    status: str
    state: str
    with_outside_city: bool
    year: int | None
    url: str


class NetworkOut(Schema):
    cities: int = Field(description="Member cities with at least one link")
    outside_cities: int = Field(description="Cities outside the network with at least one link")
    transfers: int
    partnerships: int
    twinnings: int
    links: list[LinkOut]


@router.get(
    "/network",
    response={200: NetworkOut, **errors(422)},
    summary="Cities linked by transfers, agreed partnerships and twinnings",
)
def network_links(request: HttpRequest, query: Query[NetworkQuery]) -> dict[str, object]:
    filters = network.parse_filters(
        {
            "field": query.field,
            "region": query.region,
            "year": query.year,
            "kind": query.kind,
            "state": query.state,
            "outside": "1" if query.outside else "",
        }
    )
    graph = network.network_graph(filters)
    links = [
        LinkOut(
            kind=link.kind,
            source=link.source.slug,
            target=link.target.slug,
            label=link.label,
            status=str(link.status),
            state=link.state,
            with_outside_city=link.with_outside_city,
            year=link.year,
            url=link.url,
        )
        for link in graph.links
    ]
    return {**graph.counts(), "links": links}
