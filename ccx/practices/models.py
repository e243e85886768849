"""Good practices: the case studies that cities share, with their review workflow and full history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City, Country, CreativeField
from ccx.core.i18n import Translatable
from ccx.core.people import Guarded
from ccx.sdg.models import Goal, Target


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PILOT = "pilot", _("Pilot")
    IMPLEMENTED = "implemented", _("Implemented")
    SCALED = "scaled", _("Scaled")
    DISCONTINUED = "discontinued", _("Discontinued")


class BudgetBand(models.TextChoices):
    UNDER_10K = "under_10k", _("Under USD 10,000")
    FROM_10K = "10k_100k", _("USD 10,000–100,000")
    FROM_100K = "100k_1m", _("USD 100,000–1 million")
    OVER_1M = "over_1m", _("Over USD 1 million")


class ActorType(models.TextChoices):
    CITY_GOVERNMENT = "city_government", _("City government")
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    UNIVERSITY = "university", _("University")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")


class Licence(models.TextChoices):
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_SA_3_IGO = "CC-BY-SA-3.0-IGO", "CC BY-SA 3.0 IGO"
    CC_BY_2 = "CC-BY-2.0", "CC BY 2.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    MIT = "MIT", "MIT"
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_SA_3_IGO: "https://creativecommons.org/licenses/by-sa/3.0/igo/",
    Licence.CC_BY_2: "https://creativecommons.org/licenses/by/2.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.MIT: "https://opensource.org/license/mit",
}


class CitySize(models.TextChoices):
    """Bands of the lead city's population (GeoNames), used as a browse facet."""

    SMALL = "small", _("Under 100,000 inhabitants")
    MEDIUM = "medium", _("100,000–500,000")
    LARGE = "large", _("500,000–1 million")
    VERY_LARGE = "very_large", _("1–5 million")
    MEGACITY = "megacity", _("Over 5 million")


CITY_SIZE_BOUNDS = {
    CitySize.SMALL: (0, 100_000),
    CitySize.MEDIUM: (100_000, 500_000),
    CitySize.LARGE: (500_000, 1_000_000),
    CitySize.VERY_LARGE: (1_000_000, 5_000_000),
    CitySize.MEGACITY: (5_000_000, None),
}


class Theme(models.Model):
    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return gettext(self.name)  # the names are the English msgids of reference.THEMES


class Technology(models.Model):
    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        ordering = ["name"]

    def __str__(self) -> str:
        return gettext(self.name)  # the names are the English msgids of reference.TECHNOLOGIES


class PracticeQuerySet(models.QuerySet["Practice"]):
    def alive(self) -> "PracticeQuerySet":
        return self.filter(deleted_at__isnull=True)

    def published(self) -> "PracticeQuerySet":
        return self.alive().filter(status=Status.PUBLISHED)

    def visible_to(self, user: object) -> "PracticeQuerySet":
        """Published practices for everyone; drafts and reviews for their authors, cities and the secretariat."""
        from ccx.practices.permissions import visible_practices

        return visible_practices(self, user)

    def showcase(self) -> "PracticeQuerySet":
        """Published practices fit to show first: a summary, a place a reader knows (a member city or a named
        town) and results. The home page and the featured exhibition pick from these."""
        return (
            self.published()
            .exclude(summary="")
            .exclude(results="")
            .filter(Q(lead_city__is_member=True) | ~Q(place_name=""))
        )

    def showcase_first(self, limit: int) -> list["Practice"]:
        """Up to `limit` published practices, newest first: the showcase ones, then (if too few) the others."""
        newest = ("-published_at", "-pk")
        picked = list(self.showcase().for_listing().order_by(*newest)[:limit])
        if len(picked) < limit:
            others = self.published().for_listing().exclude(pk__in=[practice.pk for practice in picked])
            picked += list(others.order_by(*newest)[: limit - len(picked)])
        return picked

    def for_listing(self) -> "PracticeQuerySet":
        return self.select_related("lead_city__country", "lead_city__field", "country").prefetch_related("fields")


class Practice(Guarded, Translatable, models.Model):
    access_rules = ("ccx.practices.permissions.can_view", "ccx.practices.permissions.can_edit")
    # The longest a text field may be (ccx.core.validation): imported reports run to some 45,000 characters.
    TEXT_CAP = 100_000

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True, help_text=_("One line"))
    summary = models.TextField(_("summary"), blank=True, help_text=_("At most 150 words"))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    original_language = models.CharField(_("original language"), max_length=10, default="en")

    lead_city = models.ForeignKey(
        City, verbose_name=_("lead city"), on_delete=models.PROTECT, null=True, blank=True, related_name="practices"
    )
    partner_cities = models.ManyToManyField(
        City, verbose_name=_("partner cities"), blank=True, related_name="partner_practices"
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        help_text=_("Set from the lead city; for practices that name no city, the country they took place in"),
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Where, when no city is named"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    fields = models.ManyToManyField(
        CreativeField, verbose_name=_("creative fields"), blank=True, related_name="practices"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="practices")
    technologies = models.ManyToManyField(
        Technology, verbose_name=_("technologies"), blank=True, related_name="practices"
    )
    sdg_goals = models.ManyToManyField(Goal, verbose_name=_("SDG goals"), blank=True, related_name="practices")
    sdg_targets = models.ManyToManyField(Target, verbose_name=_("SDG targets"), blank=True, related_name="practices")
    crisis_response = models.CharField(
        _("crisis response"), max_length=100, blank=True, help_text=_("The crisis it answered, e.g. COVID-19")
    )

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True, db_index=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)

    results = models.TextField(_("results"), blank=True)
    obstacles = models.TextField(_("obstacles and how they were overcome"), blank=True)
    transferability = models.TextField(_("conditions for transfer"), blank=True)
    budget_band = models.CharField(_("budget"), max_length=20, choices=BudgetBand.choices, blank=True)
    staff_needed = models.CharField(_("staff needed"), max_length=300, blank=True)
    skills_needed = models.TextField(_("skills needed"), blank=True)
    partners_needed = models.TextField(_("partners needed"), blank=True)
    resources_needed = models.TextField(_("other resources needed"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    video_links = models.JSONField(_("video links"), default=list, blank=True)
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_4)

    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_id = models.CharField(_("identifier at the source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)

    adapted_from = models.ForeignKey(
        "self",
        verbose_name=_("adapted from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adaptations",
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "source_id"], condition=~Q(source_id=""), name="unique_practice_source_record"
            )
        ]
        indexes = [models.Index(fields=["status", "deleted_at", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.start_year = self.start_date.year if self.start_date else self.start_year
        if self.lead_city_id and not self.country_id:
            self.country_id = City.objects.values_list("country_id", flat=True).get(pk=self.lead_city_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.deleted_at is None

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(Licence(self.licence), "") if self.licence in Licence.values else ""


class PracticeTranslation(models.Model):
    """The title, tagline, summary and description of a practice in another language."""

    TEXT_CAP = Practice.TEXT_CAP  # a translation is as long as the practice's text

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=250, blank=True)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [models.UniqueConstraint(fields=["practice", "language"], name="unique_practice_language")]

    def __str__(self) -> str:
        return f"{self.practice_id} [{self.language}]"


class Actor(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("type"), max_length=40, choices=ActorType.choices)
    role = models.CharField(_("role"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ResultIndicator(models.Model):
    """A measured result: what was measured, its value, the baseline and where the figure comes from."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=250)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.value} {self.unit}".strip()


def image_path(instance: "PracticeImage", filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class PracticeImage(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=image_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to=image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("text alternative"), max_length=300)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class Revision(models.Model):
    """A saved state of a practice: who saved it, when, what changed, and everything needed to restore it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    snapshot = models.JSONField(_("snapshot"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.practice_id} r{self.number}"


class WorkflowEvent(models.Model):
    """A change of status with who made it, when, and the reviewer's comment."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.from_status} → {self.to_status}"


class FormDraft(models.Model):
    """What a person typed in a practice form and has not saved yet, so that nothing is lost."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    step = models.CharField(max_length=30)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "practice", "step"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.practice_id} {self.step}"
