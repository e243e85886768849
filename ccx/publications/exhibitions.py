"""An exhibition's gallery: its initiatives with the filters visitors use (field, theme, region) and its map."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from ccx.cities.models import City, Region
from ccx.core.i18n import LocalizedText
from ccx.practices.models import Practice, PracticeImage
from ccx.publications.maps import Place
from ccx.publications.models import Exhibition, ExhibitionItem

FILTERS = ("field", "theme", "region")
BRAND = "#0b5e6b"


@dataclass
class Card:
    practice: Practice
    position: int
    title: LocalizedText
    tagline: LocalizedText
    place: str
    region: str
    image: PracticeImage | None
    image_count: int
    fields: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    themes: list[tuple[str, str]] = field(default_factory=list)
    point: Place | None = None  # where the initiative is: its city, else its own point
    country_code: str = ""  # its country, for a picture of the country when there is no point


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Gallery:
    cards: list[Card]
    shown: list[Card]
    selected: dict[str, str]
    options: dict[str, list[Option]]

    @property
    def active(self) -> bool:
        return any(self.selected.values())


def exhibition_items(exhibition: Exhibition) -> QuerySet[ExhibitionItem]:
    """The published initiatives of the exhibition with what a card shows, in a fixed number of queries."""
    practices = Practice.objects.select_related("lead_city__country", "country").prefetch_related(
        "translations",
        "fields",
        "themes",
        Prefetch("images", queryset=PracticeImage.objects.order_by("position", "pk")),
    )
    return (
        exhibition.items.filter(practice__status="published", practice__deleted_at__isnull=True)
        .prefetch_related(Prefetch("practice", queryset=practices))
        .order_by("position", "pk")
    )


def card_of(item: ExhibitionItem) -> Card:
    practice = item.practice
    city: City | None = practice.lead_city
    country = city.country if city else practice.country
    place = ", ".join(
        part
        for part in ((city.name if city else practice.place_name), country.localized_name if country else "")
        if part
    )
    images = list(practice.images.all())
    return Card(
        practice=practice,
        position=item.position,
        title=practice.localized("title"),
        tagline=practice.localized("tagline"),
        place=place,
        region=country.region if country else "",
        image=images[0] if images else None,
        image_count=len(images),
        fields=[(f.slug, f.localized_name) for f in practice.fields.all()],
        themes=[(t.slug, _(t.name)) for t in practice.themes.all()],
        point=practice_point(practice, city.name if city else practice.place_name or place),
        country_code=country.code if country else "",
    )


def practice_point(practice: Practice, label: str) -> Place | None:
    city = practice.lead_city
    if city is not None and city.latitude is not None and city.longitude is not None:
        return Place(label, city.latitude, city.longitude)
    if practice.latitude is not None and practice.longitude is not None:
        return Place(label, practice.latitude, practice.longitude)
    return None


def card_colour(practice: Practice) -> str:
    """The colour of the initiative's creative field (the first one), or the site's when it has none."""
    fields = list(practice.fields.all())
    return fields[0].colour if fields else BRAND


def gallery(exhibition: Exhibition, query: dict[str, Any]) -> Gallery:
    """Cards filtered by `?field=…&theme=…&region=…` (one value each), with counts for every filter value."""
    cards = [card_of(item) for item in exhibition_items(exhibition)]
    selected = {name: str(query.get(name, "") or "") for name in FILTERS}

    def values(card: Card, name: str) -> list[tuple[str, str]]:
        if name == "field":
            return card.fields
        if name == "theme":
            return card.themes
        return [(card.region, str(Region(card.region).label))] if card.region in Region.values else []

    def matches(card: Card, skip: str = "") -> bool:
        return all(
            not wanted or wanted in {value for value, _label in values(card, name)}
            for name, wanted in selected.items()
            if name != skip
        )

    options: dict[str, list[Option]] = {}
    for name in FILTERS:
        counts: dict[str, list[Any]] = {}
        for card in cards:
            if not matches(card, skip=name):
                continue
            for value, label in values(card, name):
                counts.setdefault(value, [label, 0])[1] += 1
        options[name] = sorted(
            (Option(value, label, count, selected[name] == value) for value, (label, count) in counts.items()),
            key=lambda option: option.label.lower(),
        )
    return Gallery(cards=cards, shown=[card for card in cards if matches(card)], selected=selected, options=options)


def map_points(cards: list[Card], story_url: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": card.title.text,
            "lat": card.point.latitude,
            "lng": card.point.longitude,
            "url": story_url(card.practice),
        }
        for card in cards
        if card.point is not None
    ]
