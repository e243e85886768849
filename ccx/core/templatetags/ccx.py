import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ccx.core import people
from ccx.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter(name="mark_terms")
def mark_terms(text: str, terms: tuple[str, ...]) -> SafeString:
    """Escape `text` and wrap each occurrence of the matched words in <mark>."""
    escaped = str(escape(text))
    if not terms:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = "|".join(re.escape(str(escape(term))) for term in sorted(terms, key=len, reverse=True))
    return mark_safe(re.sub(f"({pattern})", r"<mark>\1</mark>", escaped))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = str(value)
    encoded: str = query.urlencode()
    return encoded


@register.filter(name="is_member")
def is_member(user: object) -> bool:
    """`{% if user|is_member %}`: signed in with an active account (the same test as the views and the API)."""
    return people.is_member(user)
