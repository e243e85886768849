"""Partnerships over HTTP (transfers: api/transfers.py; the network: api/network.py).

Reading follows the site's visibility (proposals are seen by their parties only); writing needs a
signed-in session and goes through the same domain functions as the pages.
"""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.accounts.models import Organisation
from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import Converted, pages
from ccx.api.schemas import OrganisationName, Slug, limited, one_of
from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.core.errors import InvalidRequest
from ccx.core.filters import FilterError
from ccx.core.people import is_member
from ccx.core.validation import merge, messages, phrased
from ccx.partnerships import twinnings, workflow
from ccx.partnerships.models import (
    Framework,
    Milestone,
    Partnership,
    PartnershipEvent,
    PartnershipKind,
    PartnershipStatus,
    TieState,
)
from ccx.partnerships.validation import terms_problems
from ccx.practices.models import Practice

router = Router(tags=["cooperation"])


class PartyOut(Schema):
    id: int
    city: str | None = Field(description="City slug, for a city party")
    organisation: str | None = Field(description="Organisation name, for an organisation party")
    is_proposer: bool
    confirmed_at: datetime | None


class MilestoneOut(Schema):
    due_on: date
    title: str
    done_on: date | None


class PartnershipEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str | None
    party: str | None
    comment: str
    created_at: datetime


class PartnershipOut(Schema):
    slug: str
    title: str
    kind: str
    status: str
    framework: str
    goals: str
    description: str
    start_date: date | None
    end_date: date | None
    state: str = Field(description="For public ties: recorded (unconfirmed), confirmed or ended; empty for proposals")
    source: str = Field(description="platform, or wikidata-p190 for a tie recorded from public sources")
    source_reference: str = Field(description="The Wikidata items of the record, for a tie from public sources")
    start_year: int | None
    end_year: int | None
    created_at: datetime
    agreed_at: datetime | None
    parties: list[PartyOut]
    milestones: list[MilestoneOut]
    practices: list[str]
    challenges: list[str]
    history: list[PartnershipEventOut]


def partnership_out(partnership: Partnership, user: object) -> PartnershipOut:
    return PartnershipOut(
        slug=partnership.slug,
        title=partnership.title,
        kind=partnership.kind,
        status=partnership.status,
        framework=partnership.framework_name,
        goals=partnership.goals,
        description=partnership.description,
        start_date=partnership.start_date,
        end_date=partnership.end_date,
        state=partnership.tie_state,
        source=partnership.source,
        source_reference=partnership.source_reference,
        start_year=partnership.start_year,
        end_year=partnership.end_year,
        created_at=partnership.created_at,
        agreed_at=partnership.agreed_at,
        parties=[
            PartyOut(
                id=party.pk,
                city=party.city.slug if party.city else None,
                organisation=party.organisation.name if party.organisation else None,
                is_proposer=party.is_proposer,
                confirmed_at=party.confirmed_at,
            )
            for party in partnership.parties.all()
        ],
        milestones=[
            MilestoneOut(due_on=m.due_on, title=m.title, done_on=m.done_on) for m in partnership.milestones.all()
        ],
        practices=[p.slug for p in partnership.practices.all()],
        challenges=[c.slug for c in partnership.challenges.all() if c.visibility == "public" or is_member(user)],
        history=[
            PartnershipEventOut(
                action=event.action,
                from_status=event.from_status,
                to_status=event.to_status,
                actor=event.actor.display_name if event.actor else None,
                party=event.party.name if event.party else None,
                comment=event.comment,
                created_at=event.created_at,
            )
            for event in partnership.events.all()
        ],
    )


class PartnershipQuery(Schema):
    status: str = Field(
        "", description="proposed, in_discussion, agreed, active, completed, declined, withdrawn, recorded or ended"
    )
    kind: str = Field("", description="mou, joint_project, twinning, knowledge_exchange, study_visit or co_production")
    state: str = Field("", description="recorded (from public sources, unconfirmed), confirmed or ended")
    city: str = Field("", description="Slug of a party city")
    member_only: bool = Field(False, description="Only ties whose cities are all members of the network")


PREFETCH = (
    "parties__city",
    "parties__organisation",
    "milestones",
    "practices",
    "challenges",
    "events__actor",
    "events__party__city",
    "events__party__organisation",
)


@router.get("/partnerships", response={200: list[PartnershipOut], **errors(422)}, summary="Partnerships you may see")
@paginate(pages(20))
def partnership_list(request: HttpRequest, query: Query[PartnershipQuery]) -> Converted[Partnership]:
    status, city = query.status, query.city
    if status and status not in PartnershipStatus.values:
        raise FilterError(f"Unknown status '{status}'.")
    if query.kind and query.kind not in PartnershipKind.values:
        raise FilterError(f"Unknown kind '{query.kind}'.")
    if query.state and query.state not in TieState.values:
        raise FilterError(f"Unknown state '{query.state}' (recorded, confirmed or ended).")
    partnerships = Partnership.objects.visible_to(request.user)
    if status:
        partnerships = partnerships.filter(status=status)
    if query.kind:
        partnerships = partnerships.filter(kind=query.kind)
    if query.state:
        partnerships = partnerships.in_state(query.state)
    if city:
        partnerships = partnerships.filter(parties__city__slug=city)
    if query.member_only:
        partnerships = partnerships.exclude(parties__city__is_member=False)
    partnerships = partnerships.distinct().select_related("framework")
    return Converted(partnerships.prefetch_related(*PREFETCH), lambda p: partnership_out(p, request.user))


def _visible(request: HttpRequest, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.select_related("framework"), slug=slug)
    if not partnership.is_visible_to(request.user):
        raise Http404
    return partnership


@router.get("/partnerships/{slug}", response={200: PartnershipOut, **errors(404)}, summary="One partnership")
def partnership_detail(request: HttpRequest, slug: str) -> PartnershipOut:
    return partnership_out(_visible(request, slug), request.user)


class MilestoneIn(Schema):
    due_on: date
    title: str = limited(Milestone, "title", ...)


class TermsIn(Schema):
    title: str = limited(Partnership, "title", ...)
    kind: str = Field(description="The type of partnership", json_schema_extra=one_of(PartnershipKind.values))
    goals: str = limited(Partnership, "goals", ...)
    description: str = limited(Partnership, "description", "")
    framework: str = limited(Framework, "name", "", description="Name of a framework in the managed list")
    framework_other: str = limited(Partnership, "framework_other", "")
    start_date: date | None = None
    end_date: date | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list)
    practices: list[Slug] = Field(default_factory=list, description="Slugs of published practices")
    challenges: list[Slug] = Field(default_factory=list, description="Slugs of challenges")


class ProposalIn(TermsIn):
    proposer_city: str = limited(
        City, "slug", "", description="Slug of your city (or leave empty and give proposer_organisation)"
    )
    proposer_organisation: str = limited(Organisation, "name", "", description="Name of your organisation")
    cities: list[Slug] = Field(default_factory=list, description="Slugs of the partner cities")
    organisations: list[OrganisationName] = Field(default_factory=list, description="Names of partner organisations")


# The terms validator's rules (partnerships/validation.py), phrased for an API client.
API_MESSAGES = {"unknown_kind": "Unknown kind '%(value)s'."}


def _terms(request: HttpRequest, payload: TermsIn) -> tuple[workflow.Terms, dict[str, list[str]]]:
    """The terms, and their problems by field: the validator's, then the names that match no record."""
    framework = Framework.objects.filter(name=payload.framework).first() if payload.framework else None
    practices = {p.slug: p for p in Practice.objects.published().filter(slug__in=payload.practices)}
    challenges = {c.slug: c for c in Challenge.objects.visible_to(request.user).filter(slug__in=payload.challenges)}
    terms = workflow.Terms(
        title=payload.title,
        kind=payload.kind,
        goals=payload.goals,
        description=payload.description,
        framework=framework,
        framework_other=payload.framework_other,
        start_date=payload.start_date,
        end_date=payload.end_date,
        milestones=[(m.due_on, m.title) for m in payload.milestones],
        practices=list(practices.values()),
        challenges=list(challenges.values()),
    )
    problems = messages(phrased(terms_problems(terms.values()), API_MESSAGES))
    if payload.framework and framework is None:
        problems.setdefault("framework", []).append(
            f"Unknown framework '{payload.framework}' (use framework_other for one not in the list)."
        )
    unknown = {
        "practices": [f"No published practice '{slug}'." for slug in payload.practices if slug not in practices],
        "challenges": [f"No challenge '{slug}'." for slug in payload.challenges if slug not in challenges],
    }
    return terms, merge(problems, unknown)


def _proposer(payload: ProposalIn) -> City | Organisation | None:
    if payload.proposer_city:
        return City.objects.filter(slug=payload.proposer_city).first()
    if payload.proposer_organisation:
        return Organisation.objects.filter(name=payload.proposer_organisation).first()
    return None


@router.post(
    "/partnerships",
    auth=signed_in,
    response={201: PartnershipOut, **errors(403, 422)},
    summary="Propose a partnership (focal points for their city, members for their organisation)",
)
def propose(request: HttpRequest, payload: ProposalIn) -> tuple[int, object]:
    terms, problems = _terms(request, payload)
    cities = {c.slug: c for c in City.objects.filter(slug__in=payload.cities)}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=payload.organisations)}
    unknown = {
        "cities": [f"No city '{slug}'." for slug in payload.cities if slug not in cities],
        "organisations": [f"No organisation '{name}'." for name in payload.organisations if name not in organisations],
    }
    merge(problems, unknown)
    proposer = _proposer(payload)
    if proposer is None:
        problems.setdefault("proposer_city", []).append(
            "Name the party you propose for: proposer_city or proposer_organisation."
        )
    if problems or proposer is None:
        raise workflow.InvalidTerms.by_field(problems)
    partnership = workflow.propose(
        request.user, terms, proposer=proposer, cities=list(cities.values()), organisations=list(organisations.values())
    )
    return 201, partnership_out(partnership, request.user)


class StepIn(Schema):
    action: str = Field(
        description="The step to take", json_schema_extra=one_of(["confirm", "discuss", *workflow.ACTIONS])
    )
    party: int | None = Field(None, description="For confirm: the id of the party you confirm for")
    comment: str = limited(PartnershipEvent, "comment", "")


@router.post(
    "/partnerships/{slug}/steps",
    auth=signed_in,
    response={200: PartnershipOut, **errors(403, 404, 409, 422)},
    summary="Take a step in a partnership's life cycle (agreed follows from every party's confirmation)",
)
def step(request: HttpRequest, slug: str, payload: StepIn) -> tuple[int, object]:
    partnership = _visible(request, slug)
    if payload.action == "confirm":
        party = partnership.parties.filter(pk=payload.party).first() if payload.party else None
        if party is None:
            raise InvalidRequest("Give the id of the party you confirm for (see parties).")
        workflow.confirm(partnership, party, request.user, payload.comment)
    elif payload.action in workflow.ACTIONS:
        workflow.ACTIONS[payload.action](partnership, request.user, payload.comment)
    else:
        raise InvalidRequest(f"Unknown action '{payload.action}'.")
    partnership.refresh_from_db()
    return 200, partnership_out(partnership, request.user)


class RecordStepIn(Schema):
    action: str = Field(description="The step to take", json_schema_extra=one_of(["confirm", "correct", "end"]))
    start_year: int | None = Field(None, description="confirm, correct: the year the tie began")
    end_year: int | None = Field(None, description="end, correct (of an ended tie): the year it ended")
    kind: str = Field(
        "", description="correct: the type of tie", json_schema_extra=one_of(["", *PartnershipKind.values])
    )
    description: str = limited(Partnership, "description", "", description="correct: a note on the record")
    comment: str = limited(PartnershipEvent, "comment", "")


@router.post(
    "/partnerships/{slug}/record",
    auth=signed_in,
    response={200: PartnershipOut, **errors(403, 404, 409, 422)},
    summary="Confirm, correct or end a tie recorded from public sources (focal points of its cities, the secretariat)",
)
def record_step(request: HttpRequest, slug: str, payload: RecordStepIn) -> tuple[int, object]:
    partnership = _visible(request, slug)
    if payload.action == "confirm":
        twinnings.confirm_twinning(partnership, request.user, start_year=payload.start_year, comment=payload.comment)
    elif payload.action == "correct":
        # What the call does not name stays as it is.
        given = payload.model_fields_set
        twinnings.correct_twinning(
            partnership,
            request.user,
            kind=payload.kind if "kind" in given else partnership.kind,
            start_year=payload.start_year if "start_year" in given else partnership.start_year,
            end_year=payload.end_year if "end_year" in given else partnership.end_year,
            description=payload.description if "description" in given else partnership.description,
            comment=payload.comment,
        )
    elif payload.action == "end":
        twinnings.end_twinning(partnership, request.user, end_year=payload.end_year, comment=payload.comment)
    else:
        raise InvalidRequest(f"Unknown action '{payload.action}' (confirm, correct or end).")
    partnership.refresh_from_db()
    return 200, partnership_out(partnership, request.user)


@router.put(
    "/partnerships/{slug}/terms",
    auth=signed_in,
    response={200: PartnershipOut, **errors(403, 404, 409, 422)},
    summary="Change the terms (every other party then confirms again)",
)
def amend(request: HttpRequest, slug: str, payload: TermsIn) -> tuple[int, object]:
    partnership = _visible(request, slug)
    terms, problems = _terms(request, payload)
    if problems:
        raise workflow.InvalidTerms.by_field(problems)
    workflow.amend(partnership, request.user, terms)
    partnership.refresh_from_db()
    return 200, partnership_out(partnership, request.user)
