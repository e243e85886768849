"""Load the members' twinnings recorded in Wikidata (P190) as public partnership records.

Every row is checked first; nothing is written unless all are valid, and then all at once. Members are
found by name and country as the member columns spell them (or by a Wikidata id a city already carries),
never by the file's GeoNames ids, some of which are wrong. The other end of a link becomes a city outside
the network. Each distinct pair of cities is one twinning, "recorded, unconfirmed" until a focal point of
one of its member cities confirms, corrects or ends it; a re-import never touches a twinning it finds
again, so those changes last.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from ccx.cities.models import City, Country
from ccx.core.imports import ImportFailed, ImportProblem, ImportReport, file_checksum, read_csv, record_run
from ccx.core.progress import Progress, silent
from ccx.core.validation import messages
from ccx.partnerships.models import (
    Partnership,
    PartnershipEvent,
    PartnershipKind,
    PartnershipSource,
    PartnershipStatus,
    Party,
)
from ccx.partnerships.validation import terms_problems

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cooperation"
BUNDLED_TWINNINGS = DATA_DIR / "member_twinnings.csv"
BUNDLED_TWIN_CITIES = DATA_DIR / "twin_nodes_wikidata.tsv"
IMPORT_KIND = "twinnings"

LINK_COLUMNS = {
    "member_city_name",
    "member_country_iso2",
    "member_qid",
    "member_qid_name",
    "other_qid",
    "other_name",
    "other_country_iso2",
    "other_is_member",
    "other_member_city_name",
}
NODE_COLUMNS = {"id", "name", "lng", "lat", "countrycd"}
QID = re.compile(r"Q[1-9][0-9]*")
# The dataset's own codes for territories: Taiwan has an ISO code; Kosovo, Northern Cyprus and
# Somaliland have none in the countries list, so those cities keep an unknown country.
DATASET_COUNTRY_CODES = {"CN-TW": "TW"}
LOCATION_SOURCE = "Wikidata (twin-city dataset bothness/twin-cities)"


@dataclass(frozen=True)
class TwinCity:
    """A city of the twin dataset: what a city outside the network is created from."""

    qid: str
    name: str
    latitude: float
    longitude: float
    country_code: str


@dataclass(frozen=True)
class Link:
    line: int
    member_name: str
    member_country: str
    member_qid: str
    member_qid_name: str
    other_qid: str
    other_is_member: bool
    other_member_name: str
    other_country: str


@dataclass
class Resolution:
    """Who each link's ends are in the database, and what could not be placed."""

    pairs: dict[tuple[int, int], list[Link]] = field(default_factory=dict)
    cities: dict[int, City] = field(default_factory=dict)
    unmatched: dict[str, list[int]] = field(default_factory=dict)
    same_city: list[Link] = field(default_factory=list)
    matched_by_id: set[int] = field(default_factory=set)
    matched_by_name: set[int] = field(default_factory=set)
    cities_created: int = 0
    cities_updated: int = 0


def normalised(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name: "Tel Aviv-Yafo" → "telavivyafo"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if char.isalnum() and not unicodedata.combining(char)).casefold()


def import_twinnings(
    path: Path = BUNDLED_TWINNINGS, cities_path: Path = BUNDLED_TWIN_CITIES, progress: Progress = silent
) -> ImportReport:
    twin_cities = read_twin_cities(cities_path)
    links = read_links(path, twin_cities)
    if not City.objects.members().exists():
        raise ImportFailed([ImportProblem(str(path), 0, "no member cities are loaded yet: run import-network first")])
    report = ImportReport(kind=IMPORT_KIND, source=path.name)
    with transaction.atomic():
        resolution = resolve(links, twin_cities, progress)
        _write_twinnings(resolution, report, len(links), progress)
        _add_notes(report, resolution, links)
        record_run(report, file_checksum(path, cities_path))
    return report


def read_twin_cities(path: Path) -> dict[str, TwinCity]:
    rows, problems = read_csv(path, NODE_COLUMNS, delimiter="\t")
    cities: dict[str, TwinCity] = {}
    for line, row in rows:
        row_problems: list[str] = []
        qid = row["id"].strip()
        if not QID.fullmatch(qid):
            row_problems.append(f"'{qid}' is not a Wikidata id")
        elif qid in cities:
            row_problems.append(f"{qid} appears twice")
        name = row["name"].strip()
        if not name:
            row_problems.append("the name is empty")
        latitude = _coordinate(row["lat"], "latitude", 90, row_problems)
        longitude = _coordinate(row["lng"], "longitude", 180, row_problems)
        problems += [ImportProblem(str(path), line, message) for message in row_problems]
        if not row_problems and latitude is not None and longitude is not None:
            cities[qid] = TwinCity(qid, name, latitude, longitude, row["countrycd"].strip().upper())
    if problems:
        raise ImportFailed(problems)
    return cities


def _coordinate(text: str, label: str, limit: float, problems: list[str]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{label} '{text}' is not a number")
        return None
    if not -limit <= value <= limit:
        problems.append(f"{label} {value} is outside -{limit}…{limit}")
        return None
    return value


def read_links(path: Path, twin_cities: dict[str, TwinCity]) -> list[Link]:
    rows, problems = read_csv(path, LINK_COLUMNS)
    links: list[Link] = []
    for line, row in rows:
        values = {name: row[name].strip() for name in LINK_COLUMNS}
        row_problems: list[str] = []
        if not values["member_city_name"]:
            row_problems.append("the member city's name is empty")
        if not re.fullmatch(r"[A-Za-z]{2}", values["member_country_iso2"]):
            row_problems.append(f"'{values['member_country_iso2']}' is not a two-letter country code")
        for column in ("member_qid", "other_qid"):
            if not QID.fullmatch(values[column]):
                row_problems.append(f"{column} '{values[column]}' is not a Wikidata id")
        if values["member_qid"] and values["member_qid"] == values["other_qid"]:
            row_problems.append("the city is twinned with itself")
        if values["other_is_member"] not in ("yes", "no"):
            row_problems.append(f"other_is_member must be yes or no, not '{values['other_is_member']}'")
        elif values["other_is_member"] == "yes" and not values["other_member_city_name"]:
            row_problems.append("the other end is a member but other_member_city_name is empty")
        elif values["other_is_member"] == "no" and values["other_qid"] not in twin_cities:
            row_problems.append(f"{values['other_qid']} is not in the file of twin cities")
        other = values["other_member_city_name"] or values["other_name"]
        for texts in twinning_problems(twinning_terms(values["member_city_name"], other)).values():
            row_problems += texts
        problems += [ImportProblem(str(path), line, message) for message in row_problems]
        links.append(
            Link(
                line=line,
                member_name=values["member_city_name"],
                member_country=values["member_country_iso2"].upper(),
                member_qid=values["member_qid"],
                member_qid_name=values["member_qid_name"],
                other_qid=values["other_qid"],
                other_is_member=values["other_is_member"] == "yes",
                other_member_name=values["other_member_city_name"],
                other_country=values["other_country_iso2"].upper(),
            )
        )
    if problems:
        raise ImportFailed(problems)
    return links


class MemberFinder:
    """Member cities by Wikidata id, by (name, country) and by name alone when it is unambiguous."""

    def __init__(self) -> None:
        members = list(City.objects.members().select_related("country"))
        self.by_qid = {city.wikidata_id: city for city in members if city.wikidata_id}
        self.by_name_country = {
            (normalised(city.name), city.country.code if city.country else ""): city for city in members
        }
        by_name: dict[str, list[City]] = {}
        for city in members:
            by_name.setdefault(normalised(city.name), []).append(city)
        self.by_unique_name = {name: cities[0] for name, cities in by_name.items() if len(cities) == 1}

    def find(self, qid: str, name: str, country: str, *, name_alone: bool = False) -> tuple[City | None, bool]:
        """(the member, whether it was found by its Wikidata id)."""
        if qid in self.by_qid:
            return self.by_qid[qid], True
        city = self.by_name_country.get((normalised(name), country))
        if city is None and name_alone:
            city = self.by_unique_name.get(normalised(name))
        return city, False


def resolve(links: list[Link], twin_cities: dict[str, TwinCity], progress: Progress = silent) -> Resolution:
    finder = MemberFinder()
    resolution = Resolution()
    member_of_qid: dict[str, City] = {}
    for link in links:
        city, by_id = finder.find(link.member_qid, link.member_name, link.member_country)
        if city is None:
            resolution.unmatched.setdefault(f"{link.member_name} ({link.member_country})", []).append(link.line)
            continue
        member_of_qid[link.member_qid] = city
        (resolution.matched_by_id if by_id else resolution.matched_by_name).add(city.pk)
    _remember_wikidata_ids(links, member_of_qid)
    others = _cities_outside(links, twin_cities, member_of_qid, resolution)
    for done, link in enumerate(links, start=1):
        progress(done, len(links) * 2, link.member_name)  # resolving is the first half, writing the second
        member = member_of_qid.get(link.member_qid)
        if member is None:
            continue
        other = member_of_qid.get(link.other_qid) or others.get(link.other_qid)
        if other is None and link.other_is_member:
            country = DATASET_COUNTRY_CODES.get(link.other_country, link.other_country)
            other, by_id = finder.find(link.other_qid, link.other_member_name, country, name_alone=True)
            if other is not None:
                (resolution.matched_by_id if by_id else resolution.matched_by_name).add(other.pk)
        if other is None:
            resolution.unmatched.setdefault(f"{link.other_member_name or link.other_qid}", []).append(link.line)
            continue
        if other.pk == member.pk:
            resolution.same_city.append(link)
            continue
        resolution.cities[member.pk], resolution.cities[other.pk] = member, other
        pair = (min(member.pk, other.pk), max(member.pk, other.pk))
        resolution.pairs.setdefault(pair, []).append(link)
    return resolution


def _remember_wikidata_ids(links: Iterable[Link], member_of_qid: dict[str, City]) -> None:
    """A member found by name keeps the Wikidata id of its item, so that a later import finds it even if
    renamed. A member with two items (Lyon: the commune and the métropole) keeps the one named like it."""
    items: dict[int, dict[str, str]] = {}
    for link in links:
        city = member_of_qid.get(link.member_qid)
        if city is not None and not city.wikidata_id:
            items.setdefault(city.pk, {})[link.member_qid] = link.member_qid_name
    taken = set(City.objects.exclude(wikidata_id=None).values_list("wikidata_id", flat=True))
    city_by_pk = {city.pk: city for city in member_of_qid.values()}
    for city_pk, qids in items.items():
        city = city_by_pk[city_pk]
        named_alike = [qid for qid, name in qids.items() if normalised(name) == normalised(city.name)]
        choice = named_alike[0] if named_alike else (next(iter(qids)) if len(qids) == 1 else None)
        if choice is not None and choice not in taken:
            city.wikidata_id = choice
            city.save(update_fields=["wikidata_id", "updated_at"])
            taken.add(choice)


def _cities_outside(
    links: list[Link], twin_cities: dict[str, TwinCity], member_of_qid: dict[str, City], resolution: Resolution
) -> dict[str, City]:
    """The other ends that are not members: found by Wikidata id, else created (name, country, coordinates)."""
    wanted = {
        link.other_qid: twin_cities[link.other_qid]
        for link in links
        if not link.other_is_member and link.other_qid not in member_of_qid
    }
    existing = {city.wikidata_id or "": city for city in City.objects.filter(wikidata_id__in=wanted)}
    countries = {country.code: country for country in Country.objects.all()}
    taken_slugs = set(City.objects.values_list("slug", flat=True))
    new: list[City] = []
    for qid, twin in sorted(wanted.items()):
        country = countries.get(DATASET_COUNTRY_CODES.get(twin.country_code, twin.country_code))
        values = {"name": twin.name, "country": country, "latitude": twin.latitude, "longitude": twin.longitude}
        city = existing.get(qid)
        if city is None:
            slug = _free_slug(
                slugify(f"{twin.name}-{country.code}" if country else twin.name) or qid.lower(), taken_slugs
            )
            new.append(City(slug=slug, wikidata_id=qid, is_member=False, location_source=LOCATION_SOURCE, **values))
            continue
        changed = [
            name
            for name, value in values.items()
            if name not in city.corrected_fields and getattr(city, name) != value and not city.is_member
        ]
        if changed:
            for name in changed:
                setattr(city, name, values[name])
            city.save(update_fields=[*changed, "updated_at"])
            resolution.cities_updated += 1
    for city in City.objects.bulk_create(new):
        existing[city.wikidata_id or ""] = city
    resolution.cities_created = len(new)
    return existing


def _free_slug(base: str, taken: set[str]) -> str:
    base = base[:110].strip("-")
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def twinning_terms(first: str, second: str) -> dict[str, str]:
    """The terms of a recorded twinning: its title names the two cities."""
    return {"title": f"{first} – {second}", "kind": PartnershipKind.TWINNING, "goals": ""}


def twinning_problems(terms: dict[str, str]) -> dict[str, list[str]]:
    """The terms validator's problems with a twinning's terms, for the import log ("title: …")."""
    found = messages(terms_problems(terms, required=("title",)))
    return {name: [f"{name}: {text}" for text in texts] for name, texts in found.items()}


def _write_twinnings(resolution: Resolution, report: ImportReport, rows: int, progress: Progress) -> None:
    existing = _recorded_pairs()
    taken_slugs = set(Partnership.objects.values_list("slug", flat=True))
    new: list[tuple[Partnership, tuple[int, int]]] = []
    total = len(resolution.pairs)
    for done, (pair, links) in enumerate(resolution.pairs.items(), start=1):
        progress(rows + done * rows // total, rows * 2, "")
        reference = _reference(links)
        partnership = existing.get(pair)
        if partnership is not None:
            # Never undo what the cities did with it; only the source's identifiers may move on.
            if partnership.source_reference != reference:
                partnership.source_reference = reference
                partnership.save(update_fields=["source_reference", "updated_at"])
                report.updated += 1
            else:
                report.unchanged += 1
            continue
        first, second = _in_title_order(resolution.cities[pair[0]], resolution.cities[pair[1]])
        new.append(
            (
                Partnership(
                    slug=_free_slug(slugify(f"{first.name} {second.name}") or "twinning", taken_slugs),
                    status=PartnershipStatus.RECORDED,
                    source=PartnershipSource.WIKIDATA,
                    source_reference=reference,
                    **twinning_terms(first.name, second.name),
                ),
                pair,
            )
        )
    created = Partnership.objects.bulk_create([partnership for partnership, _pair in new])
    Party.objects.bulk_create(
        Party(partnership=partnership, city_id=city_id)
        for partnership, (_old, pair) in zip(created, new, strict=True)
        for city_id in pair
    )
    PartnershipEvent.objects.bulk_create(
        PartnershipEvent(
            partnership=partnership,
            action="recorded",
            to_status=PartnershipStatus.RECORDED,
            comment=f"Wikidata P190: {partnership.source_reference}",
        )
        for partnership in created
    )
    report.created += len(created)


def _recorded_pairs() -> dict[tuple[int, int], Partnership]:
    """The twinnings an earlier import made, by their pair of cities (whatever has become of them since)."""
    partnerships = Partnership.objects.filter(source=PartnershipSource.WIKIDATA).in_bulk()
    cities: dict[int, list[int]] = {}
    for partnership_id, city_id in Party.objects.filter(partnership__in=partnerships, city__isnull=False).values_list(
        "partnership_id", "city_id"
    ):
        cities.setdefault(partnership_id, []).append(city_id)
    return {
        (min(ids), max(ids)): partnerships[partnership_id] for partnership_id, ids in cities.items() if len(ids) == 2
    }


def _reference(links: list[Link]) -> str:
    """The Wikidata items of the link(s) behind a twinning: "Q1492 Q1490" (two links: "…; …")."""
    return "; ".join(dict.fromkeys(" ".join(sorted((link.member_qid, link.other_qid))) for link in links))[:100]


def _in_title_order(a: City, b: City) -> tuple[City, City]:
    """A member before a city outside the network; two members in alphabetical order."""
    return tuple(sorted((a, b), key=lambda city: (not city.is_member, city.name)))  # type: ignore[return-value]


def _add_notes(report: ImportReport, resolution: Resolution, links: list[Link]) -> None:
    members = resolution.matched_by_id | resolution.matched_by_name
    both_members = sum(
        1 for a, b in resolution.pairs if resolution.cities[a].is_member and resolution.cities[b].is_member
    )
    report.notes.append(
        f"{len(members)} member cities matched ({len(resolution.matched_by_name - resolution.matched_by_id)} by name "
        f"and country, {len(resolution.matched_by_id)} by Wikidata id); {len(resolution.pairs)} twinnings in "
        f"{len(links)} rows: {both_members} between two members, {len(resolution.pairs) - both_members} with "
        "cities outside the network"
    )
    report.notes.append(
        f"cities outside the network: {resolution.cities_created} created, {resolution.cities_updated} updated"
    )
    if resolution.same_city:
        report.notes.append(
            f"{len(resolution.same_city)} link(s) between two Wikidata items of the same member skipped (line "
            + ", ".join(str(link.line) for link in resolution.same_city)
            + ")"
        )
    if resolution.unmatched:
        named = "; ".join(
            f"{name}, line {', '.join(map(str, lines[:5]))}" for name, lines in sorted(resolution.unmatched.items())
        )
        count = sum(len(lines) for lines in resolution.unmatched.values())
        report.notes.append(f"{count} row(s) skipped: no member city of that name and country: {named}")
