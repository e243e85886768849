from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ccx.core.management.base import ImportCommand
from ccx.sdg.importers import BUNDLED_SDG_DIR, import_sdg


class Command(ImportCommand):
    help = (
        "Import the SDG goals, targets and indicators (six UN languages) from a folder holding sdg_goals.csv, "
        "sdg_targets.csv and sdg_indicators.csv. Nothing is written unless all three files are valid."
    )
    progress_label = "SDG framework"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", type=Path, default=BUNDLED_SDG_DIR)
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_sdg, options["directory"], **options)
