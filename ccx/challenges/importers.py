"""Load real challenges: the action learning plans of the UNDP Accelerator Labs (format "undp").

The same file as the practices' UNDP import (ccx/practices/importers/undp.py), read with the same helpers: solutions
and experiments are practices and are skipped here; each learning plan becomes a public, open challenge with its
source and attribution. Two forms of plan exist: the plan itself (challenge statement, background, evidence,
learning questions) and its closing report (key insights, barriers met, handover). They map onto a challenge:

- title: the record's title, or the plan's name when the title is a cut-off first answer;
- statement: the challenge statement, else the short "tweet" summary, else the key insights;
- context: the background, the quantitative and qualitative evidence, the insights and the handover;
- obstacles: the barriers or bottlenecks met, one item per listed point;
- goals: the learning questions;
- themes: the practices' keyword rules over the thematic areas and the title; SDGs: the record's goals;
- place: the same rules as practices (a member city only when the record names it).

Every record is checked first; nothing is written unless all are valid (one transaction). Re-importing the
same file changes nothing; a changed record updates its challenge in place, except the fields edited on the
site (Challenge.edited_fields), which keep their site version.
"""

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from ccx.challenges.models import Challenge, ChallengeStatus, Visibility
from ccx.challenges.services import MAX_OBSTACLE_LENGTH, MAX_OBSTACLES, TEXT_FIELDS
from ccx.core.imports import ImportFailed, ImportProblem, ImportReport, file_checksum, record_run
from ccx.core.progress import Progress, silent
from ccx.practices.exchange.jsonld_in import Lookups
from ccx.practices.importers import BUNDLED_UNDP
from ccx.practices.importers.places import Places
from ccx.practices.importers.reading import CONTENT_LANGUAGES, Record, json_lines, slugs_to_ids
from ccx.practices.importers.text import THEME_RULES, matches
from ccx.practices.importers.undp import (
    UNDP_ATTRIBUTION,
    UNDP_SOURCE,
    UNDP_TYPES,
    UNDP_URL,
    read_points,
    read_sections,
    undp_goals,
    undp_location,
)

FORMATS = ("undp",)
BUNDLED_CHALLENGES = [(BUNDLED_UNDP, "undp")]
LEARNING_PLAN = "learningplan"
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\(?\d{1,2}[.)]|\d{1,2}\s*[-–]|[a-h][.)])\s+")
CLOSURE_PREFIX = re.compile(r"^\s*\(closure\)\s*", re.IGNORECASE)

# Questions of the UNDP plan forms, matched at the start of the question (case-insensitive).
QUESTIONS = {
    "name": r"^please provide a name for your action learning plan",
    "statement": r"^challenge statement",
    "tweet": r"^short .tweet. summary",
    "background": r"^background",
    "quantitative": r"^quantitative evidence",
    "qualitative": r"^qualitative evidence",
    "learning_question": r"^learning question",
    "insights": r"^what are the top (?:5 )?key insights",
    "barriers": r"^did you experience any barriers or bottlenecks",
    "handover": r"^can you provide more detail on your handover",
}
# The UNDP forms are in English whatever the language of the answers; the headings shown are the site's.
CONTEXT_PARTS = [
    ("background", ""),
    ("quantitative", "Quantitative evidence"),
    ("qualitative", "Qualitative evidence"),
    ("insights", "What was learned"),
    ("handover", "Handover"),
]
SCALARS = (
    "title",
    "statement",
    "context",
    "obstacles",
    "goals",
    "language",
    "city_id",
    "country_id",
    "place_name",
    "source_year",
)
FIRST_SOURCE_YEAR = 2000
RELATIONS = ("themes", "sdg_goals")


@dataclass
class ParsedChallenge:
    line: int
    source_id: str
    values: dict[str, Any]


@dataclass
class Parsed:
    challenges: list[ParsedChallenge] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_challenges(path: Path, format: str = "undp", progress: Progress = silent) -> ImportReport:
    """Create or update the challenges in `path`. Nothing is written unless every record is valid."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (expected one of {', '.join(FORMATS)})")
    parsed = _parse_undp(path, Places())
    if parsed.problems:
        raise ImportFailed(parsed.problems)
    report = ImportReport(kind=f"challenges-{format}", source=path.name)
    report.notes += parsed.notes
    with transaction.atomic():
        _write(parsed.challenges, report, progress)
        record_run(report, file_checksum(path))
    return report


# Reading -----------------------------------------------------------------------------------------------------


def _parse_undp(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    skipped: dict[str, int] = defaultdict(int)
    unknown_countries: dict[str, int] = defaultdict(int)
    counts = {"city": 0, "place": 0, "country only": 0, "no country": 0}
    lookups = Lookups()
    seen: dict[str, int] = {}
    for line, record in json_lines(path, parsed.problems):
        read = Record(record)
        kind = read.text("type", required=True)
        if kind in UNDP_TYPES:
            skipped[kind] += 1
            continue
        if kind and kind != LEARNING_PLAN:
            read.problems.append(f"unknown type '{kind}' (expected solution, experiment or learningplan)")
        item = _learning_plan(read, places, lookups, unknown_countries) if not read.problems else None
        parsed.problems += [ImportProblem(str(path), line, message) for message in read.problems]
        if item is None or read.problems:
            continue
        if item.source_id in seen:
            parsed.problems.append(ImportProblem(str(path), line, f"same record as line {seen[item.source_id]}"))
            continue
        seen[item.source_id] = line
        item.line = line
        parsed.challenges.append(item)
        values = item.values
        placement = (
            "city"
            if values["city_id"]
            else "no country"
            if values["country_id"] is None
            else "place"
            if values["place_name"]
            else "country only"
        )
        counts[placement] += 1
    for kind, number in sorted(skipped.items()):
        parsed.notes.append(f"skipped {number} record(s) of type {kind} (they are practices)")
    parsed.notes.append(
        f"places: {counts['city']} at a member city, {counts['place']} at a named town, "
        f"{counts['country only']} in a country only, {counts['no country']} with no known country"
    )
    if unknown_countries:
        listed = ", ".join(f"{name} ({number})" for name, number in sorted(unknown_countries.items()))
        parsed.notes.append(f"country names not recognised: {listed}")
    parsed.problems.sort(key=lambda problem: problem.line)
    return parsed


def _answers(read: Record) -> dict[str, list[str]]:
    """The answers to the known questions; an answer under an empty question belongs to the question before."""
    answers: dict[str, list[str]] = defaultdict(list)
    current = ""
    for question, answer in read_sections(read):
        if question:
            current = next((name for name, pattern in QUESTIONS.items() if re.search(pattern, question, re.I)), "")
        text = _strip_html(answer)
        if current and text:
            answers[current].append(text)
    return answers


def _strip_html(text: str) -> str:
    text = HTML_TAG.sub("", text.replace("\u200b", ""))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def list_items(text: str) -> list[str]:
    """The points of a listed answer ("1. …", "- …"; lines that continue a point join it), else its paragraphs."""
    items: list[str] = []
    if re.match(r"^\s*1[.)]\s", text):  # "1. … 2. … 3. …" on one line: one point per number, in sequence
        number = 2
        while found := re.search(rf"[ \t]+(?={number}[.)]\s)", text):
            text = f"{text[: found.start()]}\n{text[found.end() :]}"
            number += 1
    lines = [line for line in text.split("\n") if line.strip()]
    listed = any(LIST_MARKER.match(line) for line in lines)  # else each line (paragraph) is a point
    for line in lines:
        marked = LIST_MARKER.match(line) or not listed
        point = " ".join(LIST_MARKER.sub("", line).split())
        if marked or not items:
            items.append(point)
        else:
            items[-1] = f"{items[-1]} {point}"
    return [_shorten(item, MAX_OBSTACLE_LENGTH) for item in items if item][:MAX_OBSTACLES]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"


def _title(read: Record, answers: dict[str, list[str]]) -> str:
    title = " ".join(html.unescape(read.text("title")).split())
    name = " ".join(answers.get("name", [""])[0].split())
    if (not title or title.endswith("…")) and name:
        title = name
    title = CLOSURE_PREFIX.sub("", LIST_MARKER.sub("", title)).strip()
    if title.endswith("…"):  # the source cut the first answer mid-word: end at a whole word
        title = title[:-1].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"
    return _shorten(title[:1].upper() + title[1:], TEXT_FIELDS["title"])


def _learning_plan(
    read: Record, places: Places, lookups: Lookups, unknown_countries: dict[str, int]
) -> ParsedChallenge | None:
    source_id = read.text("id", required=True)
    read.text("title", required=True)
    country_names = read.strings("countries")
    latlng = read_points(read)
    sdg_goals = undp_goals(read, read.strings("sdgs"), lookups.goals)
    thematic = read.strings("thematic_areas")
    language = read.text("lang")
    source_year = _source_year(read)
    answers = _answers(read)
    if read.problems:
        return None
    title = _title(read, answers)
    statement_source = next((key for key in ("statement", "tweet", "insights") if answers.get(key)), "")
    if not statement_source:
        read.problems.append("the plan has no challenge statement, summary or key insights")
        return None
    statement = "\n\n".join(answers[statement_source])
    context_blocks = []
    for key, heading in CONTEXT_PARTS:
        if key == statement_source or not answers.get(key):
            continue
        text = "\n\n".join(answers[key])
        context_blocks.append(f"### {heading}\n\n{text}" if heading else text)
    goals = "\n\n".join(answers.get("learning_question", []))
    obstacles = list_items("\n".join(answers.get("barriers", [])))
    texts = [title, statement, *(answer for values in answers.values() for answer in values)]
    location = undp_location(places, country_names, latlng, title, texts, unknown_countries)
    values: dict[str, Any] = {
        "title": title,
        "statement": _shorten(statement, TEXT_FIELDS["statement"]),
        "context": _shorten("\n\n".join(context_blocks), TEXT_FIELDS["context"]),
        "obstacles": obstacles,
        "goals": _shorten(goals, TEXT_FIELDS["goals"]),
        "language": CONTENT_LANGUAGES.get(language, "en"),
        "city_id": location.lead_city.pk if location.lead_city else None,
        "country_id": location.lead_city.country_id
        if location.lead_city
        else location.country.pk
        if location.country
        else None,
        "place_name": "" if location.lead_city else location.place_name,
        "source_year": source_year,
        "themes": slugs_to_ids(matches(THEME_RULES, [*thematic, title]), lookups.themes),
        "sdg_goals": sorted(sdg_goals),
    }
    return ParsedChallenge(line=0, source_id=source_id, values=values)


def _source_year(read: Record) -> int | None:
    """The year the source gives the plan (the records carry no finer date); a wrong one is a problem."""
    text = read.text("year")
    if not text:
        return None
    if not text.isdigit() or not FIRST_SOURCE_YEAR <= int(text) <= date.today().year:
        read.problems.append(f"year '{text}' is not a year between {FIRST_SOURCE_YEAR} and {date.today().year}")
        return None
    return int(text)


# Writing -----------------------------------------------------------------------------------------------------


def _current(challenge: Challenge, relations: dict[int, dict[str, list[int]]]) -> dict[str, Any]:
    values = {name: getattr(challenge, name) for name in SCALARS}
    values.update(relations.get(challenge.pk, {name: [] for name in RELATIONS}))
    return values


def _relations(ids: list[int]) -> dict[int, dict[str, list[int]]]:
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: {name: [] for name in RELATIONS})
    for name in RELATIONS:
        through = Challenge._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        target = Challenge._meta.get_field(name).m2m_reverse_name()  # type: ignore[union-attr]
        for challenge_id, target_id in through.objects.filter(challenge_id__in=ids).values_list("challenge_id", target):
            found[challenge_id][name].append(target_id)
    for relations in found.values():
        for name in RELATIONS:
            relations[name].sort()
    return found


def _unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:100].strip("-") or "challenge"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _write(items: list[ParsedChallenge], report: ImportReport, progress: Progress) -> None:
    existing = {
        challenge.source_id: challenge
        for challenge in Challenge.objects.filter(source_name=UNDP_SOURCE).exclude(source_id="")
    }
    relations = _relations([challenge.pk for challenge in existing.values()])
    taken = set(Challenge.objects.values_list("slug", flat=True))
    new: list[tuple[Challenge, dict[str, Any]]] = []
    kept = 0
    for done, item in enumerate(items, start=1):
        challenge = existing.get(item.source_id)
        if challenge is None:
            challenge = Challenge(
                slug=_unique_slug(item.values["title"], taken),
                visibility=Visibility.PUBLIC,
                status=ChallengeStatus.OPEN,
                source_name=UNDP_SOURCE,
                source_id=item.source_id,
                source_url=UNDP_URL,
                attribution=UNDP_ATTRIBUTION,
                **{name: item.values[name] for name in SCALARS},
            )
            new.append((challenge, item.values))
            report.created += 1
        else:
            before = _current(challenge, relations)
            edited = set(challenge.edited_fields) & set(item.values)
            if "city" in challenge.edited_fields:  # moved on the site: its place stays as set there
                edited |= {"city_id", "country_id", "place_name"}
            changed = {
                name: value for name, value in item.values.items() if name not in edited and before[name] != value
            }
            if any(before[name] != item.values[name] for name in edited):
                kept += 1
            if not changed:
                report.unchanged += 1
            else:
                for name, value in changed.items():
                    if name in RELATIONS:
                        getattr(challenge, name).set(value)
                    else:
                        setattr(challenge, name, value)
                challenge.save()
                report.updated += 1
        progress(done, len(items), item.values["title"][:40])
    created = Challenge.objects.bulk_create([challenge for challenge, _ in new], batch_size=500)
    for name in RELATIONS:
        through = Challenge._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        target = Challenge._meta.get_field(name).m2m_reverse_field_name()  # type: ignore[union-attr]
        rows = [
            through(challenge_id=challenge.pk, **{f"{target}_id": target_id})
            for challenge, (_, values) in zip(created, new, strict=True)
            for target_id in values[name]
        ]
        through.objects.bulk_create(rows, batch_size=1000)
    if kept:
        report.notes.append(f"kept the site's edits of {kept} challenge(s)")
