from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.api.errors import errors
from ccx.api.pagination import MAX_LIMIT, Converted, pages
from ccx.api.schemas import GoalOut, IndicatorOut, TargetOut
from ccx.core.errors import InvalidRequest
from ccx.core.i18n import normalise_language
from ccx.sdg.models import Goal, Indicator, Target

router = Router(tags=["sdg"])


class LanguageQuery(Schema):
    lang: str = Field("en", description="Language of `title`: en, fr, zh-hans, es, ar or ru")


class TargetQuery(LanguageQuery):
    goal: int | None = Field(None, ge=1, le=17)


class IndicatorQuery(LanguageQuery):
    goal: int | None = Field(None, ge=1, le=17)
    target: str | None = None


def _language(code: str) -> str:
    language = normalise_language(code)
    if language not in dict(settings.CONTENT_LANGUAGES):
        known = ", ".join(code for code, _name in settings.CONTENT_LANGUAGES)
        raise InvalidRequest(f"Unknown language '{code}'. Use one of: {known}.")
    return language


def goal_out(goal: Goal, language: str) -> GoalOut:
    return GoalOut(
        number=goal.number,
        short_title=goal.short_title(language).text,
        title=goal.title(language).text,
        language=language,
        short_titles=goal.short_titles,
        titles=goal.titles,
    )


@router.get("/sdg/goals", response={200: list[GoalOut], **errors(422)}, summary="The 17 goals")
@paginate(pages(MAX_LIMIT))
def list_goals(request: HttpRequest, query: Query[LanguageQuery]) -> Converted[Goal]:
    language = _language(query.lang)
    return Converted(Goal.objects.all(), lambda goal: goal_out(goal, language))


@router.get("/sdg/goals/{number}", response={200: GoalOut, **errors(404, 422)}, summary="One goal")
def get_goal(request: HttpRequest, number: int, query: Query[LanguageQuery]) -> tuple[int, object]:
    language = _language(query.lang)
    return 200, goal_out(get_object_or_404(Goal, number=number), language)


@router.get("/sdg/targets", response={200: list[TargetOut], **errors(422)}, summary="Targets, by goal")
@paginate(pages(MAX_LIMIT))
def list_targets(request: HttpRequest, query: Query[TargetQuery]) -> Converted[Target]:
    language = _language(query.lang)
    targets = Target.objects.select_related("goal")
    if query.goal:
        targets = targets.filter(goal__number=query.goal)
    return Converted(
        targets,
        lambda t: TargetOut(
            code=t.code, goal=t.goal.number, title=t.title(language).text, language=language, titles=t.titles
        ),
    )


@router.get(
    "/sdg/indicators", response={200: list[IndicatorOut], **errors(422)}, summary="Indicators, by goal or target"
)
@paginate(pages(MAX_LIMIT))
def list_indicators(request: HttpRequest, query: Query[IndicatorQuery]) -> Converted[Indicator]:
    language = _language(query.lang)
    indicators = Indicator.objects.select_related("target__goal")
    if query.goal:
        indicators = indicators.filter(target__goal__number=query.goal)
    if query.target:
        if not Target.objects.filter(code=query.target).exists():
            raise InvalidRequest(f"Unknown target '{query.target}'.")
        indicators = indicators.filter(target__code=query.target)
    return Converted(
        indicators,
        lambda i: IndicatorOut(
            code=i.code,
            target=i.target.code,
            goal=i.target.goal.number,
            title=i.title(language).text,
            language=language,
            titles=i.titles,
        ),
    )
