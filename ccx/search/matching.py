"""Challenge → transferable solutions: practices of other cities ranked by how well they would transfer, with reasons.

transferability = 0.65 × relevance + 0.35 × context, where relevance is the search engine's fused score
(0–1 within the candidates) and context averages what makes a transfer likelier: a city of similar size,
the same region, the same creative field, evidence of results, a budget that fits, shared themes, and
earlier successful adaptations. Every factor that counts becomes a reason a person can read.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccx.cities.models import City
from ccx.core.errors import InvalidRequest
from ccx.core.markdown import markdown_to_text
from ccx.core.words import word_count
from ccx.practices.models import BudgetBand, Practice, Stage
from ccx.search.service import highlight, query_language, rank_practices

RELEVANCE_WEIGHT = 0.65
CANDIDATES = 60
BUDGET_ORDER = [band.value for band in BudgetBand]


# A challenge is told in a few paragraphs. Matching costs CPU in proportion to the text, so a longer one is
# refused: one request must never occupy a server process for long.
MAX_TEXT = 5000


class MatchingError(InvalidRequest):
    """The challenge cannot be matched as given; the message is for a person to read."""


@dataclass(frozen=True)
class Challenge:
    text: str
    city: City | None = None
    budget_band: str = ""
    months: int | None = None
    themes: tuple[str, ...] = ()


@dataclass
class Match:
    practice: Practice
    score: float
    relevance: float
    context: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class Peer:
    city: City
    score: float
    practices: list[Practice]
    reasons: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    matches: list[Match]
    peers: list[Peer]
    language: str = ""  # the language the challenge was read as ("" when it could not be told)


def validate(challenge: Challenge) -> None:
    if len(challenge.text) > MAX_TEXT:
        raise MatchingError(
            _("Describe the challenge in at most %(limit)s characters (this text has %(length)s).")
            % {"limit": MAX_TEXT, "length": len(challenge.text)}
        )
    if word_count(challenge.text) < 3:  # a Chinese or Japanese challenge has no spaces to count words by
        raise MatchingError(_("Describe the challenge in a few words at least."))
    if challenge.budget_band and challenge.budget_band not in BUDGET_ORDER:
        raise MatchingError(_("Unknown budget band '%(band)s'.") % {"band": challenge.budget_band})


def match_challenge(challenge: Challenge, k: int = 10) -> MatchResult:
    validate(challenge)
    published = Practice.objects.published()
    if challenge.city is not None:
        published = published.exclude(lead_city=challenge.city)
    language = query_language(challenge.text)
    ranked = rank_practices(challenge.text, published.values_list("pk", flat=True), k=CANDIDATES, language=language)
    practices = {
        p.pk: p
        for p in published.filter(pk__in=[r.practice_id for r in ranked])
        .select_related("lead_city__country", "lead_city__field", "country")
        .prefetch_related("fields", "themes", "translations")
        .annotate(
            adaptation_count=Count("adaptations", filter=Q(adaptations__status="published"), distinct=True),
            indicator_count=Count("indicators", distinct=True),
        )
    }
    matches = []
    for hit in ranked:
        practice = practices.get(hit.practice_id)
        if practice is None:
            continue
        context, reasons = _context(practice, challenge)
        score = RELEVANCE_WEIGHT * hit.score + (1 - RELEVANCE_WEIGHT) * context
        matches.append(Match(practice, round(score, 4), round(hit.score, 4), round(context, 4), reasons))
    matches.sort(key=lambda match: (-match.score, match.practice.pk))
    for match in matches[:k]:  # the passage that answers the challenge, for the results shown only
        found = highlight(match.practice, challenge.text, language)
        if found.text:
            passage = markdown_to_text(found.text).strip(" …")[:220]  # quoted as words, not as "### …" source
            match.reasons.insert(0, _("addresses the same problem: “%(passage)s”") % {"passage": passage})
    return MatchResult(matches[:k], _peers(matches, challenge), language)


SIMILAR_SIZE = 0.6  # closeness on a log scale: 1 = same population, 0 = 1.5 orders of magnitude apart


def size_closeness(a: City, b: City) -> float | None:
    """How alike two cities are in population (1 the same, 0 at 1.5 orders of magnitude apart); None if unknown."""
    if not (a.population and b.population):
        return None
    return max(0.0, 1 - abs(math.log10(a.population) - math.log10(b.population)) / 1.5)


def _context(practice: Practice, challenge: Challenge) -> tuple[float, list[str]]:
    factors: list[float] = []
    reasons: list[str] = []
    city, asking = practice.lead_city, challenge.city
    closeness = size_closeness(city, asking) if asking is not None and city is not None else None
    if closeness is not None and city is not None:
        factors.append(closeness)
        if closeness >= SIMILAR_SIZE:
            reasons.append(_("a city of similar size (%(theirs)s inhabitants)") % {"theirs": f"{city.population:,}"})
    practice_region = practice.country.region if practice.country else ""
    if asking is not None and asking.country is not None and practice_region:
        same_region = practice_region == asking.country.region
        factors.append(1.0 if same_region else 0.0)
        if same_region:
            reasons.append(_("in the same region (%(region)s)") % {"region": asking.country.get_region_display()})
    if asking is not None and asking.field_id is not None:
        fields = {f.pk for f in practice.fields.all()} | ({city.field_id} if city and city.field_id else set())
        shared = asking.field_id in fields
        factors.append(1.0 if shared else 0.0)
        if shared and asking.field is not None:
            reasons.append(_("same creative field: %(field)s") % {"field": asking.field.localized_name})
    evidence = 0.0
    indicator_count = getattr(practice, "indicator_count", 0)
    if indicator_count:
        evidence = 1.0
        reasons.append(
            ngettext("reports %(count)s measured result", "reports %(count)s measured results", indicator_count)
            % {"count": indicator_count}
        )
    elif practice.results.strip():
        evidence = 0.6
        reasons.append(_("reports its results"))
    if practice.stage in (Stage.IMPLEMENTED, Stage.SCALED):
        evidence = max(evidence, 0.5)
    factors.append(evidence)
    if challenge.budget_band and practice.budget_band:
        fits = BUDGET_ORDER.index(practice.budget_band) <= BUDGET_ORDER.index(challenge.budget_band)
        factors.append(1.0 if fits else 0.0)
        label = BudgetBand(practice.budget_band).label
        reasons.append(
            (_("fits your budget (%(band)s)") if fits else _("needs a larger budget (%(band)s)")) % {"band": label}
        )
    if challenge.months and practice.start_date and practice.end_date:
        months = max(1, round((practice.end_date - practice.start_date).days / 30.4))
        fits = months <= challenge.months
        factors.append(1.0 if fits else 0.0)
        reasons.append(
            (
                _("took %(months)s months: fits your time frame")
                if fits
                else _("took %(months)s months: longer than your time frame")
            )
            % {"months": months}
        )
    if challenge.themes:
        shared_themes = sorted({t.slug for t in practice.themes.all()} & set(challenge.themes))
        factors.append(len(shared_themes) / len(challenge.themes))
        if shared_themes:
            names = ", ".join(_(t.name) for t in practice.themes.all() if t.slug in shared_themes)
            reasons.append(_("shares your themes: %(themes)s") % {"themes": names})
    adaptations = getattr(practice, "adaptation_count", 0)
    if adaptations:
        factors.append(1.0)
        reasons.append(
            ngettext("already adapted once elsewhere", "already adapted %(count)s times elsewhere", adaptations)
            % {"count": adaptations}
        )
    return (sum(factors) / len(factors) if factors else 0.0), reasons


def _peers(matches: list[Match], challenge: Challenge, limit: int = 5) -> list[Peer]:
    """Member cities whose practices answer the challenge: the people to talk to."""
    by_city: dict[int, Peer] = {}
    for match in matches:
        city = match.practice.lead_city
        if city is None or not city.is_member or (challenge.city is not None and city.pk == challenge.city.pk):
            continue
        peer = by_city.setdefault(city.pk, Peer(city, 0.0, []))
        peer.practices.append(match.practice)
        peer.score = max(peer.score, match.score) + 0.05 * (len(peer.practices) - 1)
    peers = sorted(by_city.values(), key=lambda peer: (-peer.score, peer.city.name))[:limit]
    for peer in peers:
        titles = "; ".join(f"“{p.title}”" for p in peer.practices[:2])
        peer.reasons.append(_("their practice matches your challenge: %(titles)s") % {"titles": titles})
        asking = challenge.city
        if asking is not None and asking.field_id and peer.city.field_id == asking.field_id and peer.city.field:
            peer.reasons.append(_("same creative field: %(field)s") % {"field": peer.city.field.localized_name})
        if (
            asking is not None
            and asking.country
            and peer.city.country
            and asking.country.region == peer.city.country.region
        ):
            peer.reasons.append(_("in the same region (%(region)s)") % {"region": asking.country.get_region_display()})
        peer.score = round(peer.score, 4)
    return peers
