from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccx.core.i18n import LocalizedText, pick


class Region(models.TextChoices):
    """Continents as GeoNames gives them for each country."""

    AFRICA = "AF", _("Africa")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    NORTH_AMERICA = "NA", _("North America")
    SOUTH_AMERICA = "SA", _("South America")
    OCEANIA = "OC", _("Oceania")
    ANTARCTICA = "AN", _("Antarctica")


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    code3 = models.CharField(_("ISO alpha-3 code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("English short name"))
    names = models.JSONField(_("names"), default=dict, blank=True, help_text=_("Name by language code"))
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    capital = models.CharField(_("capital"), max_length=200, blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name  # forms list countries by this name, in the interface language

    @property
    def localized_name(self) -> str:
        return pick(self.names or {"en": self.name}).text or self.name


class CreativeField(models.Model):
    """One of the network's creative fields (Architecture was added in 2025)."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, help_text=_("Hex colour used on maps and charts"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    introduced_in = models.PositiveSmallIntegerField(_("introduced in"), null=True, blank=True)

    class Meta:
        verbose_name = _("creative field")
        verbose_name_plural = _("creative fields")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.localized_name  # forms list the fields by this name, in the interface language

    @property
    def localized_name(self) -> str:
        return str(FIELD_NAMES.get(self.slug, self.name))


FIELD_NAMES = {
    "crafts-and-folk-art": pgettext_lazy("creative field", "Crafts and Folk Art"),
    "design": pgettext_lazy("creative field", "Design"),
    "film": pgettext_lazy("creative field", "Film"),
    "gastronomy": pgettext_lazy("creative field", "Gastronomy"),
    "literature": pgettext_lazy("creative field", "Literature"),
    "media-arts": pgettext_lazy("creative field", "Media Arts"),
    "music": pgettext_lazy("creative field", "Music"),
    "architecture": pgettext_lazy("creative field", "Architecture"),
}


class CityQuerySet(models.QuerySet["City"]):
    def visible_to(self, user: object) -> "CityQuerySet":
        """Every city is public."""
        return self

    def members(self) -> "CityQuerySet":
        return self.filter(is_member=True)

    def for_listing(self) -> "CityQuerySet":
        return self.select_related("country", "field")

    def with_unknown_data(self) -> "CityQuerySet":
        return self.filter(Q(designation_year__isnull=True) | Q(location_verified=False) | Q(country__isnull=True))


class City(models.Model):
    """A city: a member of the network (with a creative field) or any other city that takes part."""

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True, related_name="cities"
    )
    is_member = models.BooleanField(_("network member"), default=False)
    field = models.ForeignKey(
        CreativeField,
        verbose_name=_("creative field"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cities",
    )
    designation_year = models.PositiveSmallIntegerField(_("year of designation"), null=True, blank=True)
    designation_note = models.CharField(
        _("note on the designation year"), max_length=300, blank=True, help_text=_("What is known when the year is not")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_verified = models.BooleanField(
        _("location verified"), default=False, help_text=_("Coordinates checked against GeoNames or by the secretariat")
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, null=True, blank=True, unique=True, help_text=_("For example Q1492")
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    about = models.TextField(_("profile"), blank=True)
    commitments = models.TextField(_("commitments as a creative city"), blank=True)
    text_language = models.CharField(_("language of the profile"), max_length=10, default="en")
    about_translations = models.JSONField(
        _("profile in other languages"), default=dict, blank=True, help_text=_("Profile text by language code")
    )
    commitments_translations = models.JSONField(
        _("commitments in other languages"), default=dict, blank=True, help_text=_("Commitments by language code")
    )
    website = models.URLField(_("website"), blank=True)
    unesco_url = models.URLField(_("UNESCO page"), blank=True, null=True, unique=True)
    country_source = models.CharField(_("source of the country"), max_length=300, blank=True)
    year_source = models.CharField(_("source of the year"), max_length=300, blank=True)
    location_source = models.CharField(_("source of the coordinates"), max_length=300, blank=True)
    corrected_fields = models.JSONField(
        _("fields corrected by the secretariat"),
        default=list,
        blank=True,
        help_text=_("Re-importing the member file leaves these fields as the secretariat set them"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_member", "name"]),
            models.Index(fields=["is_member", "designation_year"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})" if self.country else self.name

    def get_absolute_url(self) -> str:
        return reverse("cities:detail", args=[self.slug])

    def editable_by(self, user: object) -> bool:
        """Its profile texts: the city's focal points and the secretariat (the record: cities.permissions)."""
        from ccx.cities.permissions import can_edit_profile

        return can_edit_profile(user, self.pk)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def region(self) -> str:
        return self.country.region if self.country else ""

    def localized_about(self) -> LocalizedText:
        return pick({self.text_language: self.about, **self.about_translations}, original=self.text_language)

    def localized_commitments(self) -> LocalizedText:
        return pick(
            {self.text_language: self.commitments, **self.commitments_translations}, original=self.text_language
        )
