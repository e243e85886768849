from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ccx.core.management.base import ImportCommand
from ccx.events.importers import bundled_event_files, load_events


class Command(ImportCommand):
    help = (
        "Load events from JSON files (default: the bundled demo events in ccx/data/events/). Every file is "
        "checked first; on any problem nothing is written. Safe to run again."
    )
    progress_label = "Loading events"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="Event files (JSON); default: the bundled ones")
        self.add_progress_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["files"] or bundled_event_files()
        self.run_import(load_events, paths, **options)
