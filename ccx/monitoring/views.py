"""Pages of the reporting cycle: a city's reports, the report form (autosaved), review, history, the board."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.cities.models import City
from ccx.core.decorators import role_required
from ccx.core.i18n import current_language
from ccx.core.markdown import render_markdown
from ccx.monitoring import schedule, workflow
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.forms import BoardFilterForm, DueYearForm, ReportForm, ReviewForm, RuleForm
from ccx.monitoring.models import Report, ReportDraft, ReportStatus
from ccx.monitoring.permissions import can_edit_report, can_manage_schedule, can_review, is_responsible_for
from ccx.monitoring.publishing import request_edition
from ccx.practices.revisions import differences
from ccx.publications.builds import latest_builds
from ccx.publications.editions import edition_languages
from ccx.publications.models import Build, BuildStatus

secretariat_only = role_required(can_manage_schedule)


def csv_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def show_problems(request: HttpRequest, error: MonitoringError) -> None:
    if error.permission:
        raise PermissionDenied
    for problem in error.problems:
        messages.error(request, problem)


def _city(slug: str) -> City:
    return get_object_or_404(City.objects.select_related("country", "field"), slug=slug)


def _report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("city__country", "city__field", "publication"), pk=pk)
    if not report.visible_to(request.user):
        raise Http404
    return report


def city_reports(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    context = {
        "city": city,
        "standing": schedule.member_standing(city),
        "reports": Report.objects.visible_to(request.user).filter(city=city).order_by("-due_year"),
        "can_write": is_responsible_for(request.user, city),
        "can_manage": can_manage_schedule(request.user),
        "due_form": DueYearForm(),
    }
    return render(request, "monitoring/city_reports.html", context)


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    try:
        report = workflow.start_report(city, request.user, current_language())
    except MonitoringError as error:
        show_problems(request, error)
        return redirect("monitoring:city_reports", city.slug)
    return redirect("monitoring:edit", report.pk)


def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    sections = [
        (Report.label(name), render_markdown(getattr(report, name)))
        for name in (*Report.SECTIONS[:4], "resources", "sdg_contribution")
    ]
    publication = report.publication
    context = {
        "report": report,
        "sections": sections,
        "targets": report.sdg_targets.select_related("goal").order_by("sort_key"),
        "events": report.events.select_related("actor"),
        "can_edit": can_edit_report(request.user, report),
        "can_submit": report.status in (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
        and is_responsible_for(request.user, report.city),
        "can_review": can_review(request.user) and report.status == ReportStatus.SUBMITTED,
        "can_comment": can_review(request.user),
        "can_build": publication is not None and is_responsible_for(request.user, report.city),
        "review_form": ReviewForm(),
        "publication": publication,
        "downloads": _downloads(publication),
        "languages": edition_languages(),
    }
    return render(request, "monitoring/report.html", context)


def _downloads(publication: Any) -> list[dict[str, Any]]:
    if publication is None:
        return []
    latest = latest_builds(publication)
    active = {b.language: b for b in publication.builds.filter(status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING])}
    return [
        {"language": code, "name": name, "build": latest.get(code), "active": active.get(code)}
        for code, name in edition_languages()
    ]


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can_edit_report(request.user, report):
        raise PermissionDenied
    restored = None
    if request.method == "POST":
        form = ReportForm(request.POST, instance=report)
    else:
        restored = ReportDraft.objects.filter(
            user=request.user.pk, report=report, updated_at__gt=report.updated_at
        ).first()
        form = ReportForm(restored.data if restored else None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            changed = workflow.save_report(report, request.user, form.texts(), form.cleaned_data["target_codes"])
        except MonitoringError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect("monitoring:report", report.pk)
    return render(request, "monitoring/edit.html", {"report": report, "form": form, "restored": restored})


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep what the person typed so far (htmx posts the form while they type); nothing is validated yet."""
    report = _report(request, pk)
    if not can_edit_report(request.user, report):
        raise PermissionDenied
    fields = [*ReportForm.Meta.fields, "target_codes"]
    data = {key: request.POST.get(key, "")[: workflow.MAX_SECTION_CHARACTERS] for key in fields if key in request.POST}
    ReportDraft.objects.update_or_create(user_id=request.user.pk, report=report, defaults={"data": data})
    return render(request, "practices/_autosaved.html")


@login_required
@require_POST
def discard_draft(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    ReportDraft.objects.filter(user=request.user.pk, report=report).delete()
    return redirect("monitoring:edit", report.pk)


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit (the city), or request changes, accept or comment (the secretariat)."""
    report = _report(request, pk)
    action = request.POST.get("action", "")
    try:
        workflow.perform(report, request.user, action, request.POST.get("comment", ""))
    except MonitoringError as error:
        show_problems(request, error)
    else:
        done = {
            "submit": _("The report was submitted to the secretariat."),
            "request_changes": _("The city was asked for changes."),
            "accept": _("The report is accepted and published; its EPUB and PDF are being built."),
            "comment": _("Your comment was added."),
        }
        messages.success(request, done[action])
    return redirect("monitoring:report", report.pk)


def history(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not is_responsible_for(request.user, report.city):
        raise Http404
    revisions = list(report.revisions.select_related("author").order_by("number"))
    rows = [
        {
            "revision": revision,
            "changes": differences(revisions[index - 1].snapshot if index else {}, revision.snapshot),
        }
        for index, revision in enumerate(revisions)
    ]
    return render(request, "monitoring/history.html", {"report": report, "rows": list(reversed(rows))})


@login_required
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if report.publication is None:
        raise Http404
    try:
        request_edition(report.publication, report.city, request.POST.get("language", ""), request.user)
    except MonitoringError as error:
        show_problems(request, error)
    return redirect("monitoring:report", report.pk)


def build_status(request: HttpRequest, build_id: int) -> HttpResponse:
    """One build's progress (htmx polls it every second while it runs), for the people who may start builds."""
    found = get_object_or_404(Build.objects.select_related("publication"), pk=build_id)
    city = _publication_city(found)
    if city is None or not is_responsible_for(request.user, city):
        raise Http404
    return render(request, "monitoring/_build_status.html", {"build": found})


def _publication_city(found: Build) -> City | None:
    publication = found.publication
    report = Report.objects.filter(publication=publication).select_related("city").first()
    if report is not None:
        return report.city
    summary = getattr(publication, "sdg_summary", None)
    return summary.city if summary is not None else None


@secretariat_only
def board(request: HttpRequest) -> HttpResponse:
    filters = BoardFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = schedule.board(field=values.get("field", ""), region=values.get("region", ""), state=values.get("state", ""))
    if request.GET.get("format") == "csv":
        return csv_response(schedule.board_csv(rows), "monitoring-reports.csv")
    context = {
        "rows": rows,
        "filters": filters,
        "states": schedule.BoardState.choices,
        "by_field": schedule.counts_by(rows, "field"),
        "by_region": schedule.counts_by(rows, "region"),
        "rule_form": RuleForm(initial={"cycle_years": schedule.cycle_years()}),
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/board.html", context)


@secretariat_only
@require_POST
def set_rule(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            schedule.set_cycle_years(form.cleaned_data["cycle_years"], request.user)
        except MonitoringError as error:
            show_problems(request, error)
        else:
            messages.success(request, _("The reporting rule was changed."))
    else:
        messages.error(
            request, _("A reporting cycle lasts from 1 to %(max)s years.") % {"max": schedule.MAX_CYCLE_YEARS}
        )
    return redirect("monitoring:board")


@secretariat_only
@require_POST
def set_due(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    form = DueYearForm(request.POST)
    if form.is_valid():
        try:
            schedule.set_due_year(city, form.cleaned_data["due_year"], request.user, form.cleaned_data["note"])
        except MonitoringError as error:
            show_problems(request, error)
        else:
            messages.success(request, _("The due date of %(city)s was changed.") % {"city": city.name})
    else:
        messages.error(request, _("Give the due year as a number."))
    return redirect("monitoring:city_reports", city.slug)
