"""The files of an edition: EPUB 3 (EbookLib) and a print PDF (WeasyPrint), both from the same `Edition`.

Fonts ship with the app (a subset of Noto Sans CJK SC, SIL OFL 1.1, see ccx/data/PROVENANCE.md), so the PDF
looks the same on a machine with no font installed, Chinese included. Nothing is fetched from the network:
images are read from the media storage, maps are drawn from the bundled Natural Earth shapes.
"""

import io
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from ebooklib import epub  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont

from ccx.core.public_url import DEVELOPMENT_ORIGIN, public_url
from ccx.practices.models import LICENCE_URLS, Licence
from ccx.publications.editions import Edition

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
PRINT_CSS = HERE / "styles" / "print.css"
EPUB_CSS = HERE / "styles" / "epub.css"
REGULAR_FONT = FONTS / "NotoSansSC-Regular-subset.otf"
BOLD_FONT = FONTS / "NotoSansSC-Bold-subset.otf"
COVER_SIZE = (1200, 1800)
BRAND = (11, 94, 107)
ACCENT = (194, 65, 12)


def bcp47(language: str) -> str:
    """zh-hans → zh-Hans, the way EPUB and PDF readers expect a language tag."""
    if "-" in language:
        base, script = language.split("-", 1)
        return f"{base}-{script.title()}" if len(script) == 4 else f"{base}-{script.upper()}"
    return language


def book_context(edition: Edition, version: int | None, generated_on: datetime | None = None) -> dict[str, Any]:
    publication = edition.publication
    licence = Licence(publication.licence) if publication.licence in Licence.values else None
    return {
        "edition": edition,
        "build": {"version": version} if version else None,
        "generated_on": generated_on or timezone.now(),
        "licence_url": LICENCE_URLS.get(licence, "") if licence else "",
        "site_name": settings.SITE_NAME,
        "network_name": settings.NETWORK_NAME,
        "site_url": public_url(),
    }


def render_pdf(edition: Edition, version: int | None = None) -> bytes:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    context = book_context(edition, version)
    publication = edition.publication
    if publication.cover:
        context["cover_src"] = f"file://{publication.cover.path}"
        context["cover_alt"] = publication.cover_alt_text or _("Cover")
    with override(edition.language):
        html = render_to_string("publications/book/pdf.html", context)
    fonts = FontConfiguration()
    local_only = URLFetcher(allowed_protocols={"file", "data"})  # a build never reaches the network
    stylesheet = CSS(filename=str(PRINT_CSS), font_config=fonts, url_fetcher=local_only)
    document = HTML(string=html, base_url=str(HERE), url_fetcher=local_only)
    pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_variant=None)
    assert pdf is not None
    return bytes(pdf)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than `width`; Chinese breaks between characters, other scripts between words."""
    tokens = re.findall(
        r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+", text
    )
    lines: list[str] = []
    line = ""
    for token in tokens:
        candidate = line + token
        if line and draw.textlength(candidate.rstrip(), font=font) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


def cover_file(edition: Edition) -> tuple[str, bytes]:
    """The cover's name in the book (its extension telling its real type) and its bytes."""
    data = cover_image(edition)
    with Image.open(io.BytesIO(data)) as image:
        return ("images/cover.jpg" if image.format == "JPEG" else "images/cover.png"), data


def cover_image(edition: Edition) -> bytes:
    """The publication's cover image (JPEG or PNG), or a typographic cover drawn in the site's colours (PNG)."""
    publication = edition.publication
    if publication.cover:
        with publication.cover.open("rb") as cover:
            data: bytes = cover.read()
        with Image.open(io.BytesIO(data)) as image:
            if image.format in ("JPEG", "PNG"):
                return data
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "PNG")
            return buffer.getvalue()
    width, height = COVER_SIZE
    canvas = Image.new("RGB", COVER_SIZE, BRAND)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, height - 260, width, height), fill=(8, 67, 77))
    draw.rectangle((100, 300, 260, 316), fill=ACCENT)
    title_font = ImageFont.truetype(str(BOLD_FONT), 92)
    subtitle_font = ImageFont.truetype(str(REGULAR_FONT), 48)
    small_font = ImageFont.truetype(str(REGULAR_FONT), 40)
    y = 380
    for line in _wrap(draw, edition.title.text, title_font, width - 200)[:7]:
        draw.text((100, y), line, font=title_font, fill="white")
        y += 118
    y += 40
    for line in _wrap(draw, edition.subtitle.text, subtitle_font, width - 200)[:5]:
        draw.text((100, y), line, font=subtitle_font, fill=(227, 241, 242))
        y += 66
    draw.text((100, height - 170), settings.NETWORK_NAME, font=small_font, fill="white")
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _page(title: str, file_name: str, language: str, body: str) -> epub.EpubHtml:
    page = epub.EpubHtml(title=title, file_name=file_name, lang=language)
    page.content = f"<html><head><title>{_escape(title)}</title></head><body>{body}</body></html>"
    page.add_link(href="style/book.css", rel="stylesheet", type="text/css")
    return page


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def book_identifier(edition: Edition) -> str:
    """A stable identifier per publication and language: the ISBN when there is one, else a name-based UUID."""
    publication = edition.publication
    if publication.isbn:
        return f"urn:isbn:{publication.isbn.replace('-', '').replace(' ', '')}"
    name = f"{settings.SITE_URL or DEVELOPMENT_ORIGIN}/publications/{publication.pk}/{edition.language}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def render_epub(edition: Edition, version: int | None = None) -> bytes:
    publication = edition.publication
    language = bcp47(edition.language)
    context = book_context(edition, version)
    book = epub.EpubBook()
    book.set_identifier(book_identifier(edition))
    book.set_title(edition.title.text)
    book.set_language(language)
    for index, name in enumerate(publication.editor_names(), start=1):
        book.add_author(name, role="edt", uid=f"editor-{index}")
    if edition.subtitle.text:
        book.add_metadata("DC", "description", edition.subtitle.text)
    book.add_metadata("DC", "publisher", settings.NETWORK_NAME)
    book.add_metadata("DC", "rights", publication.get_licence_display())
    book.add_metadata("DC", "date", timezone.now().date().isoformat())
    book.add_metadata(None, "meta", "textual", {"property": "schema:accessMode"})
    book.add_metadata(None, "meta", "visual", {"property": "schema:accessMode"})
    book.add_metadata(None, "meta", "textual", {"property": "schema:accessModeSufficient"})
    book.add_metadata(None, "meta", "alternativeText", {"property": "schema:accessibilityFeature"})
    book.add_metadata(None, "meta", "tableOfContents", {"property": "schema:accessibilityFeature"})
    book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
    book.add_metadata(
        None, "meta", "Every image and map has a text alternative.", {"property": "schema:accessibilitySummary"}
    )

    book.add_item(
        epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css", content=EPUB_CSS.read_bytes())
    )
    cover_name, cover_bytes = cover_file(edition)
    book.set_cover(cover_name, cover_bytes, create_page=False)  # its media type follows the extension

    with override(edition.language):
        cover_alt = publication.cover_alt_text if publication.cover and publication.cover_alt_text else ""
        cover_alt = cover_alt or _("Cover: %(title)s") % {"title": edition.title.text}
        cover_page = _page(
            _("Cover"),
            "cover.xhtml",
            language,
            f'<section class="cover" epub:type="cover"><img src="{cover_name}" alt="{_escape(cover_alt)}"/></section>',
        )
        front = _page(
            edition.title.text,
            "title.xhtml",
            language,
            render_to_string("publications/book/_title_page.html", context)
            + render_to_string("publications/book/_colophon.html", context),
        )
        pages = [cover_page, front]
        toc: list[Any] = [epub.Link("title.xhtml", edition.title.text, "title")]
        if edition.foreword.text:
            foreword = _page(
                _("Foreword"), "foreword.xhtml", language, render_to_string("publications/book/_foreword.html", context)
            )
            pages.append(foreword)
            toc.append(foreword)
        for chapter in edition.chapters:
            file_name = f"chapter-{chapter.number}.xhtml"
            page = _page(
                f"{chapter.number} {chapter.title.text}",
                file_name,
                language,
                render_to_string("publications/book/_chapter.html", {**context, "chapter": chapter}),
            )
            pages.append(page)
            practices = tuple(
                epub.Link(f"{file_name}#{entry.anchor}", f"{entry.number} {entry.title.text}", entry.anchor)
                for entry in chapter.practices
            )
            toc.append(
                (epub.Section(f"{chapter.number} {chapter.title.text}", file_name), practices) if practices else page
            )
        for page in pages:
            book.add_item(page)
        book.toc = toc
        book.add_item(epub.EpubNcx())
        nav = epub.EpubNav(title=_("Contents"))
        nav.add_link(href="style/book.css", rel="stylesheet", type="text/css")
        book.add_item(nav)
        book.spine = [cover_page, "nav", *pages[1:]]

    for entry in edition.practices():
        for image in entry.images:
            with image.source.image.open("rb") as source:
                data = source.read()
            book.add_item(
                epub.EpubImage(
                    uid=f"image-{image.source.pk}",
                    file_name=image.src,
                    media_type="image/png" if image.src.lower().endswith(".png") else "image/jpeg",
                    content=data,
                )
            )
        if entry.map_svg:
            book.add_item(
                epub.EpubImage(
                    uid=f"map-{entry.practice.pk}",
                    file_name=entry.map_src,
                    media_type="image/svg+xml",
                    content=entry.map_svg.encode("utf-8"),
                )
            )
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"epub3_pages": False, "epub2_guide": False, "epub3_landmark": False})
    return buffer.getvalue()
