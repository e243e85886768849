"""Reading source files: JSON lines, typed access to a record, and the parsed result of a whole file."""

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ccx.core.imports import ImportFailed, ImportProblem
from ccx.practices.exchange.jsonld_in import Lookups
from ccx.practices.importers.text import repaired

CONTENT_LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "ru": "ru", "zh": "zh-hans", "zh-hans": "zh-hans"}


NOT_GIVEN = {"n/a", "n.a.", "na", "none", "-"}  # what the forms hold where nothing was said


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


def open_text(path: Path) -> str:
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


def json_lines(path: Path, problems: list[ImportProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, text in enumerate(open_text(path).split("\n"), start=1):
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
        yield line, repaired(record)


class Record:
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


def check_duplicates(path: Path, parsed: Parsed) -> None:
    seen: dict[tuple[str, str], int] = {}
    for item in parsed.practices:
        key = item.key if item.key[1] else ("", f"slug:{item.slug}") if item.slug else None
        if key is None:
            continue
        if key in seen:
            parsed.problems.append(ImportProblem(str(path), item.line, f"same record as line {seen[key]}"))
        seen.setdefault(key, item.line)
    parsed.problems.sort(key=lambda problem: problem.line)


def load_vocabulary() -> dict[str, dict[str, int]]:
    lookups = Lookups()
    return {"themes": lookups.themes, "technologies": lookups.technologies}


def slugs_to_ids(slugs: list[str], table: dict[str, int]) -> list[int]:
    return sorted({table[slug] for slug in slugs if slug in table})


# ReInHerit ---------------------------------------------------------------------------------------------------


def placement(values: dict[str, Any], unknown: str) -> str:
    """How a record was placed, for the import's summary line."""
    if values["lead_city_id"]:
        return "lead city"
    if values["country_id"] is None:
        return unknown
    return "place" if values["place_name"] else "country only"


# Writing -----------------------------------------------------------------------------------------------------
