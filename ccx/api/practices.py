"""The practice library over HTTP: the browse filters, details, and writing for signed-in members."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import Converted, pages
from ccx.api.schemas import Address, Slug, limited, one_of
from ccx.cities.models import City, Country, CreativeField
from ccx.practices import workflow
from ccx.practices.browse import RowsInOrder, listed, parse_filters
from ccx.practices.models import ActorType, Practice, PracticeTranslation, Technology, Theme, WorkflowEvent
from ccx.practices.revisions import plain_value
from ccx.practices.services import create_practice, update_practice
from ccx.practices.validation import choices, practice_problems
from ccx.sdg.models import Goal, Target

router = Router(tags=["practices"])
# The schema declares each choice; the values are checked with the rest of the record by the validator, so that
# one answer names every bad field.
CHOICES = choices()


class PracticeQuery(Schema):
    field: list[str] = Field(default_factory=list, description="Creative field slug(s)")
    theme: list[str] = Field(default_factory=list, description="Theme slug(s)")
    technology: list[str] = Field(default_factory=list, description="Technology slug(s)")
    sdg: list[str] = Field(default_factory=list, description="SDG goal number(s)")
    region: list[str] = Field(default_factory=list, description="Continent code(s)")
    country: list[str] = Field(default_factory=list, description="ISO alpha-2 code(s)")
    size: list[str] = Field(
        default_factory=list, description="City size band(s): small, medium, large, very_large, megacity"
    )
    stage: list[str] = Field(
        default_factory=list, description="Stage(s): idea, pilot, implemented, scaled, discontinued"
    )
    year: list[str] = Field(default_factory=list, description="Start year(s)")
    language: list[str] = Field(default_factory=list, description="Original language(s)")
    city: str = Field("", description="Slug of a city that leads or partners")
    q: str = Field("", description="Words in the title, tagline or summary")
    sort: str = Field(
        "relevance",
        description="relevance (the best match with q, the recommended order without), recommended, -published, "
        "title, -start or start",
    )


class PracticeSummary(Schema):
    slug: str
    title: str
    tagline: str
    summary: str
    original_language: str
    status: str
    lead_city: str | None
    country: str | None
    fields: list[str]
    stage: str
    start_year: int | None
    published_at: str | None
    url: str


class ActorIn(Schema):
    name: str = Field(min_length=1, max_length=250)
    kind: str = Field(json_schema_extra=one_of(ActorType.values))
    role: str = Field("", max_length=300)


class IndicatorIn(Schema):
    name: str = Field(min_length=1, max_length=250)
    value: float
    unit: str = Field("", max_length=60)
    baseline: float | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    source: str = Field("", max_length=300)


class TranslationIn(Schema):
    language: str = limited(PracticeTranslation, "language", ...)
    title: str = limited(PracticeTranslation, "title", "")
    tagline: str = limited(PracticeTranslation, "tagline", "")
    summary: str = limited(PracticeTranslation, "summary", "")
    description: str = limited(PracticeTranslation, "description", "")


class PracticeIn(Schema):
    """Every field is optional on update; `title` is required on create."""

    title: str | None = Field(None, max_length=250)
    tagline: str | None = Field(None, max_length=300)
    summary: str | None = limited(Practice, "summary")
    description: str | None = limited(Practice, "description")
    original_language: str | None = limited(
        Practice, "original_language", json_schema_extra=one_of(CHOICES["original_language"])
    )
    lead_city: str | None = limited(City, "slug", description="Member city slug")
    partner_cities: list[Slug] | None = None
    country: str | None = limited(Country, "code", description="ISO alpha-2 code, when no lead city")
    place_name: str | None = Field(None, max_length=200)
    fields: list[Slug] | None = None
    themes: list[Slug] | None = None
    technologies: list[Slug] | None = None
    sdg_goals: list[Annotated[int, Field(ge=1, le=17)]] | None = None
    sdg_targets: list[Annotated[str, Field(max_length=10)]] | None = None
    crisis_response: str | None = Field(None, max_length=100)
    start_date: date | None = None
    end_date: date | None = None
    stage: str | None = limited(Practice, "stage", json_schema_extra=one_of(CHOICES["stage"]))
    results: str | None = limited(Practice, "results")
    obstacles: str | None = limited(Practice, "obstacles")
    transferability: str | None = limited(Practice, "transferability")
    budget_band: str | None = limited(Practice, "budget_band", json_schema_extra=one_of(CHOICES["budget_band"]))
    staff_needed: str | None = Field(None, max_length=300)
    skills_needed: str | None = limited(Practice, "skills_needed")
    partners_needed: str | None = limited(Practice, "partners_needed")
    resources_needed: str | None = limited(Practice, "resources_needed")
    lessons: str | None = limited(Practice, "lessons")
    links: list[Address] | None = None
    video_links: list[Address] | None = None
    licence: str | None = limited(Practice, "licence", json_schema_extra=one_of(CHOICES["licence"]))
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    adapted_from: str | None = limited(Practice, "slug", description="Slug of the practice this one adapts")
    actors: list[ActorIn] | None = None
    indicators: list[IndicatorIn] | None = None
    translations: list[TranslationIn] | None = None


class PracticeOut(PracticeSummary):
    description: str
    results: str
    obstacles: str
    transferability: str
    budget_band: str
    lessons: str
    themes: list[str]
    technologies: list[str]
    sdg_goals: list[int]
    sdg_targets: list[str]
    partner_cities: list[str]
    links: list[str]
    video_links: list[str]
    licence: str
    source_name: str
    source_url: str
    attribution: str
    adapted_from: str | None
    translations: dict[str, dict[str, str]]


def summary_of(practice: Practice) -> PracticeSummary:
    return PracticeSummary(
        slug=practice.slug,
        title=practice.title,
        tagline=practice.tagline,
        summary=practice.summary,
        original_language=practice.original_language,
        status=practice.status,
        lead_city=practice.lead_city.slug if practice.lead_city else None,
        country=practice.country.code if practice.country else None,
        fields=[field.slug for field in practice.fields.all()],
        stage=practice.stage,
        start_year=practice.start_year,
        published_at=practice.published_at.isoformat() if practice.published_at else None,
        url=practice.get_absolute_url(),
    )


def detail_of(practice: Practice) -> PracticeOut:
    return PracticeOut(
        **summary_of(practice).model_dump(),
        description=practice.description,
        results=practice.results,
        obstacles=practice.obstacles,
        transferability=practice.transferability,
        budget_band=practice.budget_band,
        lessons=practice.lessons,
        themes=[t.slug for t in practice.themes.all()],
        technologies=[t.slug for t in practice.technologies.all()],
        sdg_goals=[g.number for g in practice.sdg_goals.all()],
        sdg_targets=[t.code for t in practice.sdg_targets.all()],
        partner_cities=[c.slug for c in practice.partner_cities.all()],
        links=practice.links,
        video_links=practice.video_links,
        licence=practice.licence,
        source_name=practice.source_name,
        source_url=practice.source_url,
        attribution=practice.attribution,
        adapted_from=practice.adapted_from.slug if practice.adapted_from else None,
        translations={
            t.language: {"title": t.title, "tagline": t.tagline, "summary": t.summary, "description": t.description}
            for t in practice.translations.all()
        },
    )


@router.get("/practices", response={200: list[PracticeSummary], **errors(422)}, summary="Published practices, filtered")
@paginate(pages(20))
def list_practices(request: HttpRequest, query: Query[PracticeQuery]) -> Converted[Practice]:
    params: dict[str, list[str]] = {
        name: getattr(query, name)
        for name in ("field", "theme", "technology", "sdg", "region", "country", "size", "stage", "year", "language")
    }
    params |= {"q": [query.q], "sort": [query.sort], "city": [query.city]}
    filters = parse_filters(params, strict=True)
    rows = Practice.objects.published().select_related("lead_city", "country").prefetch_related("fields")
    return Converted(RowsInOrder(listed(filters), rows), summary_of)


def _get(request: HttpRequest, slug: str) -> Practice:
    practice = get_object_or_404(Practice.objects.select_related("lead_city", "country", "adapted_from"), slug=slug)
    if not practice.is_visible_to(request.user):
        raise Http404
    return practice


@router.get("/practices/{slug}", response={200: PracticeOut, **errors(404)}, summary="One practice")
def get_practice(request: HttpRequest, slug: str) -> tuple[int, object]:
    return 200, detail_of(_get(request, slug))


def _values(payload: PracticeIn, practice: Practice | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Snapshot values from the payload, and a message per bad field: the names that are not found here, then
    the practice validator's (ccx/practices/validation.py), which the form and the importers call too."""
    data = payload.model_dump(exclude_unset=True)
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in (
        "title", "tagline", "summary", "description", "place_name", "crisis_response", "results", "obstacles",
        "transferability", "staff_needed", "skills_needed", "partners_needed", "resources_needed", "lessons",
        "contact_name", "contact_email",
    ):  # fmt: skip
        if name in data:
            values[name] = data[name] or ""
    for name in ("stage", "budget_band", "licence", "original_language"):
        if name in data:
            blank = "" if name in ("stage", "budget_band") else None
            values[name] = data[name] if data[name] not in (None, "") else blank
    for name in ("start_date", "end_date"):
        if name in data:
            values[name] = data[name].isoformat() if data[name] else None

    def lookup(name: str, model: Any, key: str, wanted: list[Any] | None) -> list[int]:
        found = dict(model.objects.filter(**{f"{key}__in": wanted or []}).values_list(key, "pk"))
        missing = [str(value) for value in wanted or [] if value not in found]
        if missing:
            problems[name] = f"Unknown: {', '.join(missing)}."
        return sorted(found.values())

    relations = {
        "partner_cities": (City, "slug"),
        "fields": (CreativeField, "slug"),
        "themes": (Theme, "slug"),
        "technologies": (Technology, "slug"),
        "sdg_goals": (Goal, "number"),
        "sdg_targets": (Target, "code"),
    }
    for name, (model, key) in relations.items():
        if name in data:
            values[name] = lookup(name, model, key, data[name])
    if "lead_city" in data:
        city = City.objects.filter(slug=data["lead_city"], is_member=True).first() if data["lead_city"] else None
        if data["lead_city"] and city is None:
            problems["lead_city"] = f"Unknown member city '{data['lead_city']}'."
        values["lead_city_id"] = city.pk if city else None
        values["country_id"] = city.country_id if city else None
    if data.get("country") and not data.get("lead_city"):
        country = Country.objects.filter(code=data["country"].upper()).first()
        if country is None:
            problems["country"] = f"Unknown country '{data['country']}'."
        else:
            values["country_id"] = country.pk
    if "adapted_from" in data:
        source = (
            Practice.objects.published().filter(slug=data["adapted_from"]).first() if data["adapted_from"] else None
        )
        if data["adapted_from"] and source is None:
            problems["adapted_from"] = f"No published practice '{data['adapted_from']}'."
        values["adapted_from_id"] = source.pk if source else None
    for name in ("links", "video_links"):
        if name in data:
            values[name] = data[name] or []
    if "actors" in data:
        values["actors"] = [
            {"name": a["name"], "kind": a["kind"], "role": a.get("role", "")} for a in data["actors"] or []
        ]
    if "indicators" in data:
        values["indicators"] = [
            {
                "name": i["name"],
                "value": _number(i["value"]),
                "unit": i.get("unit", ""),
                "baseline": _number(i.get("baseline")),
                "year": i.get("year"),
                "source": i.get("source", ""),
            }
            for i in data["indicators"] or []
        ]
    if "translations" in data:
        empty = {"title": "", "tagline": "", "summary": "", "description": ""}
        values["translations"] = sorted(
            ({**empty, **t} for t in data["translations"] or []), key=lambda t: t["language"]
        )
    for name, found in practice_problems(values, practice=practice).items():
        problems.setdefault(name, " ".join(str(message) for error in found for message in error.messages))
    return values, problems


def _number(value: float | None) -> str | None:
    return None if value is None else str(plain_value(Decimal(str(value))))


@router.post(
    "/practices",
    auth=signed_in,
    response={201: PracticeOut, **errors(403, 422)},
    summary="Create a draft practice (focal points and the secretariat)",
)
def create(request: HttpRequest, payload: PracticeIn) -> tuple[int, object]:
    values, problems = _values(payload)
    if not (payload.title or "").strip():
        problems["title"] = "A title is required."
    if problems:
        raise ValidationError(problems)
    practice = create_practice(request.user, values)
    return 201, detail_of(practice)


@router.patch(
    "/practices/{slug}",
    auth=signed_in,
    response={200: PracticeOut, **errors(403, 404, 409, 422)},
    summary="Change a practice (its author, its city's focal points and the secretariat)",
)
def update(request: HttpRequest, slug: str, payload: PracticeIn) -> tuple[int, object]:
    practice = get_object_or_404(Practice, slug=slug)
    values, problems = _values(payload, practice)
    if problems:
        raise ValidationError(problems)
    update_practice(practice, request.user, values)
    return 200, detail_of(practice)


class ActionIn(Schema):
    action: str = Field(description="submit, withdraw, start_review, request_changes, publish or reject", max_length=30)
    comment: str = limited(WorkflowEvent, "comment", "")


@router.post(
    "/practices/{slug}/workflow",
    auth=signed_in,
    response={200: PracticeOut, **errors(403, 404, 409, 422)},
    summary="Move a practice through the review workflow",
)
def act(request: HttpRequest, slug: str, payload: ActionIn) -> tuple[int, object]:
    practice = get_object_or_404(Practice, slug=slug)
    workflow.perform(practice, request.user, payload.action, payload.comment)
    return 200, detail_of(practice)
