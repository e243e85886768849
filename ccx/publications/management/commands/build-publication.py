from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.core.management.base import command_progress
from ccx.publications.builds import create_build, run_build
from ccx.publications.models import BuildStatus, Format, Publication


class Command(BaseCommand):
    help = (
        "Build the EPUB and PDF of a publication's edition in one language, with a progress bar; the files are "
        "stored as a new version, as when the secretariat builds it on the site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The publication's identifier (the last part of its address)")
        parser.add_argument("--language", default="en", help="Edition language: en, fr, zh-hans (default en)")
        parser.add_argument(
            "--format", action="append", choices=Format.values, dest="formats", help="epub or pdf (default: both)"
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        publication = Publication.objects.filter(slug=options["slug"]).first()
        if publication is None:
            known = ", ".join(Publication.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(f"No publication “{options['slug']}”. Known publications: {known}.")
        try:
            build = create_build(publication, options["language"], options["formats"] or list(Format.values))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with command_progress(self, f"{publication.slug} [{build.language}]", options) as progress:
            build = run_build(build.pk, progress)
        if build.status != BuildStatus.DONE:
            raise CommandError(f"The build failed: {build.error}")
        for format in build.formats:
            stored = build.file_for(format)
            if stored is not None:
                self.stdout.write(f"{Format(format).label}: {stored.path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Version {build.version} of the {build.language} edition is ready; "
                f"{len(build.fallbacks)} text(s) are not in this language yet."
            )
        )
