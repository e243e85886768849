"""Challenges and case clinics over HTTP: the same filters, visibility and domain functions as the pages.

Reading is open to all, with the visibility of the pages (anonymous callers see public challenges only);
writing needs a signed-in session, and the domain functions decide who may do what (403 otherwise).
"""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.matching import MatchResultOut, match_result_out
from ccx.api.pagination import MAX_LIMIT, Converted, pages
from ccx.api.schemas import Slug, limited
from ccx.challenges import clinic
from ccx.challenges.browse import filter_challenges, parse_filters
from ccx.challenges.models import Challenge, ClinicResponse
from ccx.challenges.services import MAX_OBSTACLE_LENGTH, TEXT_FIELDS, matches_for, post_challenge, update_challenge
from ccx.cities.models import City
from ccx.practices.models import Practice, Theme
from ccx.sdg.models import Goal

router = Router(tags=["challenges"])


class ChallengeQuery(Schema):
    status: list[str] = Field(default_factory=list, description="open, clinic (open case clinics), concluded, closed")
    theme: list[str] = Field(default_factory=list, description="Theme slug(s)")
    sdg: list[str] = Field(default_factory=list, description="SDG goal number(s)")
    region: list[str] = Field(default_factory=list, description="Continent code(s)")
    country: list[str] = Field(default_factory=list, description="ISO alpha-2 code(s)")
    language: list[str] = Field(default_factory=list, description="Language code(s) of the texts")
    city: str = Field("", description="Slug of the challenge's city")
    q: str = Field("", description="Words in the title, texts or place")


class ChallengeSummary(Schema):
    slug: str
    title: str
    statement: str
    language: str
    visibility: str
    status: str
    city: str | None
    country: str | None
    place_name: str
    themes: list[str]
    sdg_goals: list[int]
    created_at: str
    url: str


class ChallengeOut(ChallengeSummary):
    context: str
    obstacles: list[str]
    goals: str
    budget_band: str
    time_frame_months: int | None
    conclusion_obstacles: str
    conclusion_ideas: str
    concluded_at: str | None
    source_name: str
    source_url: str
    attribution: str
    updated_at: str


class ChallengeIn(Schema):
    """Every field is optional on update; `city`, `title` and `statement` are required on create."""

    city: str | None = limited(City, "slug", description="Slug of the city that meets the challenge")
    title: str | None = Field(None, max_length=TEXT_FIELDS["title"])
    statement: str | None = Field(None, max_length=TEXT_FIELDS["statement"])
    context: str | None = Field(None, max_length=TEXT_FIELDS["context"])
    obstacles: list[Annotated[str, Field(max_length=MAX_OBSTACLE_LENGTH)]] | None = None
    goals: str | None = Field(None, max_length=TEXT_FIELDS["goals"])
    budget_band: str | None = limited(
        Challenge, "budget_band", description="under_10k, 10k_100k, 100k_1m, over_1m or empty"
    )
    time_frame_months: int | None = None
    themes: list[Slug] | None = Field(None, description="Theme slugs")
    sdg_goals: list[Annotated[int, Field(ge=1, le=17)]] | None = Field(None, description="SDG goal numbers")
    language: str | None = limited(Challenge, "language")
    visibility: str | None = limited(Challenge, "visibility", description="network (signed-in members) or public")


class ResponseOut(Schema):
    id: int
    kind: str
    text: str
    author: str
    city: str | None
    practice: str | None
    helped: bool
    seconds: int
    created_at: str


class ResponseIn(Schema):
    kind: str = limited(ClinicResponse, "kind", ..., description="obstacle, practice or advice")
    text: str = Field(max_length=clinic.MAX_RESPONSE_LENGTH)
    practice: str | None = limited(Practice, "slug", description="Slug of a published practice (for kind practice)")
    city: str | None = limited(
        City, "slug", description="Slug of the city you respond for, when you are focal point of several"
    )


class ClinicAction(Schema):
    action: str = Field(description="open or close", max_length=20)


class HelpedIn(Schema):
    helped: bool = True


class ConclusionIn(Schema):
    key_obstacles: str = Field(max_length=clinic.MAX_CONCLUSION_LENGTH)
    ideas: str = Field(max_length=clinic.MAX_CONCLUSION_LENGTH)


class InvitationIn(Schema):
    city: str = limited(City, "slug", ..., description="Slug of the member city to invite")


class InvitationOut(Schema):
    challenge: str
    city: str
    created_at: str


class SecondOut(Schema):
    response: int
    seconds: int


def summary_of(challenge: Challenge) -> ChallengeSummary:
    return ChallengeSummary(
        slug=challenge.slug,
        title=challenge.title,
        statement=challenge.statement,
        language=challenge.language,
        visibility=challenge.visibility,
        status=challenge.status,
        city=challenge.city.slug if challenge.city else None,
        country=challenge.country.code if challenge.country else None,
        place_name=challenge.place_name,
        themes=[theme.slug for theme in challenge.themes.all()],
        sdg_goals=[goal.number for goal in challenge.sdg_goals.all()],
        created_at=challenge.created_at.isoformat(),
        url=challenge.get_absolute_url(),
    )


def detail_of(challenge: Challenge) -> ChallengeOut:
    return ChallengeOut(
        **summary_of(challenge).model_dump(),
        context=challenge.context,
        obstacles=challenge.obstacles,
        goals=challenge.goals,
        budget_band=challenge.budget_band,
        time_frame_months=challenge.time_frame_months,
        conclusion_obstacles=challenge.conclusion_obstacles,
        conclusion_ideas=challenge.conclusion_ideas,
        concluded_at=challenge.concluded_at.isoformat() if challenge.concluded_at else None,
        source_name=challenge.source_name,
        source_url=challenge.source_url,
        attribution=challenge.attribution,
        updated_at=challenge.updated_at.isoformat(),
    )


def response_of(response: ClinicResponse) -> ResponseOut:
    return ResponseOut(
        id=response.pk,
        kind=response.kind,
        text=response.text,
        author=response.author.display_name,
        city=response.city.slug if response.city else None,
        practice=response.practice.slug if response.practice else None,
        helped=response.helped,
        seconds=getattr(response, "second_count", None) or response.seconds.count(),
        created_at=response.created_at.isoformat(),
    )


def _visible(request: HttpRequest, slug: str) -> Challenge:
    """The challenge, or 404 when it does not exist or the caller may not see it."""
    challenge = get_object_or_404(Challenge.objects.select_related("city", "country", "owner"), slug=slug)
    if not challenge.is_visible_to(request.user):
        raise Http404
    return challenge


@router.get("/challenges", response={200: list[ChallengeSummary], **errors(422)}, summary="Challenges, filtered")
@paginate(pages(20))
def list_challenges(request: HttpRequest, query: Query[ChallengeQuery]) -> Converted[Challenge]:
    params: dict[str, list[str]] = {
        name: getattr(query, name) for name in ("status", "theme", "sdg", "region", "country", "language")
    }
    params |= {"q": [query.q], "city": [query.city]}
    filters = parse_filters(params, strict=True)
    challenges = filter_challenges(Challenge.objects.visible_to(request.user), filters)
    return Converted(challenges.select_related("city", "country").prefetch_related("themes", "sdg_goals"), summary_of)


@router.get("/challenges/{slug}", response={200: ChallengeOut, **errors(404)}, summary="One challenge")
def get_challenge(request: HttpRequest, slug: str) -> tuple[int, object]:
    return 200, detail_of(_visible(request, slug))


@router.get(
    "/challenges/{slug}/matches",
    response={200: MatchResultOut, **errors(404)},
    summary="The practices that answer a challenge, with reasons, and the peer cities to talk to",
)
def get_matches(request: HttpRequest, slug: str) -> tuple[int, object]:
    return 200, match_result_out(matches_for(_visible(request, slug)))


def _values(payload: ChallengeIn) -> dict[str, Any]:
    """Domain values from the payload (slugs and numbers looked up); ValidationError names unknown references."""
    data = payload.model_dump(exclude_unset=True)
    problems: dict[str, str] = {}
    values = {
        name: data[name]
        for name in (
            "title", "statement", "context", "obstacles", "goals", "budget_band", "time_frame_months", "language",
            "visibility",
        )
        if name in data
    }  # fmt: skip
    for name in ("title", "statement", "context", "goals", "budget_band", "language", "visibility"):
        if name in values and values[name] is None:
            values[name] = ""
    if "city" in data:
        city = City.objects.filter(slug=data["city"] or "").first()
        if city is None:
            problems["city"] = f"Unknown city '{data['city']}'."
        values["city"] = city
    for name, model, key in (("themes", Theme, "slug"), ("sdg_goals", Goal, "number")):
        if name in data:
            wanted = data[name] or []
            found = dict(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, "pk"))
            missing = [str(value) for value in wanted if value not in found]
            if missing:
                problems[name] = f"Unknown: {', '.join(missing)}."
            values[name] = sorted(found.values())
    if problems:
        raise ValidationError(problems)
    return values


@router.post(
    "/challenges",
    auth=signed_in,
    response={201: ChallengeOut, **errors(403, 422)},
    summary="Post a challenge (focal points for their own city, the secretariat for any)",
)
def create(request: HttpRequest, payload: ChallengeIn) -> tuple[int, object]:
    challenge = post_challenge(request.user, _values(payload))
    return 201, detail_of(challenge)


@router.patch(
    "/challenges/{slug}",
    auth=signed_in,
    response={200: ChallengeOut, **errors(403, 404, 422)},
    summary="Change a challenge (its city's focal points and the secretariat)",
)
def update(request: HttpRequest, slug: str, payload: ChallengeIn) -> tuple[int, object]:
    challenge = _visible(request, slug)
    update_challenge(challenge, request.user, _values(payload))
    return 200, detail_of(_visible(request, slug))


@router.post(
    "/challenges/{slug}/clinic",
    auth=signed_in,
    response={200: ChallengeOut, **errors(403, 404, 422)},
    summary="Open the challenge as a case clinic, or close it (its city's focal points and the secretariat)",
)
def clinic_status(request: HttpRequest, slug: str, payload: ClinicAction) -> tuple[int, object]:
    challenge = _visible(request, slug)
    actions = {"open": clinic.open_clinic, "close": clinic.close_clinic}
    if payload.action not in actions:
        raise ValidationError({"action": "Use open or close."})
    actions[payload.action](challenge, request.user)
    return 200, detail_of(_visible(request, slug))


@router.get(
    "/challenges/{slug}/responses",
    response={200: list[ResponseOut], **errors(404)},
    summary="The responses of a case clinic",
)
@paginate(pages(MAX_LIMIT))
def list_responses(request: HttpRequest, slug: str) -> Converted[ClinicResponse]:
    challenge = _visible(request, slug)
    responses = (
        challenge.responses.select_related("author", "city", "practice")
        .annotate(second_count=Count("seconds"))
        .order_by("created_at", "pk")
    )
    return Converted(responses, response_of)


@router.post(
    "/challenges/{slug}/responses",
    auth=signed_in,
    response={201: ResponseOut, **errors(403, 404, 422)},
    summary="Respond in an open clinic (focal points of other cities and the secretariat)",
)
def respond(request: HttpRequest, slug: str, payload: ResponseIn) -> tuple[int, object]:
    challenge = _visible(request, slug)
    problems: dict[str, str] = {}
    practice = None
    if payload.practice:
        practice = Practice.objects.published().filter(slug=payload.practice).first()
        if practice is None:
            problems["practice"] = f"No published practice '{payload.practice}'."
    city = None
    if payload.city:
        city = City.objects.filter(slug=payload.city).first()
        if city is None:
            problems["city"] = f"Unknown city '{payload.city}'."
    if problems:
        raise ValidationError(problems)
    response = clinic.respond(challenge, request.user, payload.kind, payload.text, practice, city)
    return 201, response_of(response)


def _response(challenge: Challenge, response_id: int) -> ClinicResponse:
    return get_object_or_404(
        ClinicResponse.objects.select_related("challenge", "author", "city", "practice"),
        pk=response_id,
        challenge=challenge,
    )


@router.post(
    "/challenges/{slug}/responses/{response_id}/seconds",
    auth=signed_in,
    response={201: SecondOut, **errors(403, 404, 422)},
    summary="Second a response (once, never one's own)",
)
def second(request: HttpRequest, slug: str, response_id: int) -> tuple[int, object]:
    response = _response(_visible(request, slug), response_id)
    clinic.second(response, request.user)
    return 201, SecondOut(response=response.pk, seconds=response.seconds.count())


@router.put(
    "/challenges/{slug}/responses/{response_id}/helped",
    auth=signed_in,
    response={200: ResponseOut, **errors(403, 404, 422)},
    summary="Mark a response as one that helped, or take the mark back (the challenge's city)",
)
def helped(request: HttpRequest, slug: str, response_id: int, payload: HelpedIn) -> tuple[int, object]:
    response = _response(_visible(request, slug), response_id)
    clinic.mark_helped(response, request.user, payload.helped)
    return 200, response_of(response)


@router.put(
    "/challenges/{slug}/conclusion",
    auth=signed_in,
    response={200: ChallengeOut, **errors(403, 404, 422)},
    summary="Write or correct the clinic's conclusion: the key obstacles and the ideas to try",
)
def conclude(request: HttpRequest, slug: str, payload: ConclusionIn) -> tuple[int, object]:
    challenge = _visible(request, slug)
    clinic.conclude(challenge, request.user, payload.key_obstacles, payload.ideas)
    return 200, detail_of(_visible(request, slug))


@router.post(
    "/challenges/{slug}/invitations",
    auth=signed_in,
    response={201: InvitationOut, **errors(403, 404, 422)},
    summary="Invite a member city to the clinic (opens it when needed; inviting twice changes nothing)",
)
def invite(request: HttpRequest, slug: str, payload: InvitationIn) -> tuple[int, object]:
    challenge = _visible(request, slug)
    city = City.objects.members().filter(slug=payload.city).first()
    if city is None:
        raise ValidationError({"city": "Unknown."})
    invitation = clinic.invite_to_clinic(challenge, city, request.user)
    return 201, InvitationOut(challenge=challenge.slug, city=city.slug, created_at=invitation.created_at.isoformat())
