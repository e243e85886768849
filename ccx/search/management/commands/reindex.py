from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccx.core.management.base import command_progress
from ccx.practices.models import Practice
from ccx.search.index import MODEL_KEY, export_vectors, index_practices, live_index
from ccx.search.translation import refresh_lexicon


class Command(BaseCommand):
    help = (
        "Bring the search index of practices up to date. Practices whose text did not change are not "
        "re-embedded; vectors shipped with the bundled practices are reused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--export-vectors", type=Path, help="Afterwards, write all passage vectors to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        practices = Practice.objects.select_related("lead_city", "country").prefetch_related("translations")
        with command_progress(self, "Search index", options) as progress:
            report = index_practices(practices, progress=progress)
        self.stdout.write(self.style.SUCCESS(report.summary()))
        lexicon = refresh_lexicon(live_index.current(fresh=True), MODEL_KEY)
        self.stdout.write(f"query translation: {len(lexicon)} English terms of the index embedded")
        if options["export_vectors"]:
            count = export_vectors(options["export_vectors"])
            self.stdout.write(f"wrote the vectors of {count} practice(s) to {options['export_vectors']}")
