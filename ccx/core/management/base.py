"""A base for import commands: progress bar on stderr, problems listed with file and line, exit status 1."""

import sys
from collections.abc import Callable
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from ccx.core.imports import ImportFailed, ImportReport
from ccx.core.progress import progress_bar

MAX_PROBLEMS_SHOWN = 50


class ImportCommand(BaseCommand):
    progress_label = "Importing"

    def run_import(self, do_import: Callable[..., ImportReport], *args: Any, **options: Any) -> ImportReport:
        show_progress = options.get("verbosity", 1) > 0 and not options.get("no_progress")
        try:
            if show_progress:
                with progress_bar(self._raw_stderr(), self.progress_label) as progress:
                    report = do_import(*args, progress=progress)
            else:
                report = do_import(*args)
        except ImportFailed as failure:
            for problem in failure.problems[:MAX_PROBLEMS_SHOWN]:
                self.stderr.write(self.style.ERROR(str(problem)))
            hidden = len(failure.problems) - MAX_PROBLEMS_SHOWN
            if hidden > 0:
                self.stderr.write(self.style.ERROR(f"… and {hidden} more problem(s)"))
            raise CommandError(
                f"{len(failure.problems)} problem(s) found; nothing was imported and the database is unchanged."
            ) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for note in report.notes:
            self.stdout.write(note)
        return report

    def _raw_stderr(self) -> TextIO:
        """The stream under Django's OutputWrapper, which would add a newline to every redraw of the bar."""
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        return stream

    def add_progress_argument(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar")
