"""An edition: a publication's texts in one language, with every fallback to another language recorded.

The web reader, the EPUB and the PDF are all rendered from the same `Edition`, so they say the same thing.
A text exists in the edition's language when the record has a version in it; otherwise the original is used
with a visible language mark, and the fallback goes into the edition's report so the editors know what to
translate.
"""

import base64
import html
import re
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, gettext_lazy, override
from django.utils.translation import gettext as _

from ccx.cities.models import City
from ccx.core.i18n import LocalizedText, normalise_language
from ccx.core.markdown import render_markdown
from ccx.core.progress import Progress, silent
from ccx.practices.models import Practice, PracticeImage, ResultIndicator
from ccx.publications.maps import Place, locator_map
from ccx.publications.models import Chapter, ChapterPractice, Publication

Target = Literal["web", "epub", "pdf"]


def edition_languages() -> list[tuple[str, str]]:
    """Every language the site has is a possible edition (code, name in that language)."""
    return [(normalise_language(code), str(name)) for code, name in settings.LANGUAGES]


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "subtitle": gettext_lazy("Subtitle"),
    "foreword": gettext_lazy("Foreword"),
    "introduction": gettext_lazy("Introduction"),
    "tagline": gettext_lazy("Tagline"),
    "summary": gettext_lazy("Summary"),
    "description": gettext_lazy("Description"),
}


@dataclass(frozen=True)
class Fallback:
    """One text that the edition shows in another language than its own. Labels are read in the interface
    language of whoever reads the report, not in the edition's."""

    kind: str  # publication, chapter or practice
    number: str
    name: str
    field: str
    shown_in: str
    edit_url: str

    @property
    def where(self) -> str:
        if self.kind == "publication":
            return _("Publication")
        if self.kind == "chapter":
            return _("Chapter %(number)s") % {"number": self.number}
        return f"{self.number} {self.name}"

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass
class ImageEntry:
    src: str
    alt: str
    caption: str
    credit: str
    width: int
    height: int
    source: PracticeImage


@dataclass
class PracticeEntry:
    practice: Practice
    number: str
    anchor: str
    title: LocalizedText
    tagline: LocalizedText
    summary: LocalizedText
    description: LocalizedText
    description_html: SafeString
    place: str
    cities: list[City]
    indicators: list[ResultIndicator]
    images: list[ImageEntry]
    map_svg: str
    map_alt: str
    map_src: str = ""
    field_names: list[str] = field(default_factory=list)
    theme_names: list[str] = field(default_factory=list)


@dataclass
class ChapterEntry:
    chapter: Chapter
    number: int
    anchor: str
    title: LocalizedText
    introduction: LocalizedText
    introduction_html: SafeString
    practices: list[PracticeEntry]


@dataclass
class Edition:
    publication: Publication
    language: str
    target: Target
    title: LocalizedText
    subtitle: LocalizedText
    foreword: LocalizedText
    foreword_html: SafeString
    chapters: list[ChapterEntry]
    fallbacks: list[Fallback]

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def practice_count(self) -> int:
        return sum(len(chapter.practices) for chapter in self.chapters)

    def practices(self) -> list[PracticeEntry]:
        return [entry for chapter in self.chapters for entry in chapter.practices]


def publication_chapters(publication: Publication) -> list[Chapter]:
    """Chapters with their practices and everything a practice page shows, in a fixed number of queries."""
    practices = Practice.objects.select_related("lead_city__country", "country").prefetch_related(
        "translations",
        "indicators",
        "images",
        "fields",
        "themes",
        Prefetch("partner_cities", queryset=City.objects.select_related("country")),
    )
    entries = ChapterPractice.objects.filter(practice__deleted_at__isnull=True).prefetch_related(
        Prefetch("practice", queryset=practices)
    )
    return list(publication.chapters.prefetch_related(Prefetch("entries", queryset=entries)).order_by("position", "pk"))


LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
VALID_URI = re.compile(r"(https?|mailto):[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+")


def book_markdown(text: str) -> SafeString:
    """Markdown as sanitised HTML whose links are all valid URIs (EPUB checkers reject the rest, which
    imported records do have: several addresses run together, "[phone]" placeholders); text stays."""

    def keep_valid(match: re.Match[str]) -> str:
        return match.group(0) if VALID_URI.fullmatch(html.unescape(match.group(1))) else match.group(2)

    return SafeString(LINK.sub(keep_valid, render_markdown(text)))


def _place(practice: Practice) -> str:
    if practice.lead_city:
        country = practice.lead_city.country.localized_name if practice.lead_city.country else ""
        return ", ".join(part for part in (practice.lead_city.name, country) if part)
    if practice.country:
        return ", ".join(part for part in (practice.place_name, practice.country.localized_name) if part)
    return practice.place_name


def _places(practice: Practice, cities: list[City]) -> list[Place]:
    places = [Place(city.name, city.latitude, city.longitude) for city in cities if city.has_location]  # type: ignore[arg-type]
    if not places and practice.latitude is not None and practice.longitude is not None:
        places.append(Place(practice.place_name or _place(practice), practice.latitude, practice.longitude))
    return places


def _image_src(image: PracticeImage, target: Target) -> str:
    name = image.image.name.rsplit("/", 1)[-1]
    if target == "epub":
        return f"images/{image.pk}-{name}"
    if target == "pdf":
        return f"file://{image.image.path}"
    return str(image.image.url)


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def assemble_edition(
    publication: Publication, language: str, target: Target = "web", progress: Progress = silent
) -> Edition:
    """Everything the edition says, in `language` where a version exists, with the list of fallbacks."""
    language = normalise_language(language)
    fallbacks: list[Fallback] = []

    def text(record: object, name: str, where: tuple[str, str, str], edit_url: str) -> LocalizedText:
        value: LocalizedText = record.localized(name, language)  # type: ignore[attr-defined]
        if value.text and value.is_fallback:
            fallbacks.append(Fallback(*where, name, value.language, edit_url))
        return value

    with override(language):
        edit_publication = reverse("publications:edit", args=[publication.slug])
        book = ("publication", "", publication.title)
        title = text(publication, "title", book, edit_publication)
        subtitle = text(publication, "subtitle", book, edit_publication)
        foreword = text(publication, "foreword", book, edit_publication)
        chapters = publication_chapters(publication)
        total = sum(len(chapter.entries.all()) for chapter in chapters)
        done = 0
        progress(done, total, _("Collecting texts"))
        chapter_entries = []
        for chapter_number, chapter in enumerate(chapters, start=1):
            where = ("chapter", str(chapter_number), chapter.title)
            edit_chapter = reverse("publications:chapter", args=[publication.slug, chapter.pk])
            chapter_title = text(chapter, "title", where, edit_chapter)
            introduction = text(chapter, "introduction", where, edit_chapter)
            practice_entries = []
            for index, entry in enumerate(chapter.entries.all(), start=1):
                practice = entry.practice
                practice_entries.append(_practice_entry(practice, f"{chapter_number}.{index}", language, target, text))
                done += 1
                progress(done, total, practice.title[:60])
            chapter_entries.append(
                ChapterEntry(
                    chapter=chapter,
                    number=chapter_number,
                    anchor=f"chapter-{chapter_number}",
                    title=chapter_title,
                    introduction=introduction,
                    introduction_html=book_markdown(introduction.text),
                    practices=practice_entries,
                )
            )
        return Edition(
            publication=publication,
            language=language,
            target=target,
            title=title,
            subtitle=subtitle,
            foreword=foreword,
            foreword_html=book_markdown(foreword.text),
            chapters=chapter_entries,
            fallbacks=fallbacks,
        )


def _practice_entry(practice: Practice, number: str, language: str, target: Target, text: object) -> PracticeEntry:
    where = ("practice", number, practice.title)
    edit_url = reverse("practices:edit", args=[practice.slug, "basics"])
    localized = {
        name: text(practice, name, where, edit_url)  # type: ignore[operator]
        for name in ("title", "tagline", "summary", "description")
    }
    cities = [city for city in [practice.lead_city, *practice.partner_cities.all()] if city is not None]
    places = _places(practice, cities)
    map_alt = _("Map of %(places)s") % {"places": ", ".join(place.name for place in places)} if places else ""
    svg = locator_map(places, map_alt)
    images = [
        ImageEntry(
            src=_image_src(image, target),
            alt=image.alt_text,
            caption=image.caption,
            credit=image.credit,
            width=image.width,
            height=image.height,
            source=image,
        )
        for image in practice.images.all()
    ]
    return PracticeEntry(
        practice=practice,
        number=number,
        anchor=f"practice-{practice.slug}",
        title=localized["title"],
        tagline=localized["tagline"],
        summary=localized["summary"],
        description=localized["description"],
        description_html=book_markdown(localized["description"].text),
        place=_place(practice),
        cities=cities,
        indicators=list(practice.indicators.all()),
        images=images,
        map_svg=svg,
        map_alt=map_alt,
        map_src=(f"maps/{practice.slug}.svg" if target == "epub" else _svg_data_uri(svg)) if svg else "",
        field_names=[field.localized_name for field in practice.fields.all()],
        theme_names=[_(theme.name) for theme in practice.themes.all()],
    )
