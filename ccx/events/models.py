"""Summits, forums, workshops and webinars: programme, speakers, registrations, personal agendas, outcomes.

Times are stored as UTC instants; each event names its IANA time zone, in which the programme is shown.
"""

import secrets
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccx.accounts.models import Organisation
from ccx.cities.models import City
from ccx.core.i18n import Translatable
from ccx.core.people import Guarded
from ccx.practices.image_fields import CleanImageField
from ccx.practices.models import Practice


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("'%(value)s' is not a known time zone (use a name such as Asia/Shanghai)."), params={"value": value}
        ) from None


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    FORUM = "forum", _("Forum")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the network only")


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        return self.filter(is_published=True)

    def visible_to(self, user: object) -> "EventQuerySet":
        from ccx.events.permissions import visible_events

        return visible_events(self, user)


class Event(Guarded, Translatable, models.Model):
    access_rules = ("ccx.events.permissions.can_view", "ccx.events.permissions.is_organiser")

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    concept_note = models.TextField(_("concept note"), blank=True, help_text=_("Markdown"))
    original_language = models.CharField(_("original language"), max_length=10, default="en")

    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, e.g. Asia/Shanghai; the programme is shown in this zone"),
    )

    in_person = models.BooleanField(_("in person"), default=True)
    online = models.BooleanField(_("online"), default=False)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    host_city = models.ForeignKey(
        City,
        verbose_name=_("host city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
    )
    cities = models.ManyToManyField(
        City,
        verbose_name=_("taking part"),
        blank=True,
        related_name="events",
        help_text=_("Member cities that took part"),
    )

    audience = models.CharField(_("open to"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC)
    is_published = models.BooleanField(_("published"), default=False)
    organiser_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers (accounts)"),
        blank=True,
        related_name="organised_events",
        help_text=_("People who edit the programme and see the participants"),
    )

    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity_in_person = models.PositiveIntegerField(
        _("seats in person"), null=True, blank=True, help_text=_("Empty: no limit")
    )
    capacity_online = models.PositiveIntegerField(
        _("places online"), null=True, blank=True, help_text=_("Empty: no limit")
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"), default=False, help_text=_("An organiser accepts each registration")
    )

    programme_note = models.TextField(
        _("note on the programme"), blank=True, help_text=_("Shown above the programme, e.g. what is not confirmed")
    )
    report = models.TextField(_("report"), blank=True, help_text=_("A short report after the event (Markdown)"))
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    content_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(in_person=True) | Q(online=True), name="event_in_person_or_online"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk:  # read the stored version: sessions and speakers may have increased it meanwhile
            stored = Event.objects.filter(pk=self.pk).values_list("content_version", flat=True).first()
            self.content_version = max(stored or 0, self.content_version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "content_version"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_hybrid(self) -> bool:
        return self.in_person and self.online

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def is_over(self, today: date | None = None) -> bool:
        return self.ends_on < (today or datetime.now(self.zone).date())

    def modes(self) -> list["Mode"]:
        return [mode for mode, offered in ((Mode.IN_PERSON, self.in_person), (Mode.ONLINE, self.online)) if offered]

    def capacity(self, mode: str) -> int | None:
        return self.capacity_in_person if mode == Mode.IN_PERSON else self.capacity_online


class EventTranslation(models.Model):
    """The title, theme and concept note of an event in another language."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=250, blank=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    concept_note = models.TextField(_("concept note"), blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [models.UniqueConstraint(fields=["event", "language"], name="unique_event_language")]

    def __str__(self) -> str:
        return f"{self.event_id} [{self.language}]"


class OrganisationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    HOST = "host", _("Host")
    IMPLEMENTER = "implementer", _("Implemented by")


class EventOrganisation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="event_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("organising organisation")
        verbose_name_plural = _("organising organisations")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation", "role"], name="unique_event_organisation_role")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Speaker(models.Model):
    """A person on the programme of one event, linked to their city or organisation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    slug = models.SlugField(_("identifier"), max_length=140)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True, help_text=_("e.g. Mayor of Rome"))
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.SET_NULL, null=True, blank=True, related_name="speakers"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
    )
    bio = models.TextField(_("biography"), blank=True)
    photo = CleanImageField(_("photo"), upload_to="events/speakers/", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_roles",
    )

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "slug"], name="unique_speaker_per_event")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:speaker", args=[self.event.slug, self.slug])

    @property
    def affiliation(self) -> str:
        parts = [self.position]
        if self.organisation_id and self.organisation and self.organisation.name not in self.position:
            parts.append(self.organisation.name)
        return ", ".join(part for part in parts if part)


class SessionKind(models.TextChoices):
    CEREMONY = "ceremony", _("Ceremony")
    MAIN_FORUM = "main_forum", _("Main forum")
    PANEL = "panel", _("Panel")
    PARALLEL = "parallel", _("Parallel session")
    WORKSHOP = "workshop", _("Workshop")
    EXHIBITION = "exhibition", _("Exhibition")
    BREAK = "break", _("Break")


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, user: object) -> "SessionQuerySet":
        """Sessions of the events the person may see."""
        return self.filter(event__in=Event.objects.visible_to(user))


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=SessionKind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room or stream"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False, help_text=_("Streamed or held online"))
    join_url = models.URLField(
        _("join link"), max_length=500, blank=True, help_text=_("Shown only to registered participants")
    )
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    slides_url = models.URLField(_("slides"), max_length=500, blank=True)
    practices = models.ManyToManyField(
        Practice, verbose_name=_("good practices"), blank=True, related_name="event_sessions"
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge",
        verbose_name=_("challenges"),
        blank=True,
        related_name="event_sessions",
        help_text=_("A workshop session can host the case clinic of a challenge"),
    )
    partnerships = models.ManyToManyField(
        "partnerships.Partnership", verbose_name=_("partnerships"), blank=True, related_name="event_sessions"
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "ends_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:programme", args=[self.event.slug]) + f"#session-{self.pk}"

    def is_visible_to(self, user: object) -> bool:
        return self.event.is_visible_to(user)

    def editable_by(self, user: object) -> bool:
        return self.event.editable_by(user)


class SpeakerRole(models.TextChoices):
    CHAIR = "chair", _("Chair or moderator")
    SPEAKER = "speaker", _("Speaker")


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="appearances")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="appearances")
    role = models.CharField(_("role"), max_length=20, choices=SpeakerRole.choices, default=SpeakerRole.SPEAKER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("speaker in a session")
        verbose_name_plural = _("speakers in sessions")
        ordering = ["role", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker", "role"], name="unique_session_speaker_role")
        ]

    def __str__(self) -> str:
        return f"{self.speaker} – {self.session}"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def visible_to(self, user: object) -> "RegistrationQuerySet":
        """A person sees their own registrations; organisers those of their events; the secretariat all."""
        from ccx.core.people import is_member, is_secretariat

        if is_secretariat(user):
            return self
        if not is_member(user):
            return self.none()
        return self.filter(models.Q(user=user) | models.Q(event__organiser_users=user)).distinct()


class Registration(models.Model):
    """One person's place at one event. Cancelling keeps the row; registering again reuses it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    mode = models.CharField(_("attending"), max_length=20, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True)
    attempt = models.PositiveIntegerField(default=1, help_text=_("How many times this person registered"))
    registered_at = models.DateTimeField(_("registered"))
    changed_at = models.DateTimeField(_("last change"))
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    starred = models.ManyToManyField(Session, verbose_name=_("starred sessions"), blank=True, related_name="stars")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]
        indexes = [models.Index(fields=["event", "mode", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"

    def is_visible_to(self, user: object) -> bool:
        return self.user_id == getattr(user, "pk", None) or self.event.editable_by(user)

    def editable_by(self, user: object) -> bool:
        """Its person (to cancel) and the event's organisers."""
        return self.is_visible_to(user)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED


class OutcomeKind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    INITIATIVE = "initiative", _("Initiative")
    PUBLICATION = "publication", _("Publication")


class Outcome(models.Model):
    """What an event produced: a declaration or initiative cities can sign, or a publication launched there."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("type"), max_length=20, choices=OutcomeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("full text"), max_length=500, blank=True)
    open_for_signature = models.BooleanField(
        _("open for signature"), default=False, help_text=_("Focal points may sign for their cities")
    )
    signatories: "models.ManyToManyField[City, Signature]" = models.ManyToManyField(
        City, through="Signature", verbose_name=_("signatory cities"), related_name="signed_outcomes", blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def can_be_signed(self) -> bool:
        return self.kind in (OutcomeKind.DECLARATION, OutcomeKind.INITIATIVE)


class Signature(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="signatures")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="signatures")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["outcome", "city"], name="one_signature_per_city")]

    def __str__(self) -> str:
        return f"{self.city} signed {self.outcome}"
