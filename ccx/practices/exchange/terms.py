"""The vocabulary of the exchange format: JSON-LD context, term sets, the keys each field travels under."""

import re

from ccx.practices.models import (
    LICENCE_URLS,
    BudgetBand,
    Stage,
)

CCX = "https://creative-cities-exchange.org/ns#"
CONTEXT = {"@vocab": "https://schema.org/", "ccx": CCX}
SDG_TERM_SET = "https://unstats.un.org/sdgs/metadata/"
THEME_TERM_SET = f"{CCX}themes"
TECHNOLOGY_TERM_SET = f"{CCX}technologies"

# Snapshot fields that travel as a plain string under one key; everything else has its own code below.
TEXT_TERMS = {
    "tagline": "alternativeHeadline",
    "summary": "abstract",
    "description": "text",
    "crisis_response": "ccx:crisisResponse",
    "stage": "creativeWorkStatus",
    "results": "ccx:results",
    "obstacles": "ccx:obstacles",
    "transferability": "ccx:transferability",
    "budget_band": "ccx:budgetBand",
    "staff_needed": "ccx:staffNeeded",
    "skills_needed": "ccx:skillsNeeded",
    "partners_needed": "ccx:partnersNeeded",
    "resources_needed": "ccx:resourcesNeeded",
    "lessons": "ccx:lessons",
    "source_id": "ccx:sourceId",
    "source_url": "url",
    "attribution": "creditText",
}
TRANSLATION_TERMS = {"title": "name", "tagline": "alternativeHeadline", "summary": "abstract", "description": "text"}
INDICATOR_TERMS = {"unit": "unitText", "baseline": "ccx:baseline", "year": "ccx:year", "source": "ccx:source"}
CHOICES = {"stage": Stage.values, "budget_band": BudgetBand.values}
LICENCE_ADDRESSES = {str(code): url for code, url in LICENCE_URLS.items()}

CSV_COLUMNS = [
    "slug",
    "title",
    "tagline",
    "summary",
    "original_language",
    "lead_city",
    "partner_cities",
    "country_code",
    "country",
    "place_name",
    "latitude",
    "longitude",
    "fields",
    "themes",
    "technologies",
    "sdg_goals",
    "sdg_targets",
    "crisis_response",
    "start_date",
    "end_date",
    "start_year",
    "stage",
    "budget_band",
    "actors",
    "licence",
    "source_name",
    "source_id",
    "source_url",
    "attribution",
    "adapted_from",
    "published_at",
    "url",
]
LIST_SEPARATOR = "; "
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_PATTERN = re.compile(r"^\d{4}$")
OPEN_END = ".."
