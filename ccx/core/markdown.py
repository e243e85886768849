"""Markdown that people write, rendered to HTML that is safe to show (sanitised with nh3/ammonia)."""

from html import unescape

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def _converter() -> markdown_lib.Markdown:
    """Markdown without indented code blocks. The texts here are prose: imported case studies indent
    paragraphs and lists with spaces, which standard Markdown would turn into unwrapped `<code>` blocks
    (a 2,800-pixel-wide page on a phone). Indented lines are read as ordinary text instead."""
    converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    converter.parser.blockprocessors.deregister("code")
    return converter


def render_markdown(text: str) -> SafeString:
    """Headings are shifted down one level so that a text's '#' never competes with the page's h1."""
    html = _converter().convert(text or "")
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """The words of a Markdown text without its marks ("### Results" → "Results"), on one line, for quoting."""
    html = _converter().convert(text or "")
    plain = nh3.clean(html, tags=set(), attributes={})
    return " ".join(unescape(plain).split())
