from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City, Country


class OrganisationType(models.TextChoices):
    CITY_GOVERNMENT = "city_government", _("City government")
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    BUSINESS_ASSOCIATION = "business_association", _("Business association")
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=40, choices=OrganisationType.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("For a city government: the city it governs"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="unique_organisation_name_kind")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    FOCAL_POINT = "focal_point", _("City focal point")
    PARTNER = "partner", _("Partner organisation member")
    MEMBER = "member", _("Registered visitor")


class User(AbstractUser):
    """A person with an account. The role follows from what the account is bound to."""

    email = models.EmailField(_("e-mail address"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    focal_point_of = models.ManyToManyField(
        City,
        verbose_name=_("focal point of"),
        blank=True,
        related_name="focal_points",
        help_text=_("The cities whose profiles and records this person may edit"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role(self) -> Role:
        if self.is_staff:
            return Role.SECRETARIAT
        if self.pk and self.focal_point_of.exists():
            return Role.FOCAL_POINT
        if self.organisation_id:
            return Role.PARTNER
        return Role.MEMBER


class NotificationKind(models.TextChoices):
    PRACTICES = "practices", _("Good practices: reviews and decisions")
    CHALLENGES = "challenges", _("Challenges and case clinics: responses")
    PARTNERSHIPS = "partnerships", _("Partnerships and transfers: proposals, confirmations, changes")
    EVENTS = "events", _("Events: registrations and waiting lists")
    PUBLICATIONS = "publications", _("Publications: builds")
    REPORTS = "reports", _("Monitoring reports: reviews and reminders")
    ACCOUNT = "account", _("Account and network news")


class EmailDelivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("E-mail at once")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("No e-mail (in the site only)")


class NotificationSetting(models.Model):
    """How one person wants to hear about one kind of notification; no row means e-mail at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_settings")
    kind = models.CharField(_("about"), max_length=20, choices=NotificationKind.choices)
    email = models.CharField(
        _("e-mail"), max_length=20, choices=EmailDelivery.choices, default=EmailDelivery.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_setting")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.email}"


class EmailStatus(models.TextChoices):
    SENT = "sent", _("e-mailed")
    DIGEST = "digest", _("waiting for the daily digest")
    NONE = "none", _("not e-mailed")


class Notification(models.Model):
    """An in-app message to one person; e-mails are sent alongside by ccx.accounts.notifications."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(
        _("about"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.ACCOUNT
    )
    key = models.CharField(
        _("event key"),
        max_length=200,
        blank=True,
        help_text=_("Identifies the event told about, so that nobody hears of the same event twice"),
    )
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(_("e-mail"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_status", "user"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="one_notification_per_user_and_event"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    READ_WRITE = "read-write", _("Read and write")


class ApiToken(models.Model):
    """A personal access token for scripts: only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("first characters"), max_length=12, help_text=_("To recognise the token"))
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class FocalPointInvitationQuerySet(models.QuerySet["FocalPointInvitation"]):
    def open(self) -> "FocalPointInvitationQuerySet":
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class FocalPointInvitation(models.Model):
    """The secretariat asks someone to become a city's focal point: a one-time link to set a password.

    Only a digest of the link's secret is kept, so a copy of the database cannot be used to accept it."""

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        "User", verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "User", verbose_name=_("account"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = FocalPointInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("focal point invitation")
        verbose_name_plural = _("focal point invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.city}"
