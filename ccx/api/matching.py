"""The one serialiser of a match result (search/matching.py), shared by `POST /match` and
`GET /challenges/{slug}/matches`: the same practices, scores, reasons and peer cities, in the same shape."""

from ninja import Schema
from pydantic import Field

from ccx.search.matching import MatchResult


class MatchOut(Schema):
    slug: str = Field(description="The practice's slug")
    practice: str = Field(description="The practice's slug (the same as slug; kept for the challenge clients)")
    title: str
    url: str
    lead_city: str | None
    score: float
    relevance: float
    context: float
    reasons: list[str]


class PeerOut(Schema):
    city: str
    name: str
    url: str
    score: float
    practices: list[str] = Field(description="Slugs of the city's practices among the matches")
    reasons: list[str]


class MatchResultOut(Schema):
    matches: list[MatchOut]
    peers: list[PeerOut]


def match_result_out(result: MatchResult | None) -> MatchResultOut:
    """None (a challenge that says too little to be matched) is an empty result."""
    if result is None:
        return MatchResultOut(matches=[], peers=[])
    return MatchResultOut(
        matches=[
            MatchOut(
                slug=m.practice.slug,
                practice=m.practice.slug,
                title=m.practice.title,
                url=m.practice.get_absolute_url(),
                lead_city=m.practice.lead_city.slug if m.practice.lead_city else None,
                score=m.score,
                relevance=m.relevance,
                context=m.context,
                reasons=m.reasons,
            )
            for m in result.matches
        ],
        peers=[
            PeerOut(
                city=p.city.slug,
                name=p.city.name,
                url=p.city.get_absolute_url(),
                score=p.score,
                practices=[practice.slug for practice in p.practices],
                reasons=p.reasons,
            )
            for p in result.peers
        ],
    )
