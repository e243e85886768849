from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ccx.core.management.base import ImportCommand
from ccx.partnerships.importers import BUNDLED_TWIN_CITIES, BUNDLED_TWINNINGS, import_twinnings


class Command(ImportCommand):
    help = (
        "Import the member cities' twinnings recorded in Wikidata (P190) as public partnerships, "
        "'recorded, unconfirmed' until a city confirms them; cities outside the network are added as such. "
        "Every row is checked first; if any is bad, the problems are listed with their line numbers and nothing "
        "is written. Importing again changes nothing, and never undoes what a city confirmed, corrected or ended."
    )
    progress_label = "Twinnings"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=BUNDLED_TWINNINGS, help="Twinnings CSV")
        parser.add_argument(
            "--cities", type=Path, default=BUNDLED_TWIN_CITIES, help="Twin cities TSV (names and coordinates)"
        )
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_twinnings, options["file"], options["cities"], **options)
