import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccx.search import snapshot
from ccx.search.index import build_snapshot, ensure_snapshot, snapshot_root


class Command(BaseCommand):
    help = (
        "Write the machine's shared search index (memory-mapped arrays under VAR_DIR/search-index) from the stored "
        "search documents. Servers write it when a machine has none; run it ahead (e.g. as a release step) so that "
        "no server waits. Running servers switch to the new one at their next refresh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="Only when there is none for these settings")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["if_missing"]:
            name = ensure_snapshot()
        else:
            with snapshot.build_lock(snapshot_root()):
                name = build_snapshot().name
        found = snapshot.read_meta(snapshot_root())
        size = len(found[1]["ids"]) if found else 0
        self.stdout.write(
            f"search snapshot {name}: {size} practice(s), {time.perf_counter() - started:.1f} s ({snapshot_root()})"
        )
