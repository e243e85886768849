"""Monitoring reports (everyone sees each member's reporting status; the content where the caller may see it)
and cities' SDG indicator values."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.accounts.models import User
from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import MAX_LIMIT, Converted, pages
from ccx.api.schemas import limited
from ccx.cities.models import City
from ccx.core.errors import Conflict
from ccx.monitoring import schedule, workflow
from ccx.monitoring.models import Report, ReportEvent
from ccx.monitoring.profile import as_number
from ccx.sdg.models import Indicator, IndicatorValue
from ccx.sdg.values import can_edit_values, parse_number, validate_indicator_value

router = Router(tags=["monitoring"])


class MemberStatusOut(Schema):
    city: str = Field(description="The city's identifier")
    name: str
    country_code: str | None
    region: str | None
    field: str | None
    designation_year: int | None
    due_year: int | None = Field(description="The year of the report the member owes now or next; null when unknown")
    state: str = Field(description="unknown, not_yet_due, due_this_year, overdue, submitted or accepted")
    report_id: int | None = Field(description="The report of that cycle, when the caller may see it")


class ReportStatusQuery(Schema):
    field: str = ""
    region: str = ""
    state: str = ""


@router.get("/reports/status", response=list[MemberStatusOut], summary="Every member's reporting status")
@paginate(pages(MAX_LIMIT))
def reporting_status(request: HttpRequest, query: Query[ReportStatusQuery]) -> Converted[Any]:
    rows = schedule.board(field=query.field, region=query.region, state=query.state)
    readable = set(Report.objects.visible_to(request.user).values_list("pk", flat=True))
    return Converted(
        rows,
        lambda row: MemberStatusOut(
            city=row.city.slug,
            name=row.city.name,
            country_code=row.city.country.code if row.city.country else None,
            region=row.city.region or None,
            field=row.city.field.slug if row.city.field else None,
            designation_year=row.city.designation_year,
            due_year=row.due_year,
            state=row.state.value,
            report_id=row.report.pk if row.report and row.report.pk in readable else None,
        ),
    )


class ReportEventOut(Schema):
    from_status: str
    to_status: str
    comment: str
    created_at: datetime


class ReportOut(Schema):
    id: int
    city: str
    due_year: int
    period_start: int
    period_end: int
    status: str
    language: str
    contribution: str
    local_initiatives: str
    international_initiatives: str
    action_plan: str
    resources: str
    sdg_contribution: str
    sdg_targets: list[str]
    submitted_at: datetime | None
    accepted_at: datetime | None
    publication: str | None = Field(description="The identifier of the published report (web, EPUB, PDF)")
    events: list[ReportEventOut]
    url: str


def report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.pk,
        city=report.city.slug,
        due_year=report.due_year,
        period_start=report.period_start,
        period_end=report.period_end,
        status=report.status,
        language=report.language,
        contribution=report.contribution,
        local_initiatives=report.local_initiatives,
        international_initiatives=report.international_initiatives,
        action_plan=report.action_plan,
        resources=report.resources,
        sdg_contribution=report.sdg_contribution,
        sdg_targets=[target.code for target in report.sdg_targets.all()],
        submitted_at=report.submitted_at,
        accepted_at=report.accepted_at,
        publication=report.publication.slug if report.publication else None,
        events=[ReportEventOut.from_orm(event) for event in report.events.all()],
        url=report.get_absolute_url(),
    )


@router.get("/reports", response=list[ReportOut], summary="Reports the caller may read (accepted ones for everyone)")
@paginate(pages(MAX_LIMIT))
def list_reports(request: HttpRequest, city: str = "") -> Converted[Report]:
    reports = Report.objects.visible_to(request.user).select_related("city", "publication")
    if city:
        reports = reports.filter(city__slug=city)
    reports = reports.prefetch_related("sdg_targets", "events").order_by("-due_year", "city__name")
    return Converted(reports, report_out)


@router.get("/reports/{report_id}", response={200: ReportOut, **errors(404)}, summary="One report")
def get_report(request: HttpRequest, report_id: int) -> tuple[int, object]:
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("city", "publication"), pk=report_id
    )
    return 200, report_out(report)


class ReportActionIn(Schema):
    action: str = Field(
        description="submit (the city), request_changes, accept or comment (the secretariat)", max_length=30
    )
    comment: str = limited(ReportEvent, "comment", "")


@router.post(
    "/reports/{report_id}/workflow",
    auth=signed_in,
    response={200: ReportOut, **errors(403, 404, 422)},
    summary="Move a report through its review",
)
def act(request: HttpRequest, report_id: int, payload: ReportActionIn) -> tuple[int, object]:
    report = get_object_or_404(Report.objects.visible_to(request.user).select_related("city"), pk=report_id)
    workflow.perform(report, request.user, payload.action, payload.comment)  # MonitoringError → 403/422, once
    report.refresh_from_db()
    return 200, report_out(report)


class IndicatorValueOut(Schema):
    id: int
    city: str
    indicator: str
    year: int
    value: str = Field(description="A decimal number, as text so that no digit is lost")
    unit: str
    source: str
    method_note: str
    disaggregation: str


def value_out(value: IndicatorValue) -> IndicatorValueOut:
    return IndicatorValueOut(
        id=value.pk,
        city=value.city.slug,
        indicator=value.indicator.code,
        year=value.year,
        value=as_number(value.value),
        unit=value.unit,
        source=value.source,
        method_note=value.method_note,
        disaggregation=value.disaggregation,
    )


class IndicatorValueQuery(Schema):
    city: str = ""
    indicator: str = Field("", description="An indicator code, e.g. 11.6.2")
    goal: int | None = Field(None, ge=1, le=17)


@router.get("/indicator-values", response=list[IndicatorValueOut], summary="Cities' SDG indicator values")
@paginate(pages(MAX_LIMIT))
def list_values(request: HttpRequest, query: Query[IndicatorValueQuery]) -> Converted[IndicatorValue]:
    values = IndicatorValue.objects.visible_to(request.user).select_related("city", "indicator")
    if query.city:
        values = values.filter(city__slug=query.city)
    if query.indicator:
        values = values.filter(indicator__code=query.indicator)
    if query.goal:
        values = values.filter(indicator__target__goal__number=query.goal)
    return Converted(values.order_by("city__name", "indicator__sort_key", "year"), value_out)


class IndicatorValueIn(Schema):
    indicator: str = limited(Indicator, "code", ..., description="An indicator code, e.g. 11.6.2")
    year: int
    value: Decimal | Annotated[str, Field(max_length=40)]
    unit: str = limited(IndicatorValue, "unit", ...)
    source: str = limited(IndicatorValue, "source", ...)
    method_note: str = limited(IndicatorValue, "method_note", "")
    disaggregation: str = limited(IndicatorValue, "disaggregation", "")


@router.post(
    "/cities/{slug}/indicator-values",
    auth=signed_in,
    response={201: IndicatorValueOut, **errors(403, 404, 409, 422)},
    summary="Add a value (the city's focal points and the secretariat)",
)
def add_value(request: HttpRequest, slug: str, payload: IndicatorValueIn) -> tuple[int, object]:
    city = get_object_or_404(City, slug=slug)
    if not can_edit_values(request.user, city):
        raise PermissionDenied("Only the city's focal points and the secretariat add its values.")
    indicator = Indicator.objects.filter(code=payload.indicator.strip()).first()
    if indicator is None:
        raise ValidationError({"indicator": "Unknown indicator code."})
    number = parse_number(str(payload.value))
    if number is None:
        raise ValidationError({"value": "Give the value as a number."})
    value = IndicatorValue(
        city=city,
        indicator=indicator,
        year=payload.year,
        value=number,
        unit=payload.unit.strip(),
        source=payload.source.strip(),
        method_note=payload.method_note.strip(),
        disaggregation=payload.disaggregation.strip(),
        entered_by=request.user if isinstance(request.user, User) else None,
    )
    validate_indicator_value(value)
    duplicate = IndicatorValue.objects.filter(
        city=city, indicator=indicator, year=value.year, disaggregation=value.disaggregation
    )
    if duplicate.exists():
        raise Conflict("The city already has a value for this indicator, year and group.")
    value.save()
    return 201, value_out(value)
