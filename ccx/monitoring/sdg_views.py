"""A city's SDG page (values over time, records by goal, peers), its values' form, its SDG summary, and the
secretariat's "network at a glance"."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.cities.models import City
from ccx.core.charts import line_points
from ccx.core.decorators import role_required
from ccx.monitoring import glance, schedule
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.forms import IndicatorValueForm
from ccx.monitoring.models import SdgSummary
from ccx.monitoring.permissions import can_manage_schedule
from ccx.monitoring.profile import IndicatorSeries, as_number, sdg_profile
from ccx.monitoring.publishing import build_sdg_summary
from ccx.monitoring.views import _downloads, csv_response, show_problems
from ccx.partnerships.models import PartnershipKind
from ccx.publications.editions import edition_languages
from ccx.sdg.models import IndicatorValue
from ccx.sdg.values import can_edit_values

secretariat_only = role_required(can_manage_schedule)


def _chart(series: IndicatorSeries) -> dict[str, Any]:
    return line_points([(str(value.year), float(value.value), as_number(value.value)) for value in series.values])


def city_sdg(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country", "field"), slug=slug)
    profile = sdg_profile(city, request.user)
    summary = SdgSummary.objects.filter(city=city).select_related("publication").first()
    can_edit = can_edit_values(request.user, city)
    context = {
        "city": city,
        "profile": profile,
        "charts": [(series, _chart(series)) for series in profile.series],
        "can_edit": can_edit,
        "summary": summary,
        "downloads": _downloads(summary.publication if summary else None),
        "languages": edition_languages(),
    }
    return render(request, "monitoring/city_sdg.html", context)


@login_required
def value_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    if not can_edit_values(request.user, city):
        raise PermissionDenied
    value = get_object_or_404(IndicatorValue, pk=pk, city=city) if pk else IndicatorValue(city=city)
    form = IndicatorValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.entered_by = request.user
        saved.save()
        messages.success(request, _("The value was saved."))
        return redirect("monitoring:city_sdg", city.slug)
    return render(request, "monitoring/value_form.html", {"city": city, "form": form, "value": value})


@login_required
@require_POST
def value_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    value = get_object_or_404(IndicatorValue, pk=pk, city=city)
    if not value.editable_by(request.user):
        raise PermissionDenied
    value.delete()
    messages.success(request, _("The value was deleted."))
    return redirect("monitoring:city_sdg", city.slug)


@login_required
@require_POST
def summary_build(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    try:
        build_sdg_summary(city, request.POST.get("language", ""), request.user)
    except MonitoringError as error:
        show_problems(request, error)
    else:
        messages.success(request, _("The SDG summary is being built from the city's current records."))
    return redirect("monitoring:city_sdg", city.slug)


@secretariat_only
def coverage(request: HttpRequest) -> HttpResponse:
    goal_text = request.GET.get("goal", "")
    goal = int(goal_text) if goal_text.isdigit() and 1 <= int(goal_text) <= 17 else None
    rows = glance.coverage(goal)
    if request.GET.get("format") == "csv":
        return csv_response(glance.coverage_csv(rows), f"sdg-coverage{'-' + str(goal) if goal else ''}.csv")
    context = {
        "rows": rows,
        "regions": glance.REGIONS,
        "goals": glance.goals_with_targets(),
        "goal": goal,
        "levels": range(len(glance.HEAT_LEVELS)),
    }
    return render(request, "monitoring/glance_coverage.html", context)


@secretariat_only
def reporting(request: HttpRequest) -> HttpResponse:
    rows = schedule.board()
    if request.GET.get("format") == "csv":
        return csv_response(schedule.counts_csv(rows), "reporting-status.csv")
    context = {
        "states": schedule.BoardState.choices,
        "by_field": schedule.counts_by(rows, "field"),
        "by_region": schedule.counts_by(rows, "region"),
        "total": len(rows),
    }
    return render(request, "monitoring/glance_reporting.html", context)


@secretariat_only
def ties(request: HttpRequest) -> HttpResponse:
    rows = glance.ties()
    if request.GET.get("format") == "csv":
        return csv_response(glance.ties_csv(rows), "ties-between-cities.csv")
    context = {"rows": rows, "kinds": PartnershipKind.choices, "without": glance.members_without_ties()}
    return render(request, "monitoring/glance_ties.html", context)
