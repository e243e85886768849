from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccx.core.i18n import LocalizedText, pick

# The official SDG icon colours published by the United Nations.
GOAL_COLOURS = {
    1: "#E5243B", 2: "#DDA63A", 3: "#4C9F38", 4: "#C5192D", 5: "#FF3A21", 6: "#26BDE2",
    7: "#FCC30B", 8: "#A21942", 9: "#FD6925", 10: "#DD1367", 11: "#FD9D24", 12: "#BF8B2E",
    13: "#3F7E44", 14: "#0A97D9", 15: "#56C02B", 16: "#00689D", 17: "#19486A",
}  # fmt: skip


def code_sort_key(code: str) -> str:
    """'11.a.1' sorts after '11.7.2' and '2.1' before '10.1', as in the UN lists."""
    return ".".join(part.zfill(3) if part.isdigit() else f"~{part}" for part in code.split("."))


class Goal(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_titles = models.JSONField(_("short titles"), default=dict)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.short_titles.get('en', '')}"

    def get_absolute_url(self) -> str:
        return reverse("sdg:goal", args=[self.number])

    @property
    def colour(self) -> str:
        return GOAL_COLOURS.get(self.number, "#555555")

    def short_title(self, language: str | None = None) -> LocalizedText:
        return pick(self.short_titles, language)

    def title(self, language: str | None = None) -> LocalizedText:
        return pick(self.titles, language)


class CodedText(models.Model):
    """A target or an indicator: a code such as 11.4 or 11.4.1 and its official wording by language."""

    titles = models.JSONField(_("titles"), default=dict)
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)

    class Meta:
        abstract = True
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.code} {self.titles.get('en', '')[:60]}"  # type: ignore[attr-defined]

    def save(self, *args: object, **kwargs: object) -> None:
        self.sort_key = code_sort_key(self.code)  # type: ignore[attr-defined]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def title(self, language: str | None = None) -> LocalizedText:
        return pick(self.titles, language)


class Target(CodedText):
    code = models.CharField(_("code"), max_length=10, unique=True)
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="targets")

    class Meta(CodedText.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")


class Indicator(CodedText):
    code = models.CharField(_("code"), max_length=12, unique=True)
    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="indicators")

    class Meta(CodedText.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


# --- A city's measured values of SDG indicators (its SDG profile) ---------------------------------------------
# They live here, at the ground with the cities and the SDG framework, because they are facts about a city and
# an indicator that any higher layer (monitoring reports, matching, publications) may read.


class IndicatorValueQuerySet(models.QuerySet["IndicatorValue"]):
    def visible_to(self, user: object) -> "IndicatorValueQuerySet":
        """Measured values are public statistics: everyone sees every value."""
        return self

    def for_listing(self) -> "IndicatorValueQuerySet":
        return self.select_related("city__country", "indicator__target__goal")


class IndicatorValue(models.Model):
    """One measured value of an SDG indicator for one city and year, with its unit, source and method."""

    city = models.ForeignKey(
        "cities.City", verbose_name=_("city"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("For example: %, km², persons, USD per capita"))
    source = models.CharField(_("source"), max_length=300, help_text=_("Who measured it, and where it is published"))
    method_note = models.TextField(_("notes on the method"), blank=True)
    disaggregation = models.CharField(
        _("disaggregation"),
        max_length=120,
        blank=True,
        help_text=_(
            "Empty for the whole population; else the group measured, e.g. women, under 15, informal settlements"
        ),
    )
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator__sort_key", "disaggregation", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator", "year", "disaggregation"], name="one_value_per_city_indicator_year_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city_id} {self.indicator_id} {self.year}: {self.value} {self.unit}"

    def clean(self) -> None:
        from ccx.sdg.values import validate_indicator_value

        validate_indicator_value(self)

    def editable_by(self, user: object) -> bool:
        from ccx.sdg.values import can_edit_values

        return can_edit_values(user, self.city)
