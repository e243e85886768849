from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ccx.accounts.services import ensure_demo_secretariat
from ccx.challenges.importers import BUNDLED_CHALLENGES
from ccx.cities.importers import BUNDLED_COUNTRIES, BUNDLED_MEMBERS
from ccx.core.imports import already_imported, file_checksum
from ccx.events.importers import load_demo_events
from ccx.partnerships.importers import BUNDLED_TWIN_CITIES, BUNDLED_TWINNINGS
from ccx.practices.importers import BUNDLED_PRACTICES
from ccx.publications.demo import ensure_demo_content
from ccx.sdg.importers import BUNDLED_SDG_DIR, sdg_files


class Command(BaseCommand):
    help = (
        "Load the bundled real data (countries, member cities, SDGs, twinnings, good practices) unless it is "
        "already loaded unchanged, "
        "and create a demo secretariat account if there is none. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Import the bundled files even if unchanged")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        network_loaded = already_imported("countries", file_checksum(BUNDLED_COUNTRIES)) and already_imported(
            "members", file_checksum(BUNDLED_MEMBERS)
        )
        sdg_loaded = already_imported("sdg", file_checksum(*sdg_files(BUNDLED_SDG_DIR)))
        twinnings_loaded = network_loaded and already_imported(
            "twinnings", file_checksum(BUNDLED_TWINNINGS, BUNDLED_TWIN_CITIES)
        )
        for label, loaded, command in (
            ("network", network_loaded, "import-network"),
            ("sdg", sdg_loaded, "import-sdg"),
            ("twinnings", twinnings_loaded, "import-twinnings"),
        ):
            if loaded and not options["force"]:
                self.stdout.write(f"{label}: already loaded, unchanged")
                continue
            call_command(command, no_progress=options["no_progress"], stdout=self.stdout, stderr=self.stderr)
        for path, format in BUNDLED_PRACTICES:
            if already_imported(f"practices-{format}", file_checksum(path)) and not options["force"]:
                self.stdout.write(f"practices ({format}): already loaded, unchanged")
                continue
            call_command(
                "import-practices",
                str(path),
                format=format,
                no_progress=options["no_progress"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        for path, format in BUNDLED_CHALLENGES:
            if already_imported(f"challenges-{format}", file_checksum(path)) and not options["force"]:
                self.stdout.write(f"challenges ({format}): already loaded, unchanged")
                continue
            call_command(
                "import-challenges",
                str(path),
                format=format,
                no_progress=options["no_progress"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        call_command("reindex", no_progress=options["no_progress"], stdout=self.stdout, stderr=self.stderr)
        load_demo_events(self, options)
        demo = ensure_demo_content()
        self.stdout.write(
            f"demo publication: {demo.practices_in_publication} practice(s); "
            f"demo exhibition: {demo.practices_in_exhibition} initiative(s)"
            + (" (created)" if demo.publication_created or demo.exhibition_created else " (already there)")
        )
        account = ensure_demo_secretariat()
        if account.created:
            self.stdout.write(
                self.style.WARNING("A secretariat account was created. Sign in at /accounts/login/ with:")
            )
            self.stdout.write(f"  user name: {account.username}\n  password:  {account.password}")
            if account.generated:
                self.stdout.write("  (shown only this once: set CCX_ADMIN_PASSWORD to choose it yourself)")
