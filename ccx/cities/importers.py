"""Load countries and the network's member cities from CSV files: validate everything, then write at once."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from ccx.cities.models import City, Country, CreativeField, Region
from ccx.cities.reference import CREATIVE_FIELDS
from ccx.cities.validation import city_problems
from ccx.core.imports import (
    ImportFailed,
    ImportProblem,
    ImportReport,
    file_checksum,
    read_csv,
    record_run,
)
from ccx.core.progress import Progress, silent
from ccx.core.validation import messages, phrased

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED_COUNTRIES = DATA_DIR / "countries.csv"
BUNDLED_MEMBERS = DATA_DIR / "uccn_members.csv"

COUNTRY_COLUMNS = {"alpha_2", "alpha_3", "name_en", "continent"}
COUNTRY_NAME_COLUMNS = {
    "en": "name_en",
    "fr": "name_fr",
    "zh-hans": "name_zh",
    "es": "name_es",
    "ar": "name_ar",
    "ru": "name_ru",
}
MEMBER_COLUMNS = {
    "city",
    "country_code",
    "country_source",
    "field",
    "year_designated",
    "year_source",
    "latitude",
    "longitude",
    "coord_source",
    "geonameid",
    "population",
    "unesco_url",
    "about",
    "added_value",
}
# The city validator's rules (cities/validation.py), phrased for the import log.
IMPORT_MESSAGES = {
    "required": "the city name is empty",
    "before_network": "year of designation %(year)s is outside %(first)s–%(last)s",
    "future_year": "year of designation %(year)s is outside %(first)s–%(last)s",
    "latitude_range": "latitude %(value)s is outside %(low)s…%(high)s",
    "longitude_range": "longitude %(value)s is outside %(low)s…%(high)s",
    "half_location": "latitude and longitude must both be given or both be empty",
    "not_web_address": "the UNESCO page '%(value)s' is not a web address",
}


@dataclass(frozen=True)
class ParsedMember:
    line: int
    values: dict[str, Any]


def import_countries(path: Path = BUNDLED_COUNTRIES, progress: Progress = silent) -> ImportReport:
    rows, problems = read_csv(path, COUNTRY_COLUMNS)
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    regions = set(Region.values)
    for line, row in rows:
        code = row["alpha_2"].strip().upper()
        row_problems = []
        if len(code) != 2 or not code.isalpha():
            row_problems.append(f"'{row['alpha_2']}' is not a two-letter ISO code")
        elif code in seen:
            row_problems.append(f"country {code} appears twice")
        if not row["name_en"].strip():
            row_problems.append("the English name is empty")
        if row["continent"].strip() not in regions:
            row_problems.append(
                f"unknown continent '{row['continent']}' (expected one of {', '.join(sorted(regions))})"
            )
        population = _optional_int(row.get("population", ""), "population", row_problems)
        problems += [ImportProblem(str(path), line, message) for message in row_problems]
        seen.add(code)
        names = {
            lang: row[column].strip() for lang, column in COUNTRY_NAME_COLUMNS.items() if row.get(column, "").strip()
        }
        # ISO's "Iran, Islamic Republic of" reads badly in a sentence; GeoNames' common name does not.
        english = row.get("common_name_en", "").strip() or row["name_en"].strip()
        names["en"] = english
        parsed.append(
            {
                "code": code,
                "code3": row["alpha_3"].strip().upper(),
                "name": english,
                "names": names,
                "region": row["continent"].strip(),
                "capital": row.get("capital", "").strip(),
                "population": population,
            }
        )
    if problems:
        raise ImportFailed(problems)
    report = ImportReport(kind="countries", source=path.name)
    with transaction.atomic():
        existing = {country.code: country for country in Country.objects.all()}
        for done, values in enumerate(parsed, start=1):
            _upsert(Country, existing.get(values["code"]), values, report)
            progress(done, len(parsed), values["code"])
        record_run(report, file_checksum(path))
    return report


def import_members(path: Path = BUNDLED_MEMBERS, progress: Progress = silent) -> ImportReport:
    """Create or update the member cities in `path`. Nothing is written unless every row is valid.

    Fields that the secretariat corrected (City.corrected_fields) keep the secretariat's value.
    """
    members = _parse_members(path)
    report = ImportReport(kind="members", source=path.name)
    with transaction.atomic():
        by_url = {city.unesco_url: city for city in City.objects.filter(unesco_url__isnull=False)}
        by_slug = {city.slug: city for city in City.objects.all()}
        kept = 0
        for done, member in enumerate(members, start=1):
            values = member.values
            city = by_url.get(values["unesco_url"]) if values["unesco_url"] else by_slug.get(values["slug"])
            if city is not None:
                kept += sum(1 for name in city.corrected_fields if name in values)
                values = {name: value for name, value in values.items() if name not in city.corrected_fields}
                values.pop("slug", None)
            _upsert(City, city, values, report)
            progress(done, len(members), values.get("name", ""))
        if kept:
            report.notes.append(f"kept {kept} value(s) corrected by the secretariat")
        record_run(report, file_checksum(path))
    return report


def ensure_creative_fields() -> None:
    """The fields come with the migrations; this restores them after a test database flush."""
    for position, (slug, name, colour, introduced_in) in enumerate(CREATIVE_FIELDS):
        CreativeField.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "position": position, "introduced_in": introduced_in}
        )


def _parse_members(path: Path) -> list[ParsedMember]:
    rows, problems = read_csv(path, MEMBER_COLUMNS)
    countries = {country.code: country for country in Country.objects.all()}
    fields = {field.name.lower(): field for field in CreativeField.objects.all()}
    fields.update({field.slug: field for field in fields.values()})
    if not countries:
        raise ImportFailed([ImportProblem(str(path), 0, "no countries are loaded yet: import countries first")])
    members: list[ParsedMember] = []
    seen_slugs: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    for line, row in rows:
        row_problems: list[str] = []
        values = member_values(row, countries, fields, row_problems)
        for key, seen in (("slug", seen_slugs), ("unesco_url", seen_urls)):
            if values.get(key):
                if values[key] in seen:
                    row_problems.append(f"same {key.replace('_', ' ')} as line {seen[values[key]]}: {values[key]}")
                seen[values[key]] = line
        problems += [ImportProblem(str(path), line, message) for message in row_problems]
        members.append(ParsedMember(line, values))
    if problems:
        raise ImportFailed(problems)
    return members


def member_values(
    row: dict[str, str],
    countries: dict[str, Country],
    fields: dict[str, CreativeField],
    problems: list[str],
) -> dict[str, Any]:
    name = row["city"].strip()
    code = row["country_code"].strip().upper()
    country = countries.get(code) if code else None
    if code and country is None:
        problems.append(f"unknown country code '{row['country_code']}'")
    field_name = row["field"].strip()
    field = fields.get(field_name.lower()) or fields.get(slugify(field_name))
    if field is None:
        problems.append(f"unknown creative field '{field_name}'")
    year = _optional_int(row["year_designated"], "year of designation", problems)
    latitude = _optional_float(row["latitude"], "latitude", problems)
    longitude = _optional_float(row["longitude"], "longitude", problems)
    geonames_id = _optional_int(row["geonameid"], "GeoNames id", problems)
    year_source = row["year_source"].strip()
    url = row["unesco_url"].strip() or None
    values = {
        "slug": slugify(f"{name}-{code}") if code else slugify(name),
        "name": name,
        "country": country,
        "is_member": True,
        "field": field,
        "designation_year": year,
        "designation_note": _designation_note(year, year_source),
        "latitude": latitude,
        "longitude": longitude,
        "location_verified": geonames_id is not None and latitude is not None,
        "geonames_id": geonames_id,
        "population": _optional_int(row["population"], "population", problems),
        "about": row["about"].strip(),
        "commitments": row["added_value"].strip(),
        "unesco_url": url,
        "country_source": row["country_source"].strip()[:300],
        "year_source": year_source[:300],
        "location_source": row["coord_source"].strip()[:300],
    }
    for found in member_problems(values).values():
        problems.extend(found)
    return values


def member_problems(values: dict[str, Any]) -> dict[str, list[str]]:
    """The city validator's problems with a row's values, by field, phrased for the import log."""
    return messages(phrased(city_problems(values), IMPORT_MESSAGES))


def _designation_note(year: int | None, year_source: str) -> str:
    if year is None and "<=2013" in year_source:
        return gettext_noop("designated in 2013 or earlier")
    return ""


def _optional_int(text: str, label: str, problems: list[str]) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = int(float(text)) if text.endswith(".0") else int(text)
    except ValueError:
        problems.append(f"{label} '{text}' is not a whole number")
        return None
    if value < 0:
        problems.append(f"{label} {value} is negative")
        return None
    return value


def _optional_float(text: str, label: str, problems: list[str]) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(f"{label} '{text}' is not a number")
        return None


def _differs(instance: Any, name: str, new_value: Any) -> bool:
    """Compare relations by primary key, so that checking a row costs no query."""
    if hasattr(instance, f"{name}_id"):
        new_id = new_value.pk if new_value is not None else None
        return bool(getattr(instance, f"{name}_id") != new_id)
    return bool(getattr(instance, name) != new_value)


def _upsert(model: type[Any], instance: Any, values: dict[str, Any], report: ImportReport) -> None:
    if instance is None:
        model.objects.create(**values)
        report.created += 1
        return
    changed = [name for name, value in values.items() if _differs(instance, name, value)]
    if not changed:
        report.unchanged += 1
        return
    for name in changed:
        setattr(instance, name, values[name])
    instance.save(update_fields=[*changed, *(["updated_at"] if hasattr(instance, "updated_at") else [])])
    report.updated += 1
