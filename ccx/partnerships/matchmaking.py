"""Peer matchmaking: which member cities a city should talk to, and why.

score = 0.45 × complement + 0.2 × same field + 0.2 × same region + 0.15 × similar size, where complement is
the best search score (0–1) of the peer's practices against the city's open challenges; plus 0.1 when a
city twinned with this one adapted one of the peer's practices (someone close has tried it). Every factor
that counts becomes a reason a person can read; "already twinned" is said, not scored (the tie exists
already). The candidates are all member cities; the search runs once per challenge (at most
MAX_CHALLENGES) over the practices led by member cities only.
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from ccx.accounts.permissions import AnyUser
from ccx.challenges.models import Challenge, ChallengeStatus
from ccx.cities.models import City
from ccx.partnerships.models import (
    LIVE_TIE_STATUSES,
    OPEN_STATUSES,
    PartnershipKind,
    PartnershipStatus,
    Party,
    TieState,
    Transfer,
    tie_state,
)
from ccx.practices.models import Practice
from ccx.search.matching import SIMILAR_SIZE, size_closeness
from ccx.search.service import rank_practices

WEIGHTS = {"complement": 0.45, "field": 0.2, "region": 0.2, "size": 0.15, "twin_adapted": 0.1}
MAX_CHALLENGES = 5


@dataclass
class Answer:
    practice: Practice
    challenge: Challenge
    score: float


@dataclass
class Suggestion:
    city: City
    score: float
    reasons: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    already_partners: bool = False
    twinning_state: str = ""  # a TieState when the two cities are twinned


@dataclass
class Ties:
    """What the city's existing ties say about its peers."""

    partners: set[int] = field(default_factory=set)
    twins: dict[int, str] = field(default_factory=dict)  # twin city → TieState
    adapted_by_twins: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # lead city → (twin, practice)


def open_challenges(city: City, user: AnyUser) -> list[Challenge]:
    return list(
        Challenge.objects.visible_to(user)
        .filter(city=city, status__in=[ChallengeStatus.OPEN, ChallengeStatus.CLINIC])
        .order_by("-updated_at")[:MAX_CHALLENGES]
    )


ANSWERS_CACHE_SECONDS = 3600


def complementary_answers(city: City, challenges: list[Challenge]) -> dict[int, list[Answer]]:
    """Practices of other member cities that answer the city's challenges, by the city that leads them.

    The search runs once per challenge; its hits are kept until a challenge or a member city's practice
    changes (both are in the cache key), since encoding long challenge texts is the slow part.
    """
    if not challenges:
        return {}
    candidates = Practice.objects.published().filter(lead_city__is_member=True).exclude(lead_city=city)
    state = candidates.aggregate(n=Count("pk"), last=Max("updated_at"))
    fingerprint = f"{city.pk}|{state}|" + "|".join(f"{c.pk}:{c.updated_at.isoformat()}" for c in challenges)
    key = "peer-answers:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    hits: list[tuple[int, int, float]] | None = cache.get(key)
    if hits is None:
        allowed = list(candidates.values_list("pk", flat=True))
        hits = [
            (hit.practice_id, challenge.pk, hit.score)
            for challenge in challenges
            for hit in rank_practices(challenge.matching_text(), allowed)
        ]
        cache.set(key, hits, ANSWERS_CACHE_SECONDS)
    practices = candidates.in_bulk([practice_id for practice_id, _challenge, _score in hits])
    by_pk = {challenge.pk: challenge for challenge in challenges}
    answers: dict[int, list[Answer]] = {}
    for practice_id, challenge_id, score in sorted(hits, key=lambda hit: -hit[2]):
        practice = practices.get(practice_id)
        if practice is None or practice.lead_city_id is None:
            continue
        answers.setdefault(practice.lead_city_id, []).append(Answer(practice, by_pk[challenge_id], score))
    return answers


WORKING_STATUSES = (*OPEN_STATUSES, PartnershipStatus.AGREED, PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED)


def cooperating_city_ids(city: City) -> set[int]:
    """Cities already in a live partnership (proposed on the platform or agreed) or a transfer with this city."""
    partnership_ids = (
        Party.objects.filter(city=city, partnership__status__in=WORKING_STATUSES)
        .exclude(partnership__kind=PartnershipKind.TWINNING)
        .values("partnership")
    )
    partners = set(
        Party.objects.filter(partnership__in=partnership_ids, city__isnull=False).values_list("city_id", flat=True)
    )
    transfers = Transfer.objects.filter(Q(from_city=city) | Q(to_city=city)).values_list("from_city_id", "to_city_id")
    partners |= {city_id for pair in transfers for city_id in pair if city_id}
    partners.discard(city.pk)
    return partners


def twinned_cities(city: City) -> dict[int, str]:
    """The cities twinned with this one (recorded or confirmed, not ended), with the state of each tie."""
    twinnings = Party.objects.filter(
        city=city, partnership__kind=PartnershipKind.TWINNING, partnership__status__in=LIVE_TIE_STATUSES
    ).values("partnership")
    rows = (
        Party.objects.filter(partnership__in=twinnings, city__isnull=False)
        .exclude(city=city)
        .values_list("city_id", "partnership__status")
    )
    twins: dict[int, str] = {}
    for city_id, status in rows:
        # Confirmed wins over recorded when two records tie the same cities.
        if twins.get(city_id) != TieState.CONFIRMED:
            twins[city_id] = tie_state(status)
    return twins


def city_ties(city: City) -> Ties:
    ties = Ties(partners=cooperating_city_ids(city), twins=twinned_cities(city))
    adapted = (
        Transfer.objects.visible_to(AnonymousUser())
        .filter(to_city__in=ties.twins, practice__lead_city__is_member=True)
        .exclude(practice__lead_city=city)
        .order_by("to_city__name", "practice__title")
        .values_list("practice__lead_city_id", "to_city__name", "practice__title")
    )
    for lead_city_id, twin_name, title in adapted:
        ties.adapted_by_twins.setdefault(lead_city_id, []).append((twin_name, title))
    return ties


def suggest_peers(city: City, user: AnyUser, limit: int = 12) -> list[Suggestion]:
    answers = complementary_answers(city, open_challenges(city, user))
    ties = city_ties(city)
    region = city.country.region if city.country else ""
    suggestions = []
    for peer in City.objects.members().exclude(pk=city.pk).select_related("country", "field"):
        suggestion = _suggestion(city, peer, region, answers.get(peer.pk, []), ties)
        if suggestion.score > 0:
            suggestion.already_partners = peer.pk in ties.partners
            suggestion.twinning_state = ties.twins.get(peer.pk, "")
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.city.name))
    return suggestions[:limit]


def _suggestion(city: City, peer: City, region: str, answers: list[Answer], ties: Ties) -> Suggestion:
    suggestion = Suggestion(peer, 0.0, answers=answers[:3])
    if peer.pk in ties.twins:
        suggestion.reasons.append(
            _("already twinned (confirmed by the cities)")
            if ties.twins[peer.pk] == TieState.CONFIRMED
            else _("already twinned (recorded in Wikidata, unconfirmed)")
        )
    adapted = ties.adapted_by_twins.get(peer.pk, [])
    if adapted:
        suggestion.score += WEIGHTS["twin_adapted"]
        for twin, practice in adapted[:2]:
            suggestion.reasons.append(
                _("twinned with a city that adapted this practice: your twin %(twin)s adapted their “%(practice)s”")
                % {"twin": twin, "practice": practice}
            )
    if answers:
        suggestion.score += WEIGHTS["complement"] * answers[0].score
        for answer in answers[:2]:
            suggestion.reasons.append(
                _("their practice “%(practice)s” answers your challenge “%(challenge)s”")
                % {"practice": answer.practice.title, "challenge": answer.challenge.title}
            )
    if city.field_id and peer.field_id == city.field_id and peer.field is not None:
        suggestion.score += WEIGHTS["field"]
        suggestion.reasons.append(_("same creative field: %(field)s") % {"field": peer.field.localized_name})
    if region and peer.country is not None and peer.country.region == region:
        suggestion.score += WEIGHTS["region"]
        suggestion.reasons.append(_("in the same region (%(region)s)") % {"region": peer.country.get_region_display()})
    closeness = size_closeness(city, peer)
    if closeness is not None and closeness >= SIMILAR_SIZE:
        suggestion.score += WEIGHTS["size"] * closeness
        suggestion.reasons.append(
            _("a city of similar size (%(population)s inhabitants)") % {"population": f"{peer.population:,}"}
        )
    # Field or size alone is too weak a reason to suggest a city out of 350; being twinned is no reason
    # to suggest it either (the tie exists already).
    weighed = len(suggestion.reasons) - (1 if peer.pk in ties.twins else 0)
    if not answers and weighed < 2:
        suggestion.score = 0.0
    suggestion.score = round(suggestion.score, 4)
    return suggestion
