"""Practices out as JSON-LD (schema.org CreativeWork, plus a few ccx: terms); see docs/exchange-format.md."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch

from ccx.cities.models import City, Country
from ccx.core.public_url import public_url
from ccx.practices.exchange.terms import (
    CONTEXT,
    LICENCE_ADDRESSES,
    OPEN_END,
    SDG_TERM_SET,
    TECHNOLOGY_TERM_SET,
    TEXT_TERMS,
    THEME_TERM_SET,
    TRANSLATION_TERMS,
)
from ccx.practices.models import (
    Practice,
    ResultIndicator,
)
from ccx.sdg.models import Goal, Target


def site_url(path: str) -> str:
    return public_url(path)


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
    cities = ([practice.lead_city] if practice.lead_city else []) + partner_cities(practice)
    node["contentLocation"] = [_city_node(city) for city in cities]
    node["ccx:leadCity"] = practice.lead_city.slug if practice.lead_city else None
    node["ccx:partnerCities"] = [city.slug for city in partner_cities(practice)]
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
        without_empty(
            {"@type": "Organization", "name": actor.name, "ccx:actorType": actor.kind, "ccx:role": actor.role}
        )
        for actor in practice.actors.all()
    ]
    node["ccx:indicators"] = [_indicator_node(indicator) for indicator in practice.indicators.all()]
    node["workTranslation"] = [
        without_empty(
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
        without_empty(
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
    return without_empty(node)


def library_to_jsonld(practices: Iterable[Practice], *, include_contact: bool = False) -> dict[str, Any]:
    """Several practices as one JSON-LD document with a @graph."""
    return {
        "@context": CONTEXT,
        "@graph": [
            practice_to_jsonld(practice, include_contact=include_contact, context=False)
            for practice in for_export(practices)
        ],
    }


def for_export(practices: Iterable[Practice]) -> Iterable[Practice]:
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


def temporal_coverage(start: date | None, end: date | None, start_year: int | None) -> str | None:
    """An ISO 8601 interval: "2019-03-01/2021-06-30", "2024/.." (a year only), "../2021-06-30"."""
    first = start.isoformat() if start else (f"{start_year:04d}" if start_year else OPEN_END)
    last = end.isoformat() if end else OPEN_END
    return None if first == last == OPEN_END else f"{first}/{last}"


def partner_cities(practice: Practice) -> list[City]:
    return sorted(practice.partner_cities.all(), key=lambda city: city.slug)


def _geo(latitude: float | None, longitude: float | None) -> dict[str, Any] | None:
    if latitude is None and longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}


def _address(country: Country | None) -> dict[str, Any] | None:
    return {"@type": "PostalAddress", "addressCountry": country.code} if country else None


def _city_node(city: City) -> dict[str, Any]:
    return without_empty(
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
    return without_empty(
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
    return without_empty(node)


def without_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}
