"""Pages of publications (list, page, web reader, downloads, the secretariat's editor and builds) and exhibitions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ccx.cities.world import shape_of_country
from ccx.core.decorators import role_required
from ccx.core.htmx import is_htmx
from ccx.practices.models import Practice
from ccx.publications import builds, exhibitions, services
from ccx.publications.editions import assemble_edition, edition_languages, language_name
from ccx.publications.forms import BuildForm, ChapterForm, ExhibitionForm, PublicationForm, positions_from
from ccx.publications.maps import country_map, locator_map
from ccx.publications.models import Build, BuildStatus, Chapter, ChapterPractice, Exhibition, Format, Publication
from ccx.publications.permissions import can_curate
from ccx.publications.rendering import book_context

curator_only = role_required(can_curate)
SEARCH_LIMIT = 30


def publication_list(request: HttpRequest) -> HttpResponse:
    curator = can_curate(request.user)
    publications = Publication.objects.visible_to(request.user).annotate(chapter_count=Count("chapters", distinct=True))
    shown_exhibitions = Exhibition.objects.visible_to(request.user).annotate(item_count=Count("items", distinct=True))
    publication_rows = list(publications)
    exhibition_rows = list(shown_exhibitions)
    for publication in publication_rows:
        publication.display_title = publication.localized("title")  # type: ignore[attr-defined]
        publication.display_subtitle = publication.localized("subtitle")  # type: ignore[attr-defined]
    for exhibition in exhibition_rows:
        exhibition.display_title = exhibition.localized("title")  # type: ignore[attr-defined]
    context = {"publications": publication_rows, "exhibitions": exhibition_rows, "can_curate": curator}
    return render(request, "publications/list.html", context)


def _publication_or_404(request: HttpRequest, slug: str) -> Publication:
    publication = get_object_or_404(Publication, slug=slug)
    if not publication.is_visible_to(request.user):
        raise Http404
    return publication


def editions_of(publication: Publication) -> list[dict[str, Any]]:
    """One row per language: the latest finished build, whether it is out of date, and any build under way."""
    latest = builds.latest_builds(publication)
    active = {
        build.language: build
        for build in publication.builds.filter(status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]).order_by(
            "created_at"
        )
    }
    rows = []
    for code, name in edition_languages():
        build = latest.get(code)
        rows.append(
            {
                "language": code,
                "name": name,
                "build": build,
                "out_of_date": build is not None and builds.is_out_of_date(publication, build),
                "changed": list(builds.changed_practices(publication, build)[:10]) if build else [],
                "active": active.get(code),
            }
        )
    return rows


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _publication_or_404(request, slug)
    curator = can_curate(request.user)
    chapters = list(publication.chapters.annotate(practice_count=Count("entries")).order_by("position", "pk"))
    for chapter in chapters:
        chapter.display_title = chapter.localized("title")  # type: ignore[attr-defined]
    context = {
        "publication": publication,
        "title": publication.localized("title"),
        "subtitle": publication.localized("subtitle"),
        "foreword": publication.localized("foreword"),
        "chapters": chapters,
        "editions": editions_of(publication),
        "can_curate": curator,
        "build_form": BuildForm() if curator else None,
        "recent_builds": publication.builds.select_related("requested_by")[:10] if curator else [],
    }
    return render(request, "publications/detail.html", context)


def read(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The web edition: the same texts and fallbacks as the EPUB and the PDF, on the site."""
    publication = _publication_or_404(request, slug)
    try:
        language = builds.check_language(language)
    except ValidationError as error:
        raise Http404 from error
    edition = assemble_edition(publication, language, target="web")
    context = {**book_context(edition, None), "publication": publication, "editions": edition_languages()}
    return render(request, "publications/reader.html", context)


def download(request: HttpRequest, slug: str, build_id: int, format: str) -> FileResponse:
    publication = _publication_or_404(request, slug)
    build = get_object_or_404(Build, pk=build_id, publication=publication, status=BuildStatus.DONE)
    if format not in Format.values:
        raise Http404
    stored = build.file_for(format)
    if stored is None:
        raise Http404
    content_type = "application/epub+zip" if format == Format.EPUB else "application/pdf"
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=(stored.name or "").rsplit("/", 1)[-1],
        content_type=content_type,
    )


@curator_only
def build_status(request: HttpRequest, slug: str, build_id: int) -> HttpResponse:
    """The progress bar of one build (htmx polls it every second while the build runs)."""
    build = get_object_or_404(Build.objects.select_related("publication"), pk=build_id, publication__slug=slug)
    return render(request, "publications/_build_status.html", {"build": build, "publication": build.publication})


@curator_only
@require_POST
def start_build(request: HttpRequest, slug: str) -> HttpResponse:
    publication = get_object_or_404(Publication, slug=slug)
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an edition and at least one format."))
        return redirect(publication)
    try:
        build = builds.request_build(
            publication, form.cleaned_data["language"], request.user, form.cleaned_data["formats"]
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect(publication)
    if is_htmx(request):
        return render(request, "publications/_build_status.html", {"build": build, "publication": publication})
    return redirect(f"{publication.get_absolute_url()}#build-{build.pk}")


@curator_only
def report(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Which texts of an edition are not in its language yet, with links to where to translate them."""
    publication = get_object_or_404(Publication, slug=slug)
    try:
        language = builds.check_language(language)
    except ValidationError as error:
        raise Http404 from error
    edition = assemble_edition(publication, language, target="web")
    context = {"publication": publication, "edition": edition, "language_name": language_name(language)}
    return render(request, "publications/report.html", context)


@curator_only
def edit(request: HttpRequest, slug: str = "") -> HttpResponse:
    publication = get_object_or_404(Publication, slug=slug) if slug else None
    form = PublicationForm(request.POST or None, request.FILES or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_publication(request.user, form.values(), publication)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The publication was saved."))
            return redirect(saved)
    return render(request, "publications/edit.html", {"form": form, "publication": publication})


@curator_only
def chapter(request: HttpRequest, slug: str, chapter_id: int | None = None) -> HttpResponse:
    """A chapter's texts, its practices in order (numbers, or drag and drop), and the search to add more."""
    publication = get_object_or_404(Publication, slug=slug)
    current = get_object_or_404(Chapter, pk=chapter_id, publication=publication) if chapter_id else None
    form = ChapterForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = services.save_chapter(request.user, publication, form.values(), current)
        messages.success(request, _("The chapter was saved."))
        return redirect("publications:chapter", publication.slug, saved.pk)
    entries = (
        current.entries.select_related("practice__lead_city", "practice__country").order_by("position", "pk")
        if current
        else ChapterPractice.objects.none()
    )
    query = request.GET.get("q", "").strip()
    found: list[Practice] = []
    if current and query:
        found = list(
            Practice.objects.published()
            .filter(
                Q(title__icontains=query) | Q(lead_city__name__icontains=query) | Q(crisis_response__icontains=query)
            )
            .exclude(pk__in=current.entries.values("practice_id"))
            .select_related("lead_city", "country")
            .order_by("title")[:SEARCH_LIMIT]
        )
    context = {
        "publication": publication,
        "chapter": current,
        "form": form,
        "entries": entries,
        "query": query,
        "found": found,
    }
    return render(request, "publications/chapter.html", context)


def _chapter(slug: str, chapter_id: int) -> Chapter:
    return get_object_or_404(Chapter.objects.select_related("publication"), pk=chapter_id, publication__slug=slug)


@curator_only
@require_POST
def chapter_add(request: HttpRequest, slug: str, chapter_id: int) -> HttpResponse:
    current = _chapter(slug, chapter_id)
    ids = [int(value) for value in request.POST.getlist("practice") if value.isdigit()]
    if not ids:
        messages.error(request, _("Tick the practices to add."))
    else:
        try:
            added = services.add_practices(request.user, current, ids)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("%(count)s practice(s) added.") % {"count": added})
    return redirect("publications:chapter", slug, chapter_id)


@curator_only
@require_POST
def chapter_order(request: HttpRequest, slug: str, chapter_id: int) -> HttpResponse:
    current = _chapter(slug, chapter_id)
    services.reorder_practices(request.user, current, positions_from(request.POST))
    removed = request.POST.get("remove", "")
    if removed.isdigit():
        services.remove_practice(request.user, current, int(removed))
        messages.success(request, _("The practice was removed from the chapter."))
    else:
        messages.success(request, _("The order was saved."))
    return redirect("publications:chapter", slug, chapter_id)


@curator_only
@require_POST
def chapter_delete(request: HttpRequest, slug: str, chapter_id: int) -> HttpResponse:
    current = _chapter(slug, chapter_id)
    services.delete_chapter(request.user, current)
    messages.success(request, _("The chapter was deleted."))
    return redirect("publications:detail", slug)


@curator_only
@require_POST
def chapters_order(request: HttpRequest, slug: str) -> HttpResponse:
    publication = get_object_or_404(Publication, slug=slug)
    services.reorder_chapters(request.user, publication, positions_from(request.POST))
    messages.success(request, _("The order of the chapters was saved."))
    return redirect(publication)


# Exhibitions


def _exhibition_or_404(request: HttpRequest, slug: str) -> Exhibition:
    exhibition = get_object_or_404(Exhibition, slug=slug)
    if not exhibition.is_visible_to(request.user):
        raise Http404
    return exhibition


def exhibition(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _exhibition_or_404(request, slug)
    view = exhibitions.gallery(shown, request.GET)
    context = {
        "exhibition": shown,
        "title": shown.localized("title"),
        "introduction": shown.localized("introduction"),
        "gallery": view,
        "points": exhibitions.map_points(
            view.shown, lambda practice: reverse("publications:story", args=[shown.slug, practice.slug])
        ),
        "can_curate": can_curate(request.user),
        "filter_titles": {"field": _("Creative field"), "theme": _("Theme"), "region": _("Region")},
    }
    template = "publications/exhibition.html#gallery" if is_htmx(request) else "publications/exhibition.html"
    return render(request, template, context)


def story(request: HttpRequest, slug: str, practice_slug: str) -> HttpResponse:
    """One initiative of an exhibition: its story, its images in an accessible viewer, and the way to the next."""
    shown = _exhibition_or_404(request, slug)
    items = list(exhibitions.exhibition_items(shown))
    index = next((i for i, item in enumerate(items) if item.practice.slug == practice_slug), None)
    if index is None:
        raise Http404
    practice = items[index].practice
    context = {
        "exhibition": shown,
        "exhibition_title": shown.localized("title"),
        "practice": practice,
        "text": {part: practice.localized(part) for part in ("title", "tagline", "summary", "description")},
        "images": list(practice.images.all()),
        "previous": items[index - 1].practice if index > 0 else None,
        "next": items[index + 1].practice if index + 1 < len(items) else None,
        "number": index + 1,
        "total": len(items),
        "indicators": practice.indicators.all(),
    }
    return render(request, "publications/story.html", context)


@cache_control(max_age=86400)
def card_locator(request: HttpRequest, slug: str, practice_slug: str) -> HttpResponse:
    """The picture of an initiative without photos: a small map of where it is, in its field's colour."""
    shown = _exhibition_or_404(request, slug)
    item = next((item for item in exhibitions.exhibition_items(shown) if item.practice.slug == practice_slug), None)
    if item is None:
        raise Http404
    card = exhibitions.card_of(item)
    colour = exhibitions.card_colour(card.practice)
    if card.point is not None:
        title = _("Map of %(places)s") % {"places": card.point.name}
        svg = locator_map([card.point], title, colour, min_width=24, labels=False)
    elif (country := shape_of_country(card.country_code)) is not None:
        svg = country_map(country, _("Map of %(places)s") % {"places": card.place}, colour)
    else:
        raise Http404
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@curator_only
def exhibition_edit(request: HttpRequest, slug: str = "") -> HttpResponse:
    current = get_object_or_404(Exhibition, slug=slug) if slug else None
    form = ExhibitionForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = services.save_exhibition(request.user, form.values(), current)
        messages.success(request, _("The exhibition was saved."))
        return redirect("publications:exhibition_edit", saved.slug)
    items = current.items.select_related("practice__lead_city").order_by("position", "pk") if current else []
    query = request.GET.get("q", "").strip()
    found: list[Practice] = []
    if current and query:
        found = list(
            Practice.objects.published()
            .filter(Q(title__icontains=query) | Q(lead_city__name__icontains=query) | Q(themes__slug=query))
            .exclude(pk__in=current.items.values("practice_id"))
            .distinct()
            .select_related("lead_city", "country")
            .order_by("title")[:SEARCH_LIMIT]
        )
    context = {"exhibition": current, "form": form, "items": items, "query": query, "found": found}
    return render(request, "publications/exhibition_edit.html", context)


@curator_only
@require_POST
def exhibition_add(request: HttpRequest, slug: str) -> HttpResponse:
    current = get_object_or_404(Exhibition, slug=slug)
    ids = [int(value) for value in request.POST.getlist("practice") if value.isdigit()]
    try:
        added = services.add_to_exhibition(request.user, current, ids)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("%(count)s practice(s) added.") % {"count": added})
    return redirect("publications:exhibition_edit", slug)


@curator_only
@require_POST
def exhibition_order(request: HttpRequest, slug: str) -> HttpResponse:
    current = get_object_or_404(Exhibition, slug=slug)
    services.reorder_exhibition(request.user, current, positions_from(request.POST))
    removed = request.POST.get("remove", "")
    if removed.isdigit():
        services.remove_from_exhibition(request.user, current, int(removed))
        messages.success(request, _("The practice was removed from the exhibition."))
    else:
        messages.success(request, _("The order was saved."))
    return redirect("publications:exhibition_edit", slug)


def featured_exhibition() -> dict[str, Any] | None:
    """The home page's featured exhibition and its first initiatives with images, or None."""
    featured = Exhibition.objects.published().filter(is_featured=True).first()
    if featured is None:
        return None
    cards = exhibitions.gallery(featured, {}).cards
    # The home page shows four: those with a summary, a known place and results first, in the curated order.
    showcase = set(
        Practice.objects.showcase().filter(pk__in=[card.practice.pk for card in cards]).values_list("pk", flat=True)
    )
    shown = sorted(cards, key=lambda card: card.practice.pk not in showcase)[:4]
    return {"exhibition": featured, "title": featured.localized("title"), "cards": shown, "count": len(cards)}
