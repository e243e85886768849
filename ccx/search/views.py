"""Pages of the practice library that the search engine answers: solutions for a challenge, SDG suggestions.

Their addresses stay under /practices/ (ccx/search/urls.py); the library's own ranking, snippets and similar
practices reach the engine through ccx/practices/search_hooks.py.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ccx.practices.models import Practice
from ccx.practices.search_hooks import show_languages
from ccx.sdg.models import Goal, Target
from ccx.search.forms import FindSolutionsForm
from ccx.search.matching import Challenge, MatchingError, match_challenge
from ccx.search.sdg_suggest import suggest_sdgs


def find_solutions(request: HttpRequest) -> HttpResponse:
    """A challenge in, transferable practices of other cities out, each with its reasons.

    The form posts: a city's problem of a few thousand characters (nine bytes a character in a URL for
    Chinese) does not fit in an address, which proxies and servers cap at 4-8 KB. `?text=` links still work."""
    if request.method == "POST":
        form = FindSolutionsForm(request.POST)
    else:
        form = FindSolutionsForm(request.GET if "text" in request.GET else None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        challenge = Challenge(
            data["text"], data["city"], data["budget_band"], None, tuple(theme.slug for theme in data["themes"])
        )
        try:
            result = match_challenge(challenge, k=10)
        except MatchingError as error:
            form.add_error("text", str(error))
    read_as = None
    if result is not None:
        read_as = show_languages([match.practice for match in result.matches], result.language)
    return render(request, "practices/find_solutions.html", {"form": form, "result": result, "read_as": read_as})


@login_required
def sdg_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """Goals and targets suggested from the practice's saved texts, for the author to accept (an htmx partial)."""
    practice = get_object_or_404(Practice, slug=slug)
    if not practice.is_visible_to(request.user):
        raise Http404
    if not practice.editable_by(request.user):
        raise PermissionDenied
    text = "\n".join(
        part for part in (practice.title, practice.tagline, practice.summary, practice.description) if part
    )
    suggestions = suggest_sdgs(text, exclude_practice=practice.pk)
    goal_ids = dict(Goal.objects.values_list("number", "pk"))
    target_ids = dict(Target.objects.values_list("code", "pk"))
    rows = [
        {
            "goal": goal,
            "goal_id": goal_ids[goal.number],
            "target_ids": ",".join(str(target_ids[t.code]) for t in goal.targets),
            "percent": round(goal.confidence * 100),
        }
        for goal in suggestions
    ]
    return render(request, "practices/_sdg_suggestions.html", {"rows": rows, "practice": practice})
