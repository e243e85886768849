from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Rebuild a fresh instance (an empty database of the same engine, empty media and private folders) from a "
        "`ccx backup` archive, then check every table's row count and every file's SHA-256 against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = restore(options["file"], progress=lambda line: self.stderr.write(line))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified {outcome.rows} rows in {outcome.tables} tables and {outcome.files} files "
                f"({outcome.bytes / 1e6:.1f} MB) in {outcome.seconds:.1f} s."
            )
        )
