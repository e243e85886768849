"""CSV that a spreadsheet opens as data, never as formulas.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice
and Google Sheets (`=HYPERLINK(...)`, `=cmd|...`). Such text cells get a leading apostrophe, which
spreadsheets show as text and hide; numbers and dates stay as they are. (OWASP "CSV injection".)
"""

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` with every text cell neutralised."""

    def __init__(self, buffer: TextIO, **options: Any) -> None:
        self._writer = csv.writer(buffer, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(value) for value in row])


class SafeDictWriter:
    """`csv.DictWriter` with every text cell neutralised (the header is ours and left alone)."""

    def __init__(self, buffer: TextIO, fieldnames: list[str], **options: Any) -> None:
        self._writer = csv.DictWriter(buffer, fieldnames=fieldnames, **options)

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({key: neutralise(value) for key, value in row.items()})
