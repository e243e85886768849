from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from ccx.cities.importers import BUNDLED_COUNTRIES, BUNDLED_MEMBERS, import_countries, import_members
from ccx.core.imports import ImportReport
from ccx.core.management.base import ImportCommand
from ccx.core.progress import Progress, silent


class Command(ImportCommand):
    help = (
        "Import the countries and the network's member cities from CSV files. Every row is checked first; "
        "if any row is bad, the problems are listed with their line numbers and nothing is written."
    )
    progress_label = "Member cities"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=BUNDLED_MEMBERS, help="Member cities CSV")
        parser.add_argument("--countries", type=Path, default=BUNDLED_COUNTRIES, help="Countries CSV")
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        def both(progress: Progress = silent) -> ImportReport:
            with transaction.atomic():
                countries = import_countries(options["countries"])
                self.stdout.write(countries.summary())
                return import_members(options["file"], progress=progress)

        self.run_import(both, **options)
