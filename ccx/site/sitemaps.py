"""`/sitemap.xml`: every public record, in each interface language, with the same visibility rules as the site.

Each section lists what an anonymous visitor may open (the models' own `visible_to`/`published`/`public`), so
a draft, a network-only challenge or a proposed partnership never appears here.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.events.models import Event
from ccx.partnerships.models import Partnership
from ccx.practices.models import Practice
from ccx.publications.models import Exhibition, Publication


class RecordSitemap(Sitemap):  # type: ignore[type-arg]
    """A section of records with a slug address and an update time."""

    i18n = True
    alternates = True
    x_default = True
    limit = 5000  # times 3 languages, well under the protocol's 50,000 addresses per file

    def lastmod(self, item: Any) -> Any:
        return getattr(item, "updated_at", None)


class PracticeSitemap(RecordSitemap):
    priority = 0.8

    def items(self) -> QuerySet[Practice]:
        return Practice.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("pk")


class CitySitemap(RecordSitemap):
    priority = 0.7

    def items(self) -> QuerySet[City]:
        return City.objects.members().only("slug", "updated_at").order_by("pk")


class ChallengeSitemap(RecordSitemap):
    def items(self) -> QuerySet[Challenge]:
        return Challenge.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("pk")


class EventSitemap(RecordSitemap):
    def items(self) -> QuerySet[Event]:
        return Event.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("pk")


class PublicationSitemap(RecordSitemap):
    def items(self) -> QuerySet[Publication]:
        return Publication.objects.published().only("slug").order_by("pk")


class ExhibitionSitemap(RecordSitemap):
    def items(self) -> QuerySet[Exhibition]:
        return Exhibition.objects.published().only("slug").order_by("pk")


class PartnershipSitemap(RecordSitemap):
    def items(self) -> QuerySet[Partnership]:
        return Partnership.objects.public().only("slug", "updated_at").order_by("pk")


class PageSitemap(Sitemap):  # type: ignore[type-arg]
    """The site's entry pages."""

    i18n = True
    alternates = True
    x_default = True
    priority = 1.0

    def items(self) -> list[str]:
        return [
            "core:home",
            "practices:library",
            "challenges:list",
            "cities:directory",
            "cities:map",
            "partnerships:network",
            "events:list",
            "publications:list",
            "sdg:index",
            "core:about_data",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {  # type: ignore[type-arg]
    "pages": PageSitemap,
    "practices": PracticeSitemap,
    "cities": CitySitemap,
    "challenges": ChallengeSitemap,
    "events": EventSitemap,
    "publications": PublicationSitemap,
    "exhibitions": ExhibitionSitemap,
    "cooperation": PartnershipSitemap,
}
