from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.static import serve

from ccx.cities.models import City, CreativeField, Region
from ccx.core.charts import bar_rows
from ccx.core.models import ImportRun
from ccx.core.pagecache import fragment
from ccx.practices.models import Practice
from ccx.publications.views import featured_exhibition
from ccx.sdg.models import Goal


def home(request: HttpRequest) -> HttpResponse:
    members = City.objects.members()
    fields = CreativeField.objects.annotate(members=Count("cities", filter=Q(cities__is_member=True)))
    by_region = dict(members.values_list("country__region").annotate(n=Count("id")).order_by())
    latest_year = (
        members.exclude(designation_year=None)
        .order_by("-designation_year")
        .values_list("designation_year", flat=True)
        .first()
    )
    context = {
        "member_count": members.count(),
        "country_count": members.exclude(country=None).values("country").distinct().count(),
        "field_count": sum(1 for field in fields if field.members),
        "field_bars": bar_rows(
            [
                (field.localized_name, field.members, f"field-{field.slug}", f"?field={field.slug}")
                for field in fields
                if field.members
            ]
        ),
        "region_bars": bar_rows(
            [
                (str(label), by_region.get(code, 0), "", f"?region={code}")
                for code, label in Region.choices
                if by_region.get(code)
            ],
            sort=True,
        ),
        "latest_year": latest_year,
        "newest": members.for_listing().filter(designation_year=latest_year).order_by("name")[:8]
        if latest_year
        else [],
        "newest_count": members.filter(designation_year=latest_year).count() if latest_year else 0,
        "sdg11": Goal.objects.filter(number=11).first(),
        "practice_count": Practice.objects.published().count(),
        "latest_practices": Practice.objects.showcase_first(4),
        "field_colours": {field.slug: field.colour for field in fields},
        "featured": fragment("home-featured-exhibition", featured_exhibition),  # 75 cards built once per version
    }
    return render(request, "site/home.html", context)


def about_data(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.order_by("kind", "-finished_at")
    latest: dict[str, ImportRun] = {}
    for run in runs:
        latest.setdefault(run.kind, run)
    gaps = {
        "year_unknown": City.objects.members().filter(designation_year=None).count(),
        "location_unverified": City.objects.members().filter(location_verified=False).count(),
    }
    return render(request, "site/about_data.html", {"imports": list(latest.values()), "gaps": gaps})


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files, when this process should serve them (development; production lets the proxy do it)."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
