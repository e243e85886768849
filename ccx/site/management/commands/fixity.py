from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.core.fixity import check_fixity


class Command(BaseCommand):
    help = (
        "Check every uploaded file (images, covers, documents) against the SHA-256 recorded when it was stored: "
        "report missing and changed files (exit status 1 if any). Files stored before fixity was recorded are "
        "recorded now (unless --no-record)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-record", action="store_true", help="do not record files that have no digest yet")

    def handle(self, *args: Any, **options: Any) -> None:
        counts: Counter[str] = Counter()
        for result in check_fixity(record_new=not options["no_record"]):
            counts[result.status] += 1
            if result.status in {"missing", "changed"}:
                self.stdout.write(f"{result.status.upper():8} {result.storage}:{result.name} {result.detail}".rstrip())
        summary = ", ".join(f"{counts[s]} {s}" for s in ("ok", "new", "missing", "changed"))
        if counts["missing"] or counts["changed"]:
            raise CommandError(f"Fixity check failed: {summary}.")
        self.stdout.write(self.style.SUCCESS(f"Fixity check passed: {summary}."))
