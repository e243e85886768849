from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ccx.core.management.base import ImportCommand
from ccx.sdg.values import import_indicator_values


class Command(ImportCommand):
    help = (
        "Import cities' SDG indicator values from a CSV file with the columns city, indicator, year, value, unit, "
        "source (and optionally method_note, disaggregation); see docs/indicator-values.md. Every row is checked "
        "first: one bad row lists the problems with file and line, exits 1, and writes nothing."
    )
    progress_label = "Indicator values"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_indicator_values, options["file"], **options)
