from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive (FILE; .tar.gz to compress) with the database (SQLite online backup or pg_dump), every "
        "uploaded file (public and private) and a manifest with row counts and SHA-256. The site may keep running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup(options["file"], progress=lambda line: self.stderr.write(line))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {outcome.rows} rows in {outcome.tables} tables and {outcome.files} files "
                f"({outcome.bytes / 1e6:.1f} MB) to {options['file']} in {outcome.seconds:.1f} s."
            )
        )
