"""What every importer shares: row-level problems with line numbers, CSV reading, checksums, a run log."""

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from ccx.core.models import ImportRun


@dataclass(frozen=True)
class ImportProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


@dataclass
class ImportReport:
    kind: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.kind} from {self.source}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def file_checksum(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_csv(
    path: Path, required_columns: set[str], *, delimiter: str = ","
) -> tuple[list[tuple[int, dict[str, str]]], list[ImportProblem]]:
    """Read a whole CSV (or, with delimiter "\t", TSV) file: (line where each record starts, row) and the
    rows of the wrong shape.

    Raise ImportFailed when the file cannot be read at all or lacks a required column.
    """
    name = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise ImportFailed([ImportProblem(name, 0, f"cannot open the file: {error.strerror}")]) from None
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[ImportProblem] = []
    with handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        next_line = 2
        try:
            missing = sorted(required_columns - set(reader.fieldnames or []))
            if missing:
                raise ImportFailed([ImportProblem(name, 1, f"missing column(s): {', '.join(missing)}")])
            for row in reader:
                if None in row:
                    problems.append(ImportProblem(name, next_line, "more values than there are columns"))
                elif any(value is None for value in row.values()):
                    problems.append(ImportProblem(name, next_line, "fewer values than there are columns"))
                else:
                    rows.append((next_line, row))
                next_line = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as error:
            raise ImportFailed([ImportProblem(name, next_line, f"unreadable row: {error}")]) from None
    return rows, problems


def record_run(report: ImportReport, checksum: str) -> ImportRun:
    return ImportRun.objects.create(
        kind=report.kind,
        source=report.source,
        checksum=checksum,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        finished_at=timezone.now(),
    )


def already_imported(kind: str, checksum: str) -> bool:
    latest = ImportRun.objects.filter(kind=kind).order_by("-finished_at").first()
    return latest is not None and latest.checksum == checksum
