"""An Atom feed of newly published practices."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from ccx.practices.models import Practice


class NewPractices(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    link = reverse_lazy("practices:library")
    subtitle = "Good practices newly published by the cities of the network"

    def title(self) -> str:
        return f"{settings.SITE_NAME}: new good practices"

    def items(self) -> QuerySet[Practice]:
        latest = Practice.objects.published().select_related("lead_city", "country").prefetch_related("themes")
        return latest.order_by("-published_at", "-pk")[:50]

    def item_title(self, item: Practice) -> str:
        return item.title

    def item_description(self, item: Practice) -> str:
        # Atom sends the summary as type="html": the city's plain text is escaped into paragraphs, so that
        # markup someone typed (<img onerror=…>) shows as text in a feed reader instead of running there.
        return linebreaks(item.summary or item.tagline, autoescape=True)

    def item_pubdate(self, item: Practice) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Practice) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Practice) -> str:
        return item.lead_city.name if item.lead_city else (item.source_name or settings.NETWORK_NAME)

    def item_categories(self, item: Practice) -> list[str]:
        return [theme.name for theme in item.themes.all()]
