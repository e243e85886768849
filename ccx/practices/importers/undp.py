"""The UNDP Accelerator Labs' SDG Innovation Commons (JSON lines): solutions and experiments."""

import html
import re
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ccx.cities.models import Country
from ccx.core.imports import ImportProblem
from ccx.core.validation import is_web_address
from ccx.practices.exchange.checks import check_values
from ccx.practices.exchange.jsonld_in import Lookups
from ccx.practices.importers.places import Location, Places, locate_point
from ccx.practices.importers.reading import (
    CONTENT_LANGUAGES,
    Parsed,
    ParsedPractice,
    Record,
    json_lines,
    load_vocabulary,
    placement,
    slugs_to_ids,
)
from ccx.practices.importers.text import (
    COVID,
    TECHNOLOGY_RULES,
    THEME_RULES,
    clean_text,
    clean_title,
    matches,
    plain,
    summarize,
)
from ccx.practices.importers.undp_form import map_sections, title_without_form, without_echo
from ccx.practices.models import (
    Licence,
    Stage,
)

UNDP_SOURCE = "UNDP Accelerator Labs SDG Commons"
UNDP_URL = "https://sdg-innovation-commons.org"
UNDP_ATTRIBUTION = "© 2024 UNDP Accelerator Labs, SDG Innovation Commons (MIT licence)"
UNDP_TYPES = {"solution": Stage.IMPLEMENTED, "experiment": Stage.PILOT}
UNDP_SKIPPED_TYPES = {"learningplan"}


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


def parse_undp(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    skipped: dict[str, int] = defaultdict(int)
    unknown_countries: dict[str, int] = defaultdict(int)
    counts = {"lead city": 0, "place": 0, "country only": 0, "no country": 0}
    goals = Lookups().goals
    vocabulary = load_vocabulary()
    for line, record in json_lines(path, parsed.problems):
        read = Record(record)
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
        counts[placement(item.values, "no country")] += 1
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


def _undp_record(
    read: Record,
    kind: str,
    places: Places,
    goals: dict[int, int],
    vocabulary: dict[str, dict[str, int]],
    unknown_countries: dict[str, int],
) -> ParsedPractice | None:
    record = read.record
    source_id = read.text("id", required=True)
    title = clean_title(title_without_form(read.text("title", required=True)))
    year_text = str(record.get("year") or "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not 1900 <= year <= date.today().year + 1:
        read.problems.append(f"year '{record.get('year')}' is not a year")
    sections = read_sections(read)
    body = clean_text(read.text("body"))
    latlng = read_points(read)
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
    summary_source = without_echo(_question_of(sections, summary_source), summary_source)
    summary = summarize(summary_source)
    form = map_sections(sections, summary_source, summary_complete=summary == " ".join(summary_source.split()))
    blocks = [body] if body and not any(body in answer for _, answer in sections) else []
    blocks += form.description
    all_text = [*texts, *thematic]
    language = read.text("lang")
    values: dict[str, Any] = {
        "title": title[:250],
        "summary": summary,
        "description": "\n\n".join(blocks),
        "results": form.text("results"),
        "obstacles": form.text("obstacles"),
        "lessons": form.text("lessons"),
        "transferability": form.text("transferability"),
        "resources_needed": form.text("resources"),
        "links": [link for link in form.links if is_web_address(link)],
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
        "themes": slugs_to_ids(matches(THEME_RULES, [*thematic, *form.categories]), vocabulary["themes"]),
        "technologies": slugs_to_ids(
            matches(TECHNOLOGY_RULES, [*thematic, *methods, *datasources]), vocabulary["technologies"]
        ),
    }
    read.problems += check_values(values)
    return ParsedPractice(
        line=0,
        values=values,
        start_year=year,
        published_at=datetime(year, 1, 1, tzinfo=UTC) if year else None,
    )


def undp_goals(read: Record, sdg_texts: list[str], goals: dict[int, int]) -> set[int]:
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


def read_sections(read: Record) -> list[tuple[str, str]]:
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


def read_points(read: Record) -> list[tuple[float, float]]:
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


def _question_of(sections: list[tuple[str, str]], answer: str) -> str:
    return next((question for question, given in sections if given == answer), "")


def _best_answer(sections: list[tuple[str, str]], questions: list[str]) -> str:
    for pattern in questions:
        for question, answer in sections:
            if re.search(pattern, question, re.IGNORECASE):
                return answer
    return ""
