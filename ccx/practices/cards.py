"""The library's result cards, each rendered once per data version, interface language and search.

A results page is twenty cards, and a card costs a database read, a snippet of the practice for the query and
a template: the same practice answers the same search on many pages (every filter combination, page and
interface language ask again), so its card is kept whole in the shared cache (`pagecache.fragments`) and only
the missing ones are read and rendered. A card is the same for every visitor (the library lists published
practices only), and any committed change retires every card with the data version.
"""

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ccx.cities.models import CreativeField
from ccx.core.pagecache import fragments, per_version
from ccx.practices import search_hooks
from ccx.practices.browse import in_order
from ccx.practices.models import Practice, PracticeTranslation

# what a card shows (practices/_card.html) and what its snippet is taken from (search.service.highlight)
CARD_COLUMNS = (
    *("slug", "title", "tagline", "summary", "description", "results", "original_language", "place_name"),
    *("start_year", "stage", "status", "updated_at", "lead_city__name", "country__name", "country__names"),
)


def library_cards(ids: list[int], query: str, query_language: str) -> list[SafeString]:
    """The cards of these published practices, in this order (a practice no longer published is left out).
    With a query, each card shows the passage that answers it and marks a practice in another language than
    `query_language` (see search_hooks.show_languages)."""
    cards = fragments(
        "library-card", ids, lambda missing: _render(missing, query, query_language), query, query_language
    )
    return [mark_safe(cards[pk]) for pk in ids if pk in cards]  # noqa: S308 - our own template's output


def _render(ids: list[int], query: str, query_language: str) -> dict[int, str]:
    rows = (
        Practice.objects.published()
        .select_related("lead_city", "country")
        .only(*CARD_COLUMNS)
        .prefetch_related(Prefetch("fields", CreativeField.objects.only("slug", "name")))
    )
    if query:  # cards then show the title in the visitor's language where a version exists (show_languages)
        rows = rows.prefetch_related(Prefetch("translations", _translations()))
    practices = in_order(rows, ids)
    if query:
        search_hooks.show_languages(practices, query_language)
        search_hooks.highlight_all(practices, query, query_language)
    context = {"LANGUAGE_CODE": get_language()}
    return {p.pk: render_to_string("practices/_card.html", context | {"practice": p}) for p in practices}


def _translations() -> QuerySet[PracticeTranslation]:
    """Every translation, or none at all without asking the database when the library has none (the bundled
    one has none yet): known once per data version."""
    exists = per_version("practice-translations-exist", PracticeTranslation.objects.exists)
    return PracticeTranslation.objects.all() if exists else PracticeTranslation.objects.none()
