"""Challenges that cities post, and the case clinics in which other cities answer them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City, Country
from ccx.core.people import Guarded
from ccx.practices.models import BudgetBand, Practice, Theme
from ccx.sdg.models import Goal


class Visibility(models.TextChoices):
    NETWORK = "network", _("Network members (signed in)")
    PUBLIC = "public", _("Everyone")


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLINIC = "clinic", _("Open clinic")
    CONCLUDED = "concluded", _("Clinic concluded")
    CLOSED = "closed", _("Closed")


class ResponseKind(models.TextChoices):
    OBSTACLE = "obstacle", _("An obstacle we recognise")
    PRACTICE = "practice", _("A practice we offer")
    ADVICE = "advice", _("Advice")


class ChallengeQuerySet(models.QuerySet["Challenge"]):
    def visible_to(self, user: object) -> "ChallengeQuerySet":
        """Public challenges for everyone; network-only ones for signed-in people too."""
        from ccx.core.people import is_member

        if is_member(user):
            return self
        return self.filter(visibility=Visibility.PUBLIC)

    def open_clinics(self) -> "ChallengeQuerySet":
        return self.filter(status=ChallengeStatus.CLINIC)

    def for_listing(self) -> "ChallengeQuerySet":
        return self.select_related("city__country", "city__field", "country").prefetch_related("themes", "sdg_goals")


class Challenge(Guarded, models.Model):
    access_rules = ("ccx.challenges.permissions.can_view", "ccx.challenges.permissions.can_manage")

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    statement = models.TextField(_("problem statement"))
    context = models.TextField(_("context"), blank=True)
    obstacles = models.JSONField(_("obstacles met so far"), default=list, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    budget_band = models.CharField(_("budget"), max_length=20, choices=BudgetBand.choices, blank=True)
    time_frame_months = models.PositiveSmallIntegerField(_("time frame (months)"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="challenges")
    sdg_goals = models.ManyToManyField(Goal, verbose_name=_("SDG goals"), blank=True, related_name="challenges")
    language = models.CharField(_("language"), max_length=10, default="en")
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN, db_index=True
    )

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, null=True, blank=True, related_name="challenges"
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        help_text=_("Set from the city; for challenges that name no member city, the country they come from"),
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Where, when no city is named"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
    )

    conclusion_obstacles = models.TextField(_("key obstacles"), blank=True)
    conclusion_ideas = models.TextField(_("ideas to try"), blank=True)
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)

    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_id = models.CharField(_("identifier at the source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    source_year = models.PositiveSmallIntegerField(
        _("year at the source"),
        null=True,
        blank=True,
        help_text=_("When the source dates the challenge (an imported record); the site date is the import's"),
    )
    edited_fields = models.JSONField(
        _("fields edited on the site"),
        default=list,
        blank=True,
        help_text=_("Re-importing the source file leaves these fields as they were edited here"),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "source_id"], condition=~Q(source_id=""), name="unique_challenge_source_record"
            )
        ]
        indexes = [models.Index(fields=["visibility", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if self.city_id and not self.country_id:
            self.country_id = City.objects.values_list("country_id", flat=True).get(pk=self.city_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", args=[self.slug])

    def matching_text(self) -> str:
        """What the matching engine reads: title, statement, context, obstacles and goals."""
        parts = [self.title, self.statement, self.context, *self.obstacles, self.goals]
        return "\n\n".join(part.strip() for part in parts if part and part.strip())

    @property
    def language_name(self) -> str:
        return str(dict(settings.CONTENT_LANGUAGES).get(self.language, self.language))

    @property
    def is_clinic_open(self) -> bool:
        return self.status == ChallengeStatus.CLINIC

    @property
    def has_clinic(self) -> bool:
        return self.status in (ChallengeStatus.CLINIC, ChallengeStatus.CONCLUDED) or self.concluded_at is not None

    @property
    def place(self) -> str:
        """Where the challenge comes from, for people: the city, else the place and country."""
        if self.city is not None:
            return str(self.city.name)
        parts = [self.place_name, self.country.localized_name if self.country else ""]
        return ", ".join(part for part in parts if part)


class ClinicResponseQuerySet(models.QuerySet["ClinicResponse"]):
    def visible_to(self, user: object) -> "ClinicResponseQuerySet":
        """Responses in the clinics of the challenges the person may see."""
        return self.filter(challenge__in=Challenge.objects.visible_to(user))


class ClinicResponse(models.Model):
    """A contribution to a case clinic by a member of another city."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="clinic_responses"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinic_responses",
        help_text=_("The responder's city; empty for the secretariat"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ResponseKind.choices)
    text = models.TextField(_("text"))
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice offered"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinic_offers",
    )
    helped = models.BooleanField(_("helped"), default=False, help_text=_("Marked by the challenge's city"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClinicResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("clinic response")
        verbose_name_plural = _("clinic responses")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.kind} #{self.pk}"

    def is_visible_to(self, user: object) -> bool:
        return self.challenge.is_visible_to(user)

    def editable_by(self, user: object) -> bool:
        """Marking a response as helpful: those who manage the challenge."""
        return self.challenge.editable_by(user)


class Second(models.Model):
    """Someone agrees with a clinic response."""

    response = models.ForeignKey(ClinicResponse, on_delete=models.CASCADE, related_name="seconds")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_seconds")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("second")
        verbose_name_plural = _("seconds")
        constraints = [models.UniqueConstraint(fields=["response", "user"], name="unique_second_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} seconds {self.response_id}"


class ClinicInvitation(models.Model):
    """The challenge's city asks another city to take part in its clinic."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="invitations")
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="clinic_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("clinic invitation")
        verbose_name_plural = _("clinic invitations")
        constraints = [models.UniqueConstraint(fields=["challenge", "city"], name="unique_clinic_invitation")]

    def __str__(self) -> str:
        return f"{self.challenge_id} → {self.city_id}"
