"""The exchange format: practices as JSON-LD (schema.org, plus a few ccx: terms) and as CSV.

`practice_to_jsonld` and `jsonld_to_values` are each other's inverse: exporting a practice and importing the
document into an empty practice gives the same revision snapshot (see docs/exchange-format.md). Cities, countries,
creative fields, themes, technologies, SDG goals and targets travel by their natural keys (slug, ISO code, number,
code), so a document can move between databases.
"""

import io
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from ccx.cities.models import City, Country, CreativeField
from ccx.core.spreadsheets import SafeDictWriter
from ccx.practices.models import (
    LICENCE_URLS,
    Actor,
    ActorType,
    BudgetBand,
    Licence,
    Practice,
    PracticeTranslation,
    ResultIndicator,
    Stage,
    Technology,
    Theme,
)
from ccx.practices.revisions import ACTOR_FIELDS, INDICATOR_FIELDS, SCALAR_FIELDS, TRANSLATION_FIELDS, plain_value
from ccx.sdg.models import Goal, Target

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
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


# Export ------------------------------------------------------------------------------------------------------


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def practice_url(practice: Practice) -> str:
    try:
        return site_url(practice.get_absolute_url())
    except NoReverseMatch:  # a slug that the URL pattern does not accept
        return site_url(f"/practices/{practice.slug}/")


def practice_to_jsonld(practice: Practice, *, include_contact: bool = False, context: bool = True) -> dict[str, Any]:
    """One practice as a schema.org CreativeWork. Empty values are left out.

    The contact person is only for signed-in members of the network: it is left out unless `include_contact`
    (for a complete copy between trusted databases).
    """
    node: dict[str, Any] = {"@context": CONTEXT} if context else {}
    node.update(
        {
            "@type": "CreativeWork",
            "@id": practice_url(practice),
            "identifier": practice.slug,
            "name": practice.title,
            "inLanguage": practice.original_language,
        }
    )
    for name, term in TEXT_TERMS.items():
        node[term] = getattr(practice, name)
    if practice.description:
        node["encodingFormat"] = "text/markdown"
    node["locationCreated"] = _place(practice)
    cities = ([practice.lead_city] if practice.lead_city else []) + _partner_cities(practice)
    node["contentLocation"] = [_city_node(city) for city in cities]
    node["ccx:leadCity"] = practice.lead_city.slug if practice.lead_city else None
    node["ccx:partnerCities"] = [city.slug for city in _partner_cities(practice)]
    node["ccx:creativeFields"] = sorted(field.slug for field in practice.fields.all())
    node["about"] = [_goal_term(goal) for goal in sorted(practice.sdg_goals.all(), key=lambda goal: goal.number)] + [
        _target_term(target) for target in sorted(practice.sdg_targets.all(), key=lambda target: target.sort_key)
    ]
    node["keywords"] = [
        _defined_term(theme.slug, theme.name, THEME_TERM_SET)
        for theme in sorted(practice.themes.all(), key=lambda theme: theme.slug)
    ] + [
        _defined_term(technology.slug, technology.name, TECHNOLOGY_TERM_SET)
        for technology in sorted(practice.technologies.all(), key=lambda technology: technology.slug)
    ]
    node["temporalCoverage"] = temporal_coverage(practice.start_date, practice.end_date, practice.start_year)
    node["license"] = LICENCE_ADDRESSES.get(practice.licence, practice.licence)
    if practice.adapted_from:
        node["isBasedOn"] = {
            "@type": "CreativeWork",
            "@id": practice_url(practice.adapted_from),
            "identifier": practice.adapted_from.slug,
            "name": practice.adapted_from.title,
        }
    if practice.source_name:
        node["provider"] = {"@type": "Organization", "name": practice.source_name}
    node["citation"] = list(practice.links)
    node["video"] = [{"@type": "VideoObject", "url": link} for link in practice.video_links]
    node["ccx:actors"] = [
        _without_empty(
            {"@type": "Organization", "name": actor.name, "ccx:actorType": actor.kind, "ccx:role": actor.role}
        )
        for actor in practice.actors.all()
    ]
    node["ccx:indicators"] = [_indicator_node(indicator) for indicator in practice.indicators.all()]
    node["workTranslation"] = [
        _without_empty(
            {
                "@type": "CreativeWork",
                "inLanguage": translation.language,
                **{term: getattr(translation, name) for name, term in TRANSLATION_TERMS.items()},
            }
        )
        for translation in sorted(practice.translations.all(), key=lambda translation: translation.language)
    ]
    if include_contact and (practice.contact_name or practice.contact_email):
        node["accountablePerson"] = {
            "@type": "Person",
            "name": practice.contact_name,
            "email": practice.contact_email,
        }
    node["image"] = [
        _without_empty(
            {
                "@type": "ImageObject",
                "contentUrl": site_url(image.image.url),
                "caption": image.caption or image.alt_text,
                "description": image.alt_text,
                "creditText": image.credit,
                "width": image.width,
                "height": image.height,
            }
        )
        for image in practice.images.all()
        if image.image
    ]
    node["datePublished"] = practice.published_at.isoformat() if practice.published_at else None
    node["dateModified"] = practice.updated_at.isoformat() if practice.updated_at else None
    return _without_empty(node)


def library_to_jsonld(practices: Iterable[Practice], *, include_contact: bool = False) -> dict[str, Any]:
    """Several practices as one JSON-LD document with a @graph."""
    return {
        "@context": CONTEXT,
        "@graph": [
            practice_to_jsonld(practice, include_contact=include_contact, context=False)
            for practice in _for_export(practices)
        ],
    }


def practices_to_csv(practices: Iterable[Practice]) -> str:
    """One row per practice with the main columns; lists are joined with "; "."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for practice in _for_export(practices):
        writer.writerow({key: "" if value is None else value for key, value in _csv_row(practice).items()})
    return buffer.getvalue()


def _for_export(practices: Iterable[Practice]) -> Iterable[Practice]:
    """Fetch every related row in a few queries, whatever the caller already asked for."""
    if isinstance(practices, QuerySet):
        return practices.select_related("lead_city__country", "country", "adapted_from").prefetch_related(
            "partner_cities__country",
            "fields",
            "themes",
            "technologies",
            "sdg_goals",
            "sdg_targets",
            "actors",
            "indicators",
            "translations",
            "images",
        )
    return practices


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
        "partner_cities": joined(city.slug for city in _partner_cities(practice)),
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


def temporal_coverage(start: date | None, end: date | None, start_year: int | None) -> str | None:
    """An ISO 8601 interval: "2019-03-01/2021-06-30", "2024/.." (a year only), "../2021-06-30"."""
    first = start.isoformat() if start else (f"{start_year:04d}" if start_year else OPEN_END)
    last = end.isoformat() if end else OPEN_END
    return None if first == last == OPEN_END else f"{first}/{last}"


def _partner_cities(practice: Practice) -> list[City]:
    return sorted(practice.partner_cities.all(), key=lambda city: city.slug)


def _geo(latitude: float | None, longitude: float | None) -> dict[str, Any] | None:
    if latitude is None and longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}


def _address(country: Country | None) -> dict[str, Any] | None:
    return {"@type": "PostalAddress", "addressCountry": country.code} if country else None


def _city_node(city: City) -> dict[str, Any]:
    return _without_empty(
        {
            "@type": "City",
            "@id": site_url(city.get_absolute_url()),
            "identifier": city.slug,
            "name": city.name,
            "geo": _geo(city.latitude, city.longitude),
            "address": _address(city.country),
        }
    )


def _place(practice: Practice) -> dict[str, Any]:
    """Where the practice took place: its own place, coordinates and country, within its lead city if any."""
    return _without_empty(
        {
            "@type": "Place",
            "name": practice.place_name,
            "geo": _geo(practice.latitude, practice.longitude),
            "address": _address(practice.country),
            "containedInPlace": _city_node(practice.lead_city) if practice.lead_city else None,
        }
    )


def _defined_term(code: str, name: str, term_set: str) -> dict[str, Any]:
    return {"@type": "DefinedTerm", "termCode": code, "name": name, "inDefinedTermSet": term_set}


def _goal_term(goal: Goal) -> dict[str, Any]:
    return _defined_term(str(goal.number), goal.short_titles.get("en", ""), SDG_TERM_SET)


def _target_term(target: Target) -> dict[str, Any]:
    return _defined_term(target.code, target.titles.get("en", ""), SDG_TERM_SET)


def _number(value: Decimal) -> int | float | str:
    """A JSON number when it is exact, the decimal's text otherwise."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _indicator_node(indicator: ResultIndicator) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "PropertyValue", "name": indicator.name, "value": _number(indicator.value)}
    node["unitText"] = indicator.unit
    node["ccx:baseline"] = _number(indicator.baseline) if indicator.baseline is not None else None
    node["ccx:year"] = indicator.year
    node["ccx:source"] = indicator.source
    return _without_empty(node)


def _without_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


# Import ------------------------------------------------------------------------------------------------------


class Lookups:
    """Natural keys (slugs, codes, numbers) to primary keys, each table read once for a whole import."""

    @cached_property
    def cities(self) -> dict[str, tuple[int, int | None]]:
        return {slug: (pk, country) for slug, pk, country in City.objects.values_list("slug", "pk", "country_id")}

    @cached_property
    def countries(self) -> dict[str, int]:
        return dict(Country.objects.values_list("code", "pk"))

    @cached_property
    def fields(self) -> dict[str, int]:
        return dict(CreativeField.objects.values_list("slug", "pk"))

    @cached_property
    def themes(self) -> dict[str, int]:
        return dict(Theme.objects.values_list("slug", "pk"))

    @cached_property
    def technologies(self) -> dict[str, int]:
        return dict(Technology.objects.values_list("slug", "pk"))

    @cached_property
    def goals(self) -> dict[int, int]:
        return dict(Goal.objects.values_list("number", "pk"))

    @cached_property
    def targets(self) -> dict[str, int]:
        return dict(Target.objects.values_list("code", "pk"))

    @cached_property
    def practices(self) -> dict[str, int]:
        return dict(Practice.objects.values_list("slug", "pk"))


class _Reader:
    """Reads one JSON-LD node, collecting every problem instead of stopping at the first."""

    def __init__(self, node: dict[str, Any], lookups: Lookups) -> None:
        self.node = node
        self.lookups = lookups
        self.problems: list[str] = []

    def text(self, key: str, node: dict[str, Any] | None = None, label: str | None = None) -> str:
        value = (self.node if node is None else node).get(key)
        if value is None:
            return ""
        if isinstance(value, dict) and "@value" in value:
            value = value["@value"]
        if not isinstance(value, str):
            self.problems.append(f"{label or key} must be text, not {type(value).__name__}")
            return ""
        return value

    def items(self, key: str, node: dict[str, Any] | None = None) -> list[Any]:
        value = (self.node if node is None else node).get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def nodes(self, key: str, node: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        found = []
        for item in self.items(key, node):
            if isinstance(item, dict):
                found.append(item)
            else:
                self.problems.append(f"{key} must hold objects, not {type(item).__name__}")
        return found

    def strings(self, key: str, node: dict[str, Any] | None = None) -> list[str]:
        found = []
        for item in self.items(key, node):
            if isinstance(item, str):
                found.append(item)
            else:
                self.problems.append(f"{key} must hold text, not {type(item).__name__}")
        return found

    def number(self, value: Any, label: str, low: float | None = None, high: float | None = None) -> float | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problems.append(f"{label} must be a number")
            return None
        try:
            number = float(value)
        except ValueError:
            self.problems.append(f"{label} '{value}' is not a number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.problems.append(f"{label} {number} is outside {low}…{high}")
            return None
        return number

    def decimal(self, value: Any, label: str) -> str | None:
        """The snapshot's text of a DecimalField(max_digits=18, decimal_places=4) value."""
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problems.append(f"{label} must be a number")
            return None
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
            stored = number.quantize(Decimal("0.0001"))
        except InvalidOperation:
            self.problems.append(f"{label} '{value}' is not a number")
            return None
        if stored != number or not number.is_finite() or abs(stored) >= Decimal(10) ** 14:
            self.problems.append(f"{label} {value} does not fit 14 digits before and 4 after the decimal point")
            return None
        plain: str = plain_value(stored)
        return plain

    def year(self, value: Any, label: str) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
            self.problems.append(f"{label} '{value}' is not a year")
            return None
        number = int(value)
        if not 1 <= number <= 32767:
            self.problems.append(f"{label} {number} is not a year")
            return None
        return number

    def choice(self, value: str, allowed: list[str], label: str) -> str:
        if value and value not in allowed:
            self.problems.append(f"unknown {label} '{value}' (expected one of {', '.join(allowed)})")
            return ""
        return value

    def city(self, slug: Any, label: str) -> int | None:
        if not isinstance(slug, str) or not slug:
            self.problems.append(f"{label} must be a city identifier")
            return None
        found = self.lookups.cities.get(slug)
        if found is None:
            self.problems.append(f"unknown {label} '{slug}'")
            return None
        return found[0]


def jsonld_to_values(node: dict[str, Any], lookups: Lookups | None = None) -> dict[str, Any]:
    """Read one practice node of the exchange format.

    Returns {"values": snapshot-format values (every key of revisions.snapshot() except that the contact
    fields are only there when the node has an accountablePerson), "slug": the identifier or "",
    "start_year": int or None, "published_at": datetime or None, "problems": [readable messages]}.
    """
    lookups = lookups or Lookups()
    read = _Reader(node, lookups)
    values: dict[str, Any] = {}
    if node.get("@type", "CreativeWork") not in ("CreativeWork", ["CreativeWork"]):
        read.problems.append(f"@type must be CreativeWork, not {node.get('@type')}")
    values["title"] = read.text("name").strip()
    if not values["title"]:
        read.problems.append("the practice has no title (name)")
    values["original_language"] = read.text("inLanguage") or "en"
    for name, term in TEXT_TERMS.items():
        values[name] = read.text(term)
    for name, allowed in CHOICES.items():
        values[name] = read.choice(values[name], allowed, name.replace("_", " "))
    _read_places(read, values)
    _read_terms(read, values)
    start_year = _read_dates(read, values)
    values["licence"] = _read_licence(read)
    values["adapted_from_id"] = _read_adapted_from(read)
    provider = node.get("provider")
    values["source_name"] = read.text("name", provider, "provider") if isinstance(provider, dict) else ""
    if isinstance(provider, str):
        values["source_name"] = provider
    values["links"] = read.strings("citation")
    values["video_links"] = [
        link
        for video in read.items("video")
        if (link := video if isinstance(video, str) else _first_text(video, "url", "contentUrl", "embedUrl"))
    ]
    if "accountablePerson" in node:
        person = node["accountablePerson"] if isinstance(node["accountablePerson"], dict) else {}
        values["contact_name"] = read.text("name", person, "accountablePerson name")
        values["contact_email"] = read.text("email", person, "accountablePerson email").removeprefix("mailto:")
    values["actors"] = [_read_actor(read, actor) for actor in read.nodes("ccx:actors")]
    values["indicators"] = [_read_indicator(read, indicator) for indicator in read.nodes("ccx:indicators")]
    values["translations"] = _read_translations(read)
    read.problems += check_values(values)
    published_at = None
    if node.get("datePublished"):
        try:
            published_at = datetime.fromisoformat(read.text("datePublished"))
            if timezone.is_naive(published_at):
                published_at = timezone.make_aware(published_at, UTC)
        except ValueError:
            read.problems.append(f"datePublished '{node['datePublished']}' is not a date and time")
    return {
        "values": values,
        "slug": read.text("identifier"),
        "start_year": start_year,
        "published_at": published_at,
        "problems": read.problems,
    }


def _first_text(node: Any, *keys: str) -> str:
    if isinstance(node, dict):
        for key in keys:
            if isinstance(node.get(key), str) and node[key]:
                return str(node[key])
    return ""


def _read_places(read: _Reader, values: dict[str, Any]) -> None:
    node = read.node
    place = read.nodes("locationCreated")[:1]
    where: dict[str, Any] = place[0] if place else {}
    values["place_name"] = read.text("name", where, "locationCreated name")
    geo: dict[str, Any] = where["geo"] if isinstance(where.get("geo"), dict) else {}
    values["latitude"] = read.number(geo.get("latitude"), "latitude", -90, 90)
    values["longitude"] = read.number(geo.get("longitude"), "longitude", -180, 180)
    address = where.get("address")
    code = ""
    if isinstance(address, dict):
        code = read.text("addressCountry", address, "addressCountry")
    elif isinstance(address, str):
        code = address
    values["country_id"] = None
    if code:
        values["country_id"] = read.lookups.countries.get(code.upper())
        if values["country_id"] is None:
            read.problems.append(f"unknown country code '{code}'")
    lead = node.get("ccx:leadCity")
    if lead is None and isinstance(where.get("containedInPlace"), dict):
        lead = where["containedInPlace"].get("identifier")
    values["lead_city_id"] = read.city(lead, "lead city") if lead is not None else None
    if values["lead_city_id"] is not None and values["country_id"] is None:
        values["country_id"] = read.lookups.cities[str(lead)][1]
    values["partner_cities"] = sorted(
        {pk for slug in read.items("ccx:partnerCities") if (pk := read.city(slug, "partner city")) is not None}
    )


def _read_terms(read: _Reader, values: dict[str, Any]) -> None:
    lookups = read.lookups
    goals: set[int] = set()
    targets: set[int] = set()
    for term in read.items("about"):
        if not isinstance(term, dict) or term.get("inDefinedTermSet", SDG_TERM_SET) != SDG_TERM_SET:
            continue  # other subjects are allowed, and not stored
        code = str(term.get("termCode", "")).strip()
        if "." in code:
            target = lookups.targets.get(code)
            if target is None:
                read.problems.append(f"unknown SDG target '{code}'")
            else:
                targets.add(target)
        elif code.isdigit() and int(code) in lookups.goals:
            goals.add(lookups.goals[int(code)])
        else:
            read.problems.append(f"unknown SDG goal '{code}'")
    themes: set[int] = set()
    technologies: set[int] = set()
    for term in read.items("keywords"):
        if not isinstance(term, dict):
            continue  # free keywords have no place in the record
        code = str(term.get("termCode", ""))
        for term_set, table, found, label in (
            (THEME_TERM_SET, lookups.themes, themes, "theme"),
            (TECHNOLOGY_TERM_SET, lookups.technologies, technologies, "technology"),
        ):
            if term.get("inDefinedTermSet") == term_set:
                if code in table:
                    found.add(table[code])
                else:
                    read.problems.append(f"unknown {label} '{code}'")
    fields: set[int] = set()
    for slug in read.strings("ccx:creativeFields"):
        if slug in lookups.fields:
            fields.add(lookups.fields[slug])
        else:
            read.problems.append(f"unknown creative field '{slug}'")
    values.update(
        sdg_goals=sorted(goals),
        sdg_targets=sorted(targets),
        themes=sorted(themes),
        technologies=sorted(technologies),
        fields=sorted(fields),
    )


def _read_dates(read: _Reader, values: dict[str, Any]) -> int | None:
    """Set start_date and end_date from temporalCoverage; return the start year."""
    values["start_date"] = values["end_date"] = None
    coverage = read.text("temporalCoverage").strip()
    if not coverage:
        return None
    parts = coverage.split("/")
    if len(parts) > 2:
        read.problems.append(f"temporalCoverage '{coverage}' is not a start/end interval")
        return None
    first, last = parts[0].strip(), (parts[1].strip() if len(parts) == 2 else OPEN_END)
    start_year = None
    start: date | None = None
    end: date | None = None
    try:
        if YEAR_PATTERN.match(first):
            start_year = int(first)
        elif DATE_PATTERN.match(first):
            start = date.fromisoformat(first)
            start_year = start.year
        elif first not in ("", OPEN_END):
            raise ValueError(first)
        if YEAR_PATTERN.match(last):
            end = date(int(last), 12, 31)
        elif DATE_PATTERN.match(last):
            end = date.fromisoformat(last)
        elif last not in ("", OPEN_END):
            raise ValueError(last)
    except ValueError:
        read.problems.append(f"temporalCoverage '{coverage}' has a bad date (expected YYYY-MM-DD or YYYY)")
        return None
    if start and end and end < start:
        read.problems.append(f"temporalCoverage '{coverage}' ends before it starts")
    values["start_date"] = start.isoformat() if start else None
    values["end_date"] = end.isoformat() if end else None
    return start_year


def licence_code(text: str) -> str | None:
    """The Licence value for a code, a label ("CC BY 2.0") or a licence's web address; None when unknown."""
    wanted = text.strip()
    by_address = {_without_scheme(url): code for code, url in LICENCE_ADDRESSES.items()}
    if _without_scheme(wanted) in by_address:
        return by_address[_without_scheme(wanted)]
    for code, label in Licence.choices:
        if wanted.lower() in (code.lower(), str(label).lower()):
            return str(code)
    return None


def _without_scheme(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/").lower()


def _read_licence(read: _Reader) -> str:
    text = read.text("license")
    if not text:
        read.problems.append("no licence: say under which licence the practice may be shared")
        return ""
    code = licence_code(text)
    if code is None:
        read.problems.append(f"unknown licence '{text}'")
        return ""
    return code


def _read_adapted_from(read: _Reader) -> int | None:
    based_on = read.node.get("isBasedOn")
    if based_on is None:
        return None
    slug = ""
    if isinstance(based_on, dict):
        slug = str(based_on.get("identifier") or "")
        based_on = based_on.get("@id") or based_on.get("url") or ""
    if not slug and isinstance(based_on, str):
        match = re.search(r"/practices/([-\w]+)/?$", based_on)
        slug = match.group(1) if match else ""
    pk = read.lookups.practices.get(slug)
    if pk is None:
        read.problems.append(f"isBasedOn names an unknown practice '{slug or based_on}'")
    return pk


def _read_actor(read: _Reader, node: dict[str, Any]) -> dict[str, Any]:
    kind = read.text("ccx:actorType", node, "actor type")
    actor = {
        "name": read.text("name", node, "actor name").strip(),
        "kind": read.choice(kind, ActorType.values, "actor type"),
        "role": read.text("ccx:role", node, "actor role"),
    }
    if not actor["name"]:
        read.problems.append("an actor has no name")
    if not kind:
        read.problems.append(f"actor '{actor['name']}' has no type (ccx:actorType)")
    return {name: actor[name] for name in ACTOR_FIELDS}


def _read_indicator(read: _Reader, node: dict[str, Any]) -> dict[str, Any]:
    name = read.text("name", node, "indicator name").strip()
    if not name:
        read.problems.append("an indicator has no name")
    value = read.decimal(node.get("value"), f"indicator '{name}' value")
    if node.get("value") in (None, ""):
        read.problems.append(f"indicator '{name}' has no value")
    indicator = {
        "name": name,
        "value": value,
        "unit": read.text("unitText", node, "indicator unit"),
        "baseline": read.decimal(node.get("ccx:baseline"), f"indicator '{name}' baseline"),
        "year": read.year(node.get("ccx:year"), f"indicator '{name}' year"),
        "source": read.text("ccx:source", node, "indicator source"),
    }
    return {key: indicator[key] for key in INDICATOR_FIELDS}


def _read_translations(read: _Reader) -> list[dict[str, Any]]:
    translations: dict[str, dict[str, Any]] = {}
    for node in read.nodes("workTranslation"):
        language = read.text("inLanguage", node, "translation language")
        if not language:
            read.problems.append("a translation has no language (inLanguage)")
            continue
        if language in translations:
            read.problems.append(f"two translations into '{language}'")
        translation = {"language": language}
        for name, term in TRANSLATION_TERMS.items():
            translation[name] = read.text(term, node, f"translation {term}")
        translations[language] = {name: translation[name] for name in TRANSLATION_FIELDS}
    return [translations[language] for language in sorted(translations)]


PARTS = [
    ("actors", "actor ", Actor, ACTOR_FIELDS),
    ("indicators", "indicator ", ResultIndicator, INDICATOR_FIELDS),
    ("translations", "translation ", PracticeTranslation, TRANSLATION_FIELDS),
]


def _too_long(model: Any, names: list[str], values: dict[str, Any], label: str) -> list[str]:
    problems = []
    for name in names:
        limit = getattr(model._meta.get_field(name), "max_length", None)
        value = values.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(f"{label}{name.replace('_', ' ')} is longer than {limit} characters")
    return problems


def is_web_address(text: str) -> bool:
    try:
        WEB_ADDRESS(text)
    except ValidationError:
        return False
    return True


def check_values(values: dict[str, Any]) -> list[str]:
    """What the database or the pages would refuse: over-long text, links that are not web addresses, bad e-mail.

    Every importer runs these checks on snapshot-format values before writing anything.
    """
    problems = _too_long(Practice, [name for name in SCALAR_FIELDS if name in values], values, "")
    for key, label, model, names in PARTS:
        for item in values.get(key, []):
            problems += _too_long(model, names, item, label)
    for key, label in (("source_url", "source address"), ("links", "link"), ("video_links", "video link")):
        addresses = values.get(key) or []
        for address in [addresses] if isinstance(addresses, str) else addresses:
            if not isinstance(address, str) or not is_web_address(address):
                problems.append(f"the {label} '{address}' is not a web address")
    if values.get("contact_email"):
        try:
            EmailValidator()(values["contact_email"])
        except ValidationError:
            problems.append(f"'{values['contact_email']}' is not an e-mail address")
    return problems
