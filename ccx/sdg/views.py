from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ccx.core.i18n import current_language, normalise_language
from ccx.sdg.models import Goal, Indicator, Target


def _text_language(request: HttpRequest) -> str:
    """The language of the SDG texts: the interface language, or any UN language asked for with ?text=."""
    wanted = normalise_language(request.GET.get("text", "") or current_language())
    return wanted if wanted in dict(settings.CONTENT_LANGUAGES) else current_language()


def index(request: HttpRequest) -> HttpResponse:
    language = _text_language(request)
    goals = [(goal, goal.short_title(language), goal.title(language)) for goal in Goal.objects.all()]
    return render(
        request, "sdg/index.html", {"goals": goals, "text_language": language, "languages": settings.CONTENT_LANGUAGES}
    )


def goal(request: HttpRequest, number: int) -> HttpResponse:
    language = _text_language(request)
    goal = get_object_or_404(Goal, number=number)
    targets = Target.objects.filter(goal=goal).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("sort_key"))
    )
    rows = [
        (
            target,
            target.title(language),
            [(indicator, indicator.title(language)) for indicator in target.indicators.all()],
        )
        for target in targets
    ]
    context = {
        "goal": goal,
        "short_title": goal.short_title(language),
        "title": goal.title(language),
        "targets": rows,
        "text_language": language,
        "languages": settings.CONTENT_LANGUAGES,
        "previous": Goal.objects.filter(number__lt=number).order_by("-number").first(),
        "next": Goal.objects.filter(number__gt=number).order_by("number").first(),
    }
    return render(request, "sdg/goal.html", context)
