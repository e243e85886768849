"""The ReInHerit Digital Hub's good practices (JSON lines)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ccx.core.imports import ImportProblem
from ccx.core.validation import is_web_address
from ccx.practices.exchange.checks import check_values
from ccx.practices.exchange.jsonld_in import licence_code
from ccx.practices.importers.places import Location, Places, locate_text
from ccx.practices.importers.reading import (
    CONTENT_LANGUAGES,
    NOT_GIVEN,
    Parsed,
    ParsedPractice,
    Record,
    json_lines,
    load_vocabulary,
    placement,
    slugs_to_ids,
)
from ccx.practices.importers.text import COVID, TECHNOLOGY_RULES, THEME_RULES, clean_title, matches, summarize
from ccx.practices.models import (
    ActorType,
    Stage,
)

REINHERIT_SOURCE = "ReInHerit Digital Hub"


YOUTUBE_LINE = re.compile(r"^\s*`youtube:\s*(\S+?)\s*`\s*$", re.MULTILINE)


def parse_reinherit(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    vocabulary = load_vocabulary()
    counts = {"lead city": 0, "place": 0, "country only": 0, "no location": 0}
    for line, record in json_lines(path, parsed.problems):
        read = Record(record)
        item = _reinherit_record(read, places, vocabulary, parsed.notes)
        parsed.problems += [ImportProblem(str(path), line, message) for message in read.problems]
        if item is None or read.problems:
            continue
        item.line = line
        parsed.practices.append(item)
        counts[placement(item.values, "no location")] += 1
    parsed.notes.insert(
        0,
        f"places: {counts['lead city']} at a member city, {counts['place']} at a named place, "
        f"{counts['country only']} in a country only, {counts['no location']} with no location",
    )
    return parsed


def _reinherit_record(
    read: Record, places: Places, vocabulary: dict[str, dict[str, int]], notes: list[str]
) -> ParsedPractice | None:
    source_id = read.text("id", required=True)
    title = clean_title(read.text("title", required=True))
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
        "themes": slugs_to_ids(["heritage", *matches(THEME_RULES, described)], vocabulary["themes"]),
        "technologies": slugs_to_ids(matches(TECHNOLOGY_RULES, described), vocabulary["technologies"]),
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


def _date(read: Record, key: str) -> date | None:
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
