"""What is still wrong or unknown in the members' records, checked against the data that ships with the site.

One list serves the secretariat's page (/cities/data-quality/) and the test on the bundled data. A finding that
the network has looked at and accepts (a small island state missing from the 1:110m shapes, a town below the
population floor) is listed with its reason in `ccx/data/member_data_exceptions.csv`; it still shows on the
page, marked as accepted.
"""

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ccx.cities.gazetteer import normalized
from ccx.cities.models import City
from ccx.cities.world import shape_of_country

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EXCEPTIONS = DATA_DIR / "member_data_exceptions.csv"
PRESS_LISTS = DATA_DIR / "uccn_designation_lists_from_press.json"

# The 1:110m shapes simplify coasts and small peninsulas by up to a few tens of kilometres: a port city's
# point may fall in the sea next to its country (Nassau lies 47 km from the simplified Bahamas).
COAST_TOLERANCE_KM = 60.0
# No member city is a village: fewer inhabitants than this in a member's record is more likely a district's
# or a namesake's record than the city's own, unless an exception says otherwise.
POPULATION_FLOOR = 10_000

CHECKS: dict[str, Promise] = {
    "no-country": _("Country unknown"),
    "no-location": _("No coordinates"),
    "no-shape": _("No country shape to check the point against"),
    "outside-country": _("Point outside its country"),
    "population-unknown": _("Population unknown"),
    "population-floor": _("Population below the plausible floor"),
    "year-in-sources": _("Year known from the sources but not shown"),
    "year-unknown": _("Designation year unknown"),
    "location-unverified": _("Location not verified against GeoNames"),
}
# Gaps that the data cannot close by itself: listed for the secretariat, not errors in the bundled file.
GAPS = frozenset({"year-unknown", "location-unverified"})


@dataclass(frozen=True)
class Finding:
    city: City
    check: str
    detail: str
    accepted: str = ""  # the documented reason, when the network accepts the finding

    @property
    def label(self) -> str:
        return str(CHECKS[self.check])

    @property
    def is_gap(self) -> bool:
        return self.check in GAPS


@lru_cache(maxsize=1)
def accepted_exceptions() -> dict[tuple[str, str, str], str]:
    """(city, ISO country code, check) → reason."""
    with EXCEPTIONS.open(encoding="utf-8", newline="") as handle:
        return {(row["city"], row["country_code"], row["check"]): row["reason"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _press_designations() -> dict[str, list[tuple[str, int | str]]]:
    """normalized city name → (creative field or "", year or "<=2013") of each announcement."""
    designations: dict[str, list[tuple[str, int | str]]] = {}
    for city, _country, field, year in json.loads(PRESS_LISTS.read_text(encoding="utf-8"))["designations"]:
        designations.setdefault(normalized(city), []).append(((field or "").lower(), year))
    return designations


def press_year(city: City) -> int | str | None:
    """The year the press lists give for the member's designation in its field ("<=2013" if only that)."""
    field = city.field.name.lower() if city.field else ""
    for listed_field, year in _press_designations().get(normalized(city.name), []):
        if listed_field in (field, ""):
            return year
    return None


def member_findings(cities: Iterable[City]) -> list[Finding]:
    """Every finding for the given members (with country and field loaded), accepted ones included."""
    exceptions = accepted_exceptions()
    findings = []
    for city in cities:
        code = city.country.code if city.country else ""
        for check, detail in _problems(city):
            findings.append(Finding(city, check, detail, exceptions.get((city.name, code, check), "")))
    return findings


def _problems(city: City) -> list[tuple[str, str]]:
    return [*_place_problems(city), *_population_problems(city), *_year_problems(city)]


def _place_problems(city: City) -> list[tuple[str, str]]:
    if city.country is None:
        return [("no-country", "")]
    problems = [] if city.location_verified else [("location-unverified", city.location_source)]
    if city.latitude is None or city.longitude is None:
        return [*problems, ("no-location", "")]
    shape = shape_of_country(city.country.code)
    if shape is None:
        return [*problems, ("no-shape", city.country.name)]
    distance = shape.distance_km(city.longitude, city.latitude)
    if distance > COAST_TOLERANCE_KM:
        problems.append(("outside-country", f"{distance:,.0f} km from {city.country.name}"))
    return problems


def _population_problems(city: City) -> list[tuple[str, str]]:
    if city.population is None:
        return [("population-unknown", "")]
    if city.population < POPULATION_FLOOR:
        return [("population-floor", f"{city.population:,}")]
    return []


def _year_problems(city: City) -> list[tuple[str, str]]:
    if city.designation_year is not None:
        return []
    known = press_year(city)
    if isinstance(known, int) or (known is not None and not city.designation_note):
        return [("year-in-sources", str(known))]
    return [] if city.designation_note else [("year-unknown", "")]
