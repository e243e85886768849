"""The platform's own exchange format (JSON-LD, see docs/exchange-format.md)."""

import json
from pathlib import Path

from ccx.core.imports import ImportFailed, ImportProblem
from ccx.practices.exchange.jsonld_in import Lookups, jsonld_to_values
from ccx.practices.importers.places import Places
from ccx.practices.importers.reading import Parsed, ParsedPractice, open_text


def parse_jsonld(path: Path, places: Places) -> Parsed:
    parsed = Parsed()
    try:
        document = json.loads(open_text(path))
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
