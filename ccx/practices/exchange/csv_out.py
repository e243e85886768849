"""Practices out as CSV: one row per practice with the main columns; lists joined with "; "."""

import io
from collections.abc import Iterable
from typing import Any

from ccx.core.spreadsheets import SafeDictWriter
from ccx.practices.exchange.jsonld_out import for_export, partner_cities, practice_url
from ccx.practices.exchange.terms import (
    CSV_COLUMNS,
    LIST_SEPARATOR,
)
from ccx.practices.models import (
    Practice,
)


def practices_to_csv(practices: Iterable[Practice]) -> str:
    """One row per practice with the main columns; lists are joined with "; "."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for practice in for_export(practices):
        writer.writerow({key: "" if value is None else value for key, value in _csv_row(practice).items()})
    return buffer.getvalue()


def _csv_row(practice: Practice) -> dict[str, Any]:
    def joined(values: Iterable[object]) -> str:
        return LIST_SEPARATOR.join(str(value) for value in values)

    return {
        "slug": practice.slug,
        "title": practice.title,
        "tagline": practice.tagline,
        "summary": practice.summary,
        "original_language": practice.original_language,
        "lead_city": practice.lead_city.slug if practice.lead_city else None,
        "partner_cities": joined(city.slug for city in partner_cities(practice)),
        "country_code": practice.country.code if practice.country else None,
        "country": practice.country.name if practice.country else None,
        "place_name": practice.place_name,
        "latitude": practice.latitude,
        "longitude": practice.longitude,
        "fields": joined(sorted(field.slug for field in practice.fields.all())),
        "themes": joined(sorted(theme.slug for theme in practice.themes.all())),
        "technologies": joined(sorted(technology.slug for technology in practice.technologies.all())),
        "sdg_goals": joined(sorted(goal.number for goal in practice.sdg_goals.all())),
        "sdg_targets": joined(target.code for target in sorted(practice.sdg_targets.all(), key=lambda t: t.sort_key)),
        "crisis_response": practice.crisis_response,
        "start_date": practice.start_date.isoformat() if practice.start_date else None,
        "end_date": practice.end_date.isoformat() if practice.end_date else None,
        "start_year": practice.start_year,
        "stage": practice.stage,
        "budget_band": practice.budget_band,
        "actors": joined(f"{actor.name} ({actor.kind})" for actor in practice.actors.all()),
        "licence": practice.licence,
        "source_name": practice.source_name,
        "source_id": practice.source_id,
        "source_url": practice.source_url,
        "attribution": practice.attribution,
        "adapted_from": practice.adapted_from.slug if practice.adapted_from else None,
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
        "url": practice_url(practice),
    }
