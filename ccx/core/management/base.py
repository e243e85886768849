"""Long-running commands: a progress bar on stderr; imports list problems with file and line and exit 1."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from ccx.core.imports import ImportFailed, ImportReport
from ccx.core.progress import Progress, progress_bar, silent

MAX_PROBLEMS_SHOWN = 50


@contextmanager
def command_progress(command: BaseCommand, description: str, options: dict[str, Any]) -> Iterator[Progress]:
    """A progress bar on the command's standard error, or no progress at all with --no-progress or -v 0.

    The bar is drawn on the stream under Django's OutputWrapper, which would add a newline to every redraw.
    """
    stream: TextIO | None = getattr(command.stderr, "_out", None)
    if options.get("no_progress") or options.get("verbosity", 1) == 0 or stream is None:
        yield silent
        return
    with progress_bar(stream, description) as progress:
        yield progress


class ImportCommand(BaseCommand):
    progress_label = "Importing"

    def run_import(self, do_import: Callable[..., ImportReport], *args: Any, **options: Any) -> ImportReport:
        try:
            with command_progress(self, self.progress_label, options) as progress:
                report = do_import(*args, progress=progress)
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

    def add_progress_argument(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar")
