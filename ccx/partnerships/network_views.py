"""The cooperation network page and its CSV files: the same for every visitor, drawn once per data version."""

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from ccx.cities.models import CreativeField, Region
from ccx.core.filters import FilterError
from ccx.partnerships import network, network_figures
from ccx.partnerships.models import TieState

NETWORK_CACHE_SECONDS = 3600


def _network_refused(problem: FilterError) -> HttpResponse:
    return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")


def network_view(request: HttpRequest) -> HttpResponse:
    """Cities linked by transfers, partnerships and twinnings, on a map, in figures and in a table.

    The same for every visitor, so the drawn part is kept per filter and language until the data change.
    """
    choices = {
        "fields": CreativeField.objects.all(),
        "regions": Region.choices,
        "kinds": network.LinkKind.choices(),
        "states": TieState.choices,
    }
    try:
        filters = network.parse_filters(request.GET.dict())
    except FilterError as problem:
        refused = {"error": str(problem), **choices, "filters": network.NetworkFilters()}
        return render(request, "partnerships/network.html", refused, status=400)
    data_version = network.version()
    fingerprint = f"{data_version}|{filters}|{get_language()}"
    key = "network:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    drawn = cache.get(key)
    if drawn is None:
        links = network.all_links(data_version)
        graph = network.network_graph(filters, links)
        drawing = {
            "graph": graph,
            "table": graph.links[:NETWORK_TABLE_ROWS],
            "counts": graph.counts(),
            "map_data": network.map_data(graph),
            "figures": network_figures.figures(links, filters, network_figures.members()),
            "query": request.GET.urlencode(),
            "filters": filters,
        }
        drawn = {
            "years": graph.years,
            "html": render_to_string("partnerships/network.html#drawing", drawing, request=request),
        }
        cache.set(key, drawn, NETWORK_CACHE_SECONDS)
    context: dict[str, object] = {"filters": filters, "drawing": drawn["html"], "years": drawn["years"], **choices}
    return render(request, "partnerships/network.html", context)


NETWORK_TABLE_ROWS = 500


def network_csv(request: HttpRequest, table: str) -> HttpResponse:
    """The network's links, or its members with the number of cities each is tied to, as CSV."""
    try:
        filters = network.parse_filters(request.GET.dict())
    except FilterError as problem:
        return _network_refused(problem)
    links = network.all_links()
    if table == "links":
        body = network_figures.links_csv(network.network_graph(filters, links).links)
    elif table == "members":
        body = network_figures.members_csv(links, filters, network_figures.members())
    else:
        raise Http404
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-{table}.csv"'
    return response
