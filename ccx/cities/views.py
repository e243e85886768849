from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccx.cities import exports
from ccx.cities.directory import facet_counts, filter_members, parse_filters
from ccx.cities.forms import CityEditForm
from ccx.cities.models import City, CreativeField
from ccx.cities.quality import COAST_TOLERANCE_KM, POPULATION_FLOOR, member_findings
from ccx.cities.services import editable_fields, update_city
from ccx.core.decorators import role_required
from ccx.core.htmx import is_htmx
from ccx.core.people import is_secretariat

PAGE_SIZE = 24


def directory(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(dict(request.GET.lists()), strict=False)
    page = Paginator(filter_members(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "facets": facet_counts(filters),
        "page": page,
        "query_without_page": _query_without(request, "page"),
    }
    template = "cities/directory.html#directory" if is_htmx(request) else "cities/directory.html"
    return render(request, template, context)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country", "field"), slug=slug)
    context = {
        "city": city,
        "about": city.localized_about(),
        "commitments": city.localized_commitments(),
        "can_edit": city.editable_by(request.user),
        "same_field": City.objects.members()
        .for_listing()
        .filter(field=city.field_id, country__region=city.region)
        .exclude(pk=city.pk)[:6]
        if city.field_id
        else [],
    }
    return render(request, "cities/detail.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country", "field"), slug=slug)
    allowed = editable_fields(request.user, city)
    if not allowed:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = CityEditForm(request.POST or None, city=city, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        changed = update_city(city, request.user, form.changes())
        if changed:
            messages.success(request, _("The city's record was saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(city)
    return render(request, "cities/edit.html", {"city": city, "form": form})


def world_map(request: HttpRequest) -> HttpResponse:
    fields = CreativeField.objects.annotate(member_count=Count("cities", filter=Q(cities__is_member=True)))
    return render(
        request,
        "cities/map.html",
        {
            "fields": fields,
            "field_colours": {field.slug: field.colour for field in fields},
            "member_count": City.objects.members().count(),
        },
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}


def export(request: HttpRequest, format: str) -> HttpResponse:
    if format not in EXPORT_TYPES:
        raise Http404
    filters = parse_filters(dict(request.GET.lists()), strict=False)
    cities = list(filter_members(filters))
    if format == "csv":
        body = exports.as_csv(cities)
    elif format == "json":
        body = exports.as_json(cities, exports.ATTRIBUTION)
    else:
        body = exports.as_geojson(cities, exports.ATTRIBUTION)
    response = HttpResponse(body, content_type=EXPORT_TYPES[format])
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="uccn-members.{format}"'
    return response


@role_required(is_secretariat)
def data_quality(request: HttpRequest) -> HttpResponse:
    findings = member_findings(City.objects.members().for_listing().order_by("name"))
    context = {
        "problems": [finding for finding in findings if not finding.is_gap and not finding.accepted],
        "accepted": [finding for finding in findings if finding.accepted],
        "gaps": [finding for finding in findings if finding.is_gap and not finding.accepted],
        "population_floor": POPULATION_FLOOR,
        "tolerance_km": int(COAST_TOLERANCE_KM),
    }
    return render(request, "cities/data_quality.html", context)


def _query_without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
