"""A city's SDG indicator values: the one validator, who may change them, and the CSV importer.

The form, the API and `ccx import-indicators` all build an `IndicatorValue` and call
`validate_indicator_value`, so a value is valid or not in the same way wherever it comes from.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccx.cities.models import City
from ccx.core.imports import ImportFailed, ImportProblem, ImportReport, file_checksum, read_csv, record_run
from ccx.core.people import focal_city_ids, is_secretariat
from ccx.core.progress import Progress, silent
from ccx.sdg.models import Indicator, IndicatorValue

FIRST_YEAR = 1950
PERCENT_UNITS = {"%", "percent", "per cent", "pourcentage"}
REQUIRED_COLUMNS = {"city", "indicator", "year", "value", "unit", "source"}
OPTIONAL_COLUMNS = ("method_note", "disaggregation")


def can_edit_values(user: object, city: City) -> bool:
    """A city's indicator values: its own focal points and the secretariat."""
    return is_secretariat(user) or city.pk in focal_city_ids(user)


def editable_cities(user: Any) -> list[City]:
    if is_secretariat(user):
        return list(City.objects.members().select_related("country"))
    if not user.is_authenticated:
        return []
    return list(user.focal_point_of.select_related("country"))


def validate_indicator_value(value: IndicatorValue) -> None:
    """Raise a ValidationError naming each bad field; nothing about a value is checked anywhere else."""
    errors: dict[str, list[str]] = {}
    this_year = date.today().year
    if value.year is None or not FIRST_YEAR <= value.year <= this_year:
        errors.setdefault("year", []).append(
            _("Give a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year}
        )
    number = value.value
    if number is None or not isinstance(number, Decimal) or not number.is_finite():
        errors.setdefault("value", []).append(_("Give the value as a number, e.g. 12.5."))
    elif (value.unit or "").strip().lower() in PERCENT_UNITS and not 0 <= number <= 100:
        errors.setdefault("value", []).append(_("A percentage lies between 0 and 100."))
    if not (value.unit or "").strip():
        errors.setdefault("unit", []).append(_("Say in which unit the value is (%, km², persons…)."))
    if not (value.source or "").strip():
        errors.setdefault("source", []).append(_("Name the source: who measured it, and where it is published."))
    if errors:
        raise ValidationError(errors)


def parse_number(text: str) -> Decimal | None:
    """'12.5', '1 234,5' and '1,234.5' are numbers; anything else (including NaN and infinity) is not."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not number.is_finite() or math.isinf(float(number)):
        return None
    return number


def validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)


@dataclass
class CityLookup:
    """Find the city a row names: by its identifier (ashgabat-tm) or by its name when only one city has it."""

    by_slug: dict[str, City]
    by_name: dict[str, list[City]]

    @classmethod
    def load(cls) -> "CityLookup":
        by_name: dict[str, list[City]] = {}
        cities = list(City.objects.all())
        for city in cities:
            by_name.setdefault(city.name.casefold(), []).append(city)
        return cls({city.slug: city for city in cities}, by_name)

    def find(self, text: str) -> City | str:
        key = text.strip()
        if key in self.by_slug:
            return self.by_slug[key]
        named = self.by_name.get(key.casefold(), [])
        if len(named) == 1:
            return named[0]
        if named:
            return f"several cities are called “{key}”: use the identifier ({', '.join(c.slug for c in named)})"
        return f"unknown city “{key}” (give its identifier, e.g. ashgabat-tm, or its exact name)"


def _row_value(
    row: dict[str, str], cities: CityLookup, indicators: dict[str, Indicator]
) -> tuple[IndicatorValue | None, list[str]]:
    problems: list[str] = []
    city = cities.find(row["city"])
    if isinstance(city, str):
        problems.append(city)
    indicator = indicators.get(row["indicator"].strip())
    if indicator is None:
        problems.append(f"unknown SDG indicator code “{row['indicator'].strip()}” (e.g. 11.6.2)")
    year_text = row["year"].strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None:
        problems.append(f"the year “{year_text}” is not a year")
    number = parse_number(row["value"])
    if number is None:
        problems.append(f"the value “{row['value'].strip()}” is not a number")
    if problems:
        return None, problems
    record = IndicatorValue(
        city=city,  # type: ignore[misc]
        indicator=indicator,
        year=year,
        value=number,
        unit=row["unit"].strip(),
        source=row["source"].strip(),
        method_note=(row.get("method_note") or "").strip(),
        disaggregation=(row.get("disaggregation") or "").strip(),
    )
    try:
        validate_indicator_value(record)
    except ValidationError as error:
        return None, validation_messages(error)
    return record, []


FIELDS = ("value", "unit", "source", "method_note")


def import_indicator_values(path: Path, progress: Progress = silent) -> ImportReport:
    """Check every row, then write all of them in one transaction (or nothing when a row is bad).

    A row for a city, indicator, year and group that already has a value updates it; the same file twice
    changes nothing.
    """
    rows, problems = read_csv(path, REQUIRED_COLUMNS)
    cities = CityLookup.load()
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    records: list[tuple[int, IndicatorValue]] = []
    seen: dict[tuple[int, int, int, str], int] = {}
    for line, row in rows:
        record, messages = _row_value(row, cities, indicators)
        problems.extend(ImportProblem(str(path), line, message) for message in messages)
        if record is None:
            continue
        key = (record.city.pk, record.indicator.pk, record.year, record.disaggregation)
        if key in seen:
            problems.append(ImportProblem(str(path), line, f"the same value as line {seen[key]} is given twice"))
            continue
        seen[key] = line
        records.append((line, record))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda problem: problem.line))
    report = ImportReport(kind="indicator values", source=str(path))
    with transaction.atomic():
        existing = {
            (value.city_id, value.indicator_id, value.year, value.disaggregation): value
            for value in IndicatorValue.objects.filter(city__in={record.city.pk for _line, record in records})
        }
        for done, (_line, record) in enumerate(records, start=1):
            current = existing.get((record.city.pk, record.indicator.pk, record.year, record.disaggregation))
            if current is None:
                record.save()
                report.created += 1
            elif any(getattr(current, name) != getattr(record, name) for name in FIELDS):
                for name in FIELDS:
                    setattr(current, name, getattr(record, name))
                current.save()
                report.updated += 1
            else:
                report.unchanged += 1
            progress(done, len(records), record.city.name)
        record_run(report, file_checksum(path))
    return report
