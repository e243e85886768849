"""JSON-LD in: one node of the exchange format to snapshot-format values, with every problem it has.

`jsonld_to_values` is the inverse of jsonld_out.practice_to_jsonld.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.utils import timezone

from ccx.cities.models import City, Country, CreativeField
from ccx.practices.exchange.checks import check_values
from ccx.practices.exchange.terms import (
    CHOICES,
    DATE_PATTERN,
    LICENCE_ADDRESSES,
    OPEN_END,
    SDG_TERM_SET,
    TECHNOLOGY_TERM_SET,
    TEXT_TERMS,
    THEME_TERM_SET,
    TRANSLATION_TERMS,
    YEAR_PATTERN,
)
from ccx.practices.models import (
    ActorType,
    Licence,
    Practice,
    Technology,
    Theme,
)
from ccx.practices.revisions import ACTOR_FIELDS, INDICATOR_FIELDS, TRANSLATION_FIELDS, plain_value
from ccx.sdg.models import Goal, Target


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


class NodeReader:
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
    read = NodeReader(node, lookups)
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


def _read_places(read: NodeReader, values: dict[str, Any]) -> None:
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


def _read_terms(read: NodeReader, values: dict[str, Any]) -> None:
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


def _read_dates(read: NodeReader, values: dict[str, Any]) -> int | None:
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


def _read_licence(read: NodeReader) -> str:
    text = read.text("license")
    if not text:
        read.problems.append("no licence: say under which licence the practice may be shared")
        return ""
    code = licence_code(text)
    if code is None:
        read.problems.append(f"unknown licence '{text}'")
        return ""
    return code


def _read_adapted_from(read: NodeReader) -> int | None:
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


def _read_actor(read: NodeReader, node: dict[str, Any]) -> dict[str, Any]:
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


def _read_indicator(read: NodeReader, node: dict[str, Any]) -> dict[str, Any]:
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


def _read_translations(read: NodeReader) -> list[dict[str, Any]]:
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
