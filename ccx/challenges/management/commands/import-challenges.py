from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ccx.challenges.importers import FORMATS, import_challenges
from ccx.core.management.base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import challenges: the action learning plans of a UNDP Accelerator Labs SDG Commons export (JSON lines, "
        "gzipped or not; its solutions and experiments are practices and are skipped). Every record is checked "
        "first; if any is bad, the problems are listed with their line numbers and nothing is written. Importing "
        "the same file again changes nothing; changed records update their challenge, except what was edited on "
        "the site."
    )
    progress_label = "Challenges"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to import")
        parser.add_argument("--format", default="undp", choices=FORMATS, help="What the file holds")
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_challenges, options["file"], options["format"], **options)
