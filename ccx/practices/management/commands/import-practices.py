from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ccx.core.management.base import ImportCommand
from ccx.practices.importers import FORMATS, import_practices


class Command(ImportCommand):
    help = (
        "Import good practices from a UNDP Accelerator Labs SDG Commons or ReInHerit Digital Hub export "
        "(JSON lines, gzipped or not) or from the exchange format (JSON-LD). Every record is checked first; if "
        "any is bad, the problems are listed with their line (or record) numbers and nothing is written. "
        "Importing the same file again changes nothing; changed records update their practice."
    )
    progress_label = "Practices"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to import")
        parser.add_argument("--format", required=True, choices=FORMATS, help="What the file holds")
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(import_practices, options["file"], options["format"], **options)
