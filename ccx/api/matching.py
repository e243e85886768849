"""The one serialiser of a match result (search/matching.py), shared by `POST /match` and
`GET /challenges/{slug}/matches`: the same practices, scores, reasons and peer cities, in the same shape."""

from ninja import Schema
from pydantic import Field

from ccx.practices.models import Practice
from ccx.search.matching import MatchResult
from ccx.search.service import practice_languages


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
    language: str = Field(description="The language the practice is written in (detected, ISO 639-1)")
    languages: list[str] = Field(description="Every language it can be read in: the original, then translations")


class PeerOut(Schema):
    city: str
    name: str
    url: str
    score: float
    practices: list[str] = Field(description="Slugs of the city's practices among the matches")
    reasons: list[str]


class MatchResultOut(Schema):
    query_language: str = Field(
        description='The language the challenge was read as (ISO 639-1; "" if it could not be told)'
    )
    matches: list[MatchOut]
    peers: list[PeerOut]


def match_result_out(result: MatchResult | None) -> MatchResultOut:
    """None (a challenge that says too little to be matched) is an empty result."""
    if result is None:
        return MatchResultOut(query_language="", matches=[], peers=[])
    languages = practice_languages(m.practice.pk for m in result.matches)
    return MatchResultOut(
        query_language=result.language,
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
                language=_versions(m.practice, languages)[0],
                languages=_versions(m.practice, languages),
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


def _versions(practice: Practice, languages: dict[int, tuple[str, ...]]) -> list[str]:
    """The languages a practice can be read in, original first (its declared language when it is not indexed)."""
    return list(languages.get(practice.pk) or (practice.original_language,))
