"""Challenge pages: thin views over ccx.challenges.services and ccx.challenges.clinic."""

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.challenges import clinic
from ccx.challenges.browse import FACET_TITLES, FACETS, PARAMETERS, facet_counts, filter_challenges, parse_filters
from ccx.challenges.forms import ChallengeForm, ConclusionForm, InviteForm, ResponseForm, apply_errors
from ccx.challenges.models import Challenge, ChallengeStatus, ClinicResponse, ResponseKind, Second
from ccx.challenges.permissions import (
    can_post,
    may_take_part,
    own_city_ids,
    responding_cities,
)
from ccx.challenges.services import matches_for, post_challenge, update_challenge
from ccx.cities.models import City
from ccx.core.htmx import is_htmx
from ccx.practices.models import Practice

PAGE_SIZE = 20
PRACTICE_OPTIONS = 25


def challenge_list(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(dict(request.GET.lists()), strict=False)
    base = Challenge.objects.visible_to(request.user)
    selected = filter_challenges(base, filters).for_listing()
    page = Paginator(selected, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = facet_counts(base, filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "facets": [(name, PARAMETERS[name], _(FACET_TITLES[name]), counts[name]) for name in FACETS],
        "page": page,
        "query_without_page": query.urlencode(),
        "can_post": can_post(request.user),
    }
    template = "challenges/list.html#results" if is_htmx(request) else "challenges/list.html"
    return render(request, template, context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The challenges of the person's cities, the clinics their cities are invited to, and those they answered."""
    cities = own_city_ids(request.user)
    listing = Challenge.objects.for_listing()
    context = {
        "own": listing.filter(Q(city__in=cities) | Q(owner=request.user.pk)).distinct(),
        "invited": listing.filter(invitations__city__in=cities).exclude(city__in=cities).distinct(),
        "answered": listing.filter(responses__author=request.user.pk).distinct(),
        "can_post": can_post(request.user),
    }
    return render(request, "challenges/mine.html", context)


def _challenge_or_404(request: HttpRequest, slug: str) -> Challenge:
    challenge = get_object_or_404(
        Challenge.objects.select_related("city__country", "city__field", "country", "owner"), slug=slug
    )
    if not challenge.is_visible_to(request.user):
        raise Http404
    return challenge


def _responses(challenge: Challenge, user_id: int | None) -> "QuerySet[ClinicResponse]":
    return (
        challenge.responses.select_related("author", "city__country", "practice__lead_city", "practice__country")
        .annotate(
            second_count=Count("seconds", distinct=True),
            seconded=Exists(Second.objects.filter(response=OuterRef("pk"), user=user_id)),
        )
        .order_by("created_at", "pk")
    )


def _practice_options(request: HttpRequest, city_ids: list[int], wanted: str = "") -> dict[str, Any]:
    """What the practice picker offers: practices whose title has the words searched, else the responder's own."""
    published = Practice.objects.published().select_related("lead_city").order_by("title")
    words = request.GET.get("practice_q", "").split()[:6]
    if words:
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word)
        options = list(published.filter(condition)[:PRACTICE_OPTIONS])
    else:
        options = list(published.filter(lead_city__in=city_ids)[:PRACTICE_OPTIONS])
    if wanted and all(option.slug != wanted for option in options):
        options[:0] = published.filter(slug=wanted)
    return {"practice_options": options, "practice_q": " ".join(words), "selected_practice": wanted}


def _detail_context(
    request: HttpRequest,
    challenge: Challenge,
    response_form: ResponseForm | None = None,
    conclusion_form: ConclusionForm | None = None,
) -> dict[str, Any]:
    user = request.user
    manager = challenge.editable_by(user)
    taking_part = may_take_part(user, challenge)
    cities = responding_cities(user, challenge) if taking_part else []
    responses = list(_responses(challenge, user.pk))
    groups: dict[str, list[ClinicResponse]] = defaultdict(list)
    for response in responses:
        groups[response.kind].append(response)
    may_second = challenge.is_clinic_open and (taking_part or manager)
    for response in responses:
        response.can_second = may_second and response.author_id != user.pk and not response.seconded  # type: ignore[attr-defined]
    if response_form is None and taking_part and challenge.is_clinic_open:
        response_form = ResponseForm(city_ids=cities, initial={"city": cities[0] if cities else None})
    if conclusion_form is None and manager:
        conclusion_form = ConclusionForm(
            initial={
                "conclusion_obstacles": challenge.conclusion_obstacles,
                "conclusion_ideas": challenge.conclusion_ideas,
            }
        )
    selected = response_form["practice"].value() if response_form is not None and response_form.is_bound else ""
    return {
        "challenge": challenge,
        "themes": challenge.themes.all(),
        "sdg_goals": challenge.sdg_goals.all(),
        "result": matches_for(challenge),
        "groups": [(kind, label, groups.get(kind, [])) for kind, label in ResponseKind.choices],
        "response_count": len(responses),
        "can_manage": manager,
        "can_respond": taking_part and challenge.is_clinic_open,
        "may_take_part": taking_part,
        "response_form": response_form,
        "responding_cities": City.objects.filter(pk__in=cities).order_by("name") if len(cities) > 1 else [],
        "conclusion_form": conclusion_form,
        "invite_form": InviteForm() if manager and challenge.status != ChallengeStatus.CONCLUDED else None,
        "invitations": challenge.invitations.select_related("city").order_by("city__name") if manager else [],
        **(_practice_options(request, cities, str(selected or "")) if response_form is not None else {}),
    }


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    return render(request, "challenges/detail.html", _detail_context(request, challenge))


def practice_options(request: HttpRequest, slug: str) -> HttpResponse:
    """The practice picker's choices for the words typed (htmx), the same markup the page renders."""
    challenge = _challenge_or_404(request, slug)
    if not may_take_part(request.user, challenge):
        raise PermissionDenied
    context = _practice_options(request, responding_cities(request.user, challenge))
    return render(request, "challenges/_practice_picker.html#options", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not can_post(request.user):
        raise PermissionDenied
    city = City.objects.filter(slug=request.GET.get("city", "")).first()
    form = ChallengeForm(request.POST or None, user=request.user, initial={"city": city} if city else None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = post_challenge(request.user, form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The challenge is posted. The practices that answer it are below."))
            return redirect(challenge)
    return render(request, "challenges/form.html", {"form": form, "challenge": None})


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    if not challenge.editable_by(request.user):
        raise PermissionDenied
    form = ChallengeForm(request.POST or None, user=request.user, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            update_challenge(challenge, request.user, form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The challenge is saved."))
            return redirect(challenge)
    return render(request, "challenges/form.html", {"form": form, "challenge": challenge})


def _back(request: HttpRequest, challenge: Challenge, anchor: str = "clinic") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(f"{challenge.get_absolute_url()}#{anchor}")


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    if not may_take_part(request.user, challenge):
        raise PermissionDenied
    cities = responding_cities(request.user, challenge)
    form = ResponseForm(request.POST, city_ids=cities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            response = clinic.respond(
                challenge, request.user, data["kind"], data["text"], data["practice"], data["city"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your response is in the clinic. The city that asked has been told."))
            return redirect(f"{challenge.get_absolute_url()}#response-{response.pk}")
    return render(request, "challenges/detail.html", _detail_context(request, challenge, response_form=form))


@login_required
@require_POST
def second(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    response = get_object_or_404(
        ClinicResponse.objects.select_related("challenge"), pk=response_id, challenge=challenge
    )
    try:
        clinic.second(response, request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("You seconded this response."))
    return _back(request, challenge, f"response-{response.pk}")


@login_required
@require_POST
def helped(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    response = get_object_or_404(
        ClinicResponse.objects.select_related("challenge", "author"), pk=response_id, challenge=challenge
    )
    value = request.POST.get("helped", "true") != "false"
    try:
        clinic.mark_helped(response, request.user, value)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Marked as helpful.") if value else _("The mark is taken back."))
    return _back(request, challenge, f"response-{response.pk}")


@login_required
@require_POST
def clinic_status(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    action = request.POST.get("action")
    if action not in ("open", "close"):
        messages.error(request, _("Unknown action."))
        return _back(request, challenge)
    try:
        if action == "open":
            clinic.open_clinic(challenge, request.user)
            messages.success(request, _("The clinic is open: other cities can now respond."))
        else:
            clinic.close_clinic(challenge, request.user)
            messages.success(request, _("The clinic is closed."))
    except ValidationError as error:
        _report(request, error)
    return _back(request, challenge)


@login_required
@require_POST
def conclude(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge_or_404(request, slug)
    if not challenge.editable_by(request.user):
        raise PermissionDenied
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            clinic.conclude(
                challenge,
                request.user,
                form.cleaned_data["conclusion_obstacles"],
                form.cleaned_data["conclusion_ideas"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conclusion is saved; those who took part have been told."))
            return redirect(f"{challenge.get_absolute_url()}#conclusion")
    return render(request, "challenges/detail.html", _detail_context(request, challenge, conclusion_form=form))


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a city to the clinic (form field `city`: its slug); back to `next` when it is a local address."""
    challenge = _challenge_or_404(request, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return _back(request, challenge)
    city = form.cleaned_data["city"]
    try:
        clinic.invite_to_clinic(challenge, city, request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("%(city)s is invited to the clinic; its focal points have been told.") % {"city": city.name},
        )
    return _back(request, challenge)
