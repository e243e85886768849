"""API for Publications and exhibitions: published books with their editions and files, builds, exhibitions."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import Converted, pages
from ccx.api.schemas import limited
from ccx.publications import builds
from ccx.publications.editions import edition_languages
from ccx.publications.exhibitions import exhibition_items
from ccx.publications.models import Build, Exhibition, Format, Publication
from ccx.publications.permissions import can_curate

router = Router(tags=["publications"])


class BuildOut(Schema):
    id: int
    language: str
    version: int
    status: str
    formats: list[str]
    progress_done: int
    progress_total: int
    percent: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    downloads: dict[str, str]


class EditionOut(Schema):
    language: str
    name: str
    web: str
    latest: BuildOut | None
    out_of_date: bool


class PublicationSummary(Schema):
    slug: str
    title: str
    subtitle: str
    url: str


class PublicationOut(PublicationSummary):
    editors: list[str]
    isbn: str
    licence: str
    titles: dict[str, str]
    chapters: list[str]
    editions: list[EditionOut]


class ExhibitionSummary(Schema):
    slug: str
    title: str
    introduction: str
    featured: bool
    url: str


class ExhibitionOut(ExhibitionSummary):
    initiatives: list[str] = Field(description="Slugs of the practices shown, in order")


class BuildIn(Schema):
    language: str = limited(Build, "language", ..., description="en, fr or zh-hans")
    formats: list[Annotated[str, Field(max_length=10)]] = Field(
        default_factory=lambda: list(Format.values), description="epub and/or pdf"
    )


def build_of(build: Build) -> BuildOut:
    downloads = {
        format: reverse("publications:download", args=[build.publication.slug, build.pk, format])
        for format in build.formats
        if build.file_for(format) is not None
    }
    return BuildOut(
        id=build.pk,
        language=build.language,
        version=build.version,
        status=build.status,
        formats=build.formats,
        progress_done=build.progress_done,
        progress_total=build.progress_total,
        percent=build.percent,
        error=build.error,
        created_at=build.created_at,
        finished_at=build.finished_at,
        downloads=downloads,
    )


def _summary(publication: Publication) -> PublicationSummary:
    return PublicationSummary(
        slug=publication.slug,
        title=publication.title,
        subtitle=publication.subtitle,
        url=publication.get_absolute_url(),
    )


@router.get("/publications", response=list[PublicationSummary], summary="Published publications")
@paginate(pages(20))
def publication_list(request: HttpRequest) -> Converted[Publication]:
    return Converted(Publication.objects.visible_to(request.user), _summary)


@router.get("/publications/{slug}", response={200: PublicationOut, **errors(404)}, summary="One publication")
def publication_detail(request: HttpRequest, slug: str) -> tuple[int, object]:
    publication = Publication.objects.filter(slug=slug).first()
    if publication is None or not publication.is_visible_to(request.user):
        raise Http404(f"No publication “{slug}”.")
    latest = builds.latest_builds(publication)
    editions = []
    for code, name in edition_languages():
        build = latest.get(code)
        editions.append(
            EditionOut(
                language=code,
                name=name,
                web=reverse("publications:read", args=[publication.slug, code]),
                latest=build_of(build) if build else None,
                out_of_date=build is not None and builds.is_out_of_date(publication, build),
            )
        )
    return 200, PublicationOut(
        **_summary(publication).dict(),
        editors=publication.editor_names(),
        isbn=publication.isbn,
        licence=publication.get_licence_display(),
        titles=publication.text_versions("title"),
        chapters=list(publication.chapters.values_list("title", flat=True)),
        editions=editions,
    )


@router.post(
    "/publications/{slug}/builds",
    auth=signed_in,
    response={202: BuildOut, **errors(403, 404, 422)},
    summary="Build an edition's files (the secretariat); poll the build for its progress",
)
def start_build(request: HttpRequest, slug: str, payload: BuildIn) -> tuple[int, object]:
    publication = Publication.objects.filter(slug=slug).first()
    if publication is None or not publication.is_visible_to(request.user):
        raise Http404(f"No publication “{slug}”.")
    build = builds.request_build(publication, payload.language, request.user, payload.formats)
    return 202, build_of(build)


@router.get(
    "/publications/{slug}/builds/{build_id}",
    auth=signed_in,
    response={200: BuildOut, **errors(403, 404)},
    summary="A build's status and progress (the secretariat)",
)
def build_status(request: HttpRequest, slug: str, build_id: int) -> tuple[int, object]:
    if not can_curate(request.user):
        raise PermissionDenied("Only the secretariat follows builds.")
    build = Build.objects.select_related("publication").filter(pk=build_id, publication__slug=slug).first()
    if build is None:
        raise Http404(f"No build {build_id} of “{slug}”.")
    return 200, build_of(build)


def _exhibition_summary(exhibition: Exhibition) -> ExhibitionSummary:
    return ExhibitionSummary(
        slug=exhibition.slug,
        title=exhibition.title,
        introduction=exhibition.introduction,
        featured=exhibition.is_featured,
        url=exhibition.get_absolute_url(),
    )


@router.get("/exhibitions", response=list[ExhibitionSummary], summary="Published online exhibitions")
@paginate(pages(20))
def exhibition_list(request: HttpRequest) -> Converted[Exhibition]:
    return Converted(Exhibition.objects.visible_to(request.user), _exhibition_summary)


@router.get("/exhibitions/{slug}", response={200: ExhibitionOut, **errors(404)}, summary="One exhibition")
def exhibition_detail(request: HttpRequest, slug: str) -> tuple[int, object]:
    exhibition = Exhibition.objects.filter(slug=slug).first()
    if exhibition is None or not exhibition.is_visible_to(request.user):
        raise Http404(f"No exhibition “{slug}”.")
    return 200, ExhibitionOut(
        **_exhibition_summary(exhibition).dict(),
        initiatives=[item.practice.slug for item in exhibition_items(exhibition)],
    )
