"""Search, matching and SDG suggestions over HTTP: the same functions as the pages."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ccx.api.errors import errors
from ccx.api.matching import MatchResultOut, match_result_out
from ccx.api.pagination import MAX_LIMIT, MAX_OFFSET
from ccx.api.schemas import Slug, limited
from ccx.cities.models import City
from ccx.core.errors import InvalidRequest
from ccx.core.validation import TEXT_CAP
from ccx.practices.browse import in_order, parse_filters, ranking
from ccx.practices.models import Practice
from ccx.practices.search_hooks import highlight_all
from ccx.search.matching import MAX_TEXT, Challenge, match_challenge
from ccx.search.sdg_suggest import suggest_sdgs
from ccx.search.service import practice_languages, query_language

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200, description="What to look for, in any of the 16 languages")
    field: list[str] = Field(default_factory=list)
    theme: list[str] = Field(default_factory=list)
    technology: list[str] = Field(default_factory=list)
    sdg: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list)
    stage: list[str] = Field(default_factory=list)
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SearchHitOut(Schema):
    slug: str
    title: str
    url: str
    lead_city: str | None
    country: str | None
    snippet: str
    marks: list[str]
    language: str = Field(description="The language the practice is written in (detected, ISO 639-1)")
    languages: list[str] = Field(description="Every language it can be read in: the original, then translations")


class SearchPage(Schema):
    count: int
    query_language: str = Field(
        description='The language the query was read as (ISO 639-1; "" if it could not be told)'
    )
    items: list[SearchHitOut]


@router.get("/search", response={200: SearchPage, **errors(422)}, summary="Search practices (hybrid, cross-lingual)")
def search(request: HttpRequest, query: Query[SearchQuery]) -> tuple[int, object]:
    params = {
        name: getattr(query, name) for name in ("field", "theme", "technology", "sdg", "region", "country", "stage")
    }
    filters = parse_filters({**params, "q": [query.q]}, strict=True)
    ranked = ranking(filters)  # the order and the count: only the rows of this page are read
    language = query_language(query.q)
    page = in_order(
        Practice.objects.published().select_related("lead_city", "country"),
        ranked[query.offset : query.offset + query.limit],
    )
    languages = practice_languages(practice.pk for practice in page)
    highlight_all(page, query.q, language)
    items = []
    for practice in page:
        found = practice.highlight  # type: ignore[attr-defined]
        versions = list(languages.get(practice.pk) or (practice.original_language,))
        items.append(
            SearchHitOut(
                slug=practice.slug,
                title=practice.title,
                url=practice.get_absolute_url(),
                lead_city=practice.lead_city.slug if practice.lead_city else None,
                country=practice.country.code if practice.country else None,
                snippet=found.text,
                marks=list(found.marks),
                language=versions[0],
                languages=versions,
            )
        )
    return 200, SearchPage(count=len(ranked), query_language=language, items=items)


class MatchRequestIn(Schema):
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT,
        description=f"The challenge, in the city's own words and language (at most {MAX_TEXT} characters)",
    )
    city: str | None = limited(City, "slug", description="Slug of the asking city")
    budget_band: str = limited(Practice, "budget_band", "", description="under_10k, 10k_100k, 100k_1m or over_1m")
    months: int | None = Field(None, ge=1, le=240, description="Time frame in months")
    themes: list[Slug] = Field(default_factory=list, description="Theme slugs")
    limit: int = Field(10, ge=1, le=30)


@router.post("/match", response={200: MatchResultOut, **errors(422)}, summary="Transferable solutions for a challenge")
def match(request: HttpRequest, payload: MatchRequestIn) -> tuple[int, object]:
    city = None
    if payload.city:
        city = City.objects.select_related("country", "field").filter(slug=payload.city).first()
        if city is None:
            raise InvalidRequest(f"Unknown city '{payload.city}'.")
    result = match_challenge(
        Challenge(payload.text, city, payload.budget_band, payload.months, tuple(payload.themes)), k=payload.limit
    )
    return 200, match_result_out(result)


class SuggestIn(Schema):
    text: str = Field(min_length=1, max_length=TEXT_CAP)


class TargetSuggestionOut(Schema):
    code: str
    title: str
    confidence: float


class GoalSuggestionOut(Schema):
    number: int
    title: str
    confidence: float
    targets: list[TargetSuggestionOut]


@router.post("/sdg/suggest", response=list[GoalSuggestionOut], summary="Suggest SDG goals and targets for a text")
def suggest(request: HttpRequest, payload: SuggestIn) -> list[GoalSuggestionOut]:
    return [
        GoalSuggestionOut(
            number=goal.number,
            title=goal.title,
            confidence=goal.confidence,
            targets=[TargetSuggestionOut(code=t.code, title=t.title, confidence=t.confidence) for t in goal.targets],
        )
        for goal in suggest_sdgs(payload.text)
    ]
