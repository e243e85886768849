"""Building an edition's files in the background, with progress, versions, and "out of date" detection.

`request_build` records a build and queues it; `run_build` (called by the task, or directly by
`ccx build-publication`) claims it, renders each format, stores the files under versioned names and writes
its progress to the build row as it goes, so the page can draw a progress bar.
"""

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import notify
from ccx.accounts.permissions import AnyUser
from ccx.core.i18n import normalise_language
from ccx.core.progress import Progress, silent
from ccx.practices.models import Practice
from ccx.publications.editions import assemble_edition, edition_languages, language_name
from ccx.publications.models import Build, BuildStatus, Format, Publication
from ccx.publications.permissions import can_curate

logger = logging.getLogger(__name__)
PROGRESS_WRITE_SECONDS = 0.25  # the page polls every second; fewer writes keep SQLite free for others
RENDER_STEPS = 2  # after the texts: laying out the pages, then writing the file


def check_language(language: str) -> str:
    code = normalise_language(language)
    known = [code for code, _name in edition_languages()]
    if code not in known:
        raise ValidationError(
            _("There is no edition in “%(language)s”. Choose one of: %(known)s.")
            % {"language": language, "known": ", ".join(known)}
        )
    return code


def check_formats(formats: Sequence[str]) -> list[str]:
    chosen = [format for format in Format.values if format in formats]
    unknown = sorted(set(formats) - set(Format.values))
    if unknown or not chosen:
        raise ValidationError(_("Choose the formats among: %(known)s.") % {"known": ", ".join(Format.values)})
    return chosen


@transaction.atomic
def create_build(
    publication: Publication, language: str, formats: Sequence[str] = tuple(Format.values), user: User | None = None
) -> Build:
    """A queued build with the next version number of this publication's edition in `language`."""
    language = check_language(language)
    chosen = check_formats(formats)
    Publication.objects.select_for_update().filter(pk=publication.pk).first()  # one version number at a time
    last = publication.builds.filter(language=language).aggregate(last=Max("version"))["last"] or 0
    return Build.objects.create(
        publication=publication, language=language, formats=chosen, version=last + 1, requested_by=user
    )


def request_build(
    publication: Publication, language: str, user: AnyUser, formats: Sequence[str] = tuple(Format.values)
) -> Build:
    """What the page and the API call: record the build and hand it to the background worker."""
    from ccx.publications.tasks import build_publication

    if not can_curate(user):
        raise PermissionDenied
    active = publication.builds.filter(
        language=normalise_language(language), status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]
    ).first()
    if active is not None:
        return active
    build = create_build(publication, language, formats, user if isinstance(user, User) else None)
    build_publication.enqueue(build.pk)
    build.refresh_from_db()
    return build


def run_build(build_id: int, progress: Progress = silent) -> Build:
    """Claim a queued build and make its files. A failure is recorded on the build, never half-stored."""
    claimed = Build.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, started_at=timezone.now()
    )
    build = Build.objects.select_related("publication", "requested_by").get(pk=build_id)
    if not claimed:
        return build
    publication = build.publication
    practice_count = Practice.objects.filter(chapters__publication=publication, deleted_at__isnull=True).count()
    per_format = practice_count + RENDER_STEPS
    total = per_format * len(build.formats)
    last_write = 0.0

    def report(done: int, label: str, force: bool = False) -> None:
        nonlocal last_write
        progress(done, total, label)
        now = time.monotonic()
        if force or now - last_write >= PROGRESS_WRITE_SECONDS:
            last_write = now
            Build.objects.filter(pk=build.pk).update(
                progress_done=done, progress_total=total, progress_label=label[:200]
            )

    from ccx.publications.rendering import render_epub, render_pdf

    try:
        report(0, _("Starting"), force=True)
        files: dict[str, bytes] = {}
        fallbacks: list[dict[str, str]] = []
        for index, format in enumerate(build.formats):
            offset = index * per_format

            def step(done: int, total: int, label: str = "", offset: int = offset) -> None:
                report(offset + done, label)

            edition = assemble_edition(
                publication, build.language, target="epub" if format == Format.EPUB else "pdf", progress=step
            )
            fallbacks = [asdict(fallback) for fallback in edition.fallbacks]
            report(
                offset + practice_count + 1,
                _("Laying out the %(format)s") % {"format": Format(format).label},
                force=True,
            )
            files[format] = (
                render_epub(edition, build.version) if format == Format.EPUB else render_pdf(edition, build.version)
            )
            report(offset + per_format, _("%(format)s ready") % {"format": Format(format).label}, force=True)
        stem = f"{publication.slug}-{build.language}-v{build.version}"
        with transaction.atomic():
            for format, data in files.items():
                field = build.epub_file if format == Format.EPUB else build.pdf_file
                field.save(f"{stem}.{format}", ContentFile(data), save=False)
            build.fallbacks = fallbacks
            build.status = BuildStatus.DONE
            build.progress_done = build.progress_total = total
            build.progress_label = ""
            build.finished_at = timezone.now()
            build.save()
    except Exception as error:
        logger.exception("building %s failed", build)
        Build.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        build.refresh_from_db()
    _tell_requester(build)
    return build


def _tell_requester(build: Build) -> None:
    person = build.requested_by
    if person is None:
        return
    values = {"title": build.publication.title, "language": language_name(build.language), "version": build.version}
    if build.status == BuildStatus.DONE:
        subject = _("“%(title)s” (%(language)s, version %(version)s) is ready to download") % values
    else:
        subject = _("“%(title)s” (%(language)s, version %(version)s) could not be built") % values
    notify(
        person,
        subject,
        build.error or subject,
        build.publication.get_absolute_url(),
        kind=NotificationKind.PUBLICATIONS,
        key=f"publication-build:{build.pk}",
    )


def latest_builds(publication: Publication) -> dict[str, Build]:
    """The newest finished build of each language."""
    latest: dict[str, Build] = {}
    for build in publication.builds.filter(status=BuildStatus.DONE).order_by("-version"):
        latest.setdefault(build.language, build)
    return latest


def changed_practices(publication: Publication, build: Build) -> QuerySet[Practice]:
    """The practices of the publication that changed after the build started."""
    since = build.started_at or build.created_at
    return Practice.objects.filter(chapters__publication=publication, updated_at__gt=since).distinct().order_by("title")


def is_out_of_date(publication: Publication, build: Build) -> bool:
    """True when the publication or one of its practices changed since this build started."""
    since = build.started_at or build.created_at
    return publication.content_changed_at > since or changed_practices(publication, build).exists()
