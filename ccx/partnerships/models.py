"""Cooperation records: partnerships between cities and organisations, and transfers of practices between cities."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccx.accounts.models import Organisation
from ccx.cities.models import City
from ccx.core.people import Guarded
from ccx.core.storage import private_storage
from ccx.practices.models import Practice


class PartnershipKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    JOINT_PROJECT = "joint_project", _("Joint project")
    TWINNING = "twinning", _("Twinning")
    KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("Knowledge exchange")
    STUDY_VISIT = "study_visit", _("Study visit")
    CO_PRODUCTION = "co_production", _("Co-production")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_DISCUSSION = "in_discussion", _("In discussion")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # A tie known from public sources, not (yet) confirmed by the cities; and one they said has ended.
    RECORDED = "recorded", _("Recorded, unconfirmed")
    ENDED = "ended", _("Ended")


class PartnershipSource(models.TextChoices):
    PLATFORM = "platform", _("Proposed on the platform")
    WIKIDATA = "wikidata-p190", _("Recorded from public sources (Wikidata P190)")


OPEN_STATUSES = (PartnershipStatus.PROPOSED, PartnershipStatus.IN_DISCUSSION)
# Once every party has agreed, the partnership is a public record of the network. Ties recorded from
# public sources are public from the start: they are public knowledge, marked as unconfirmed.
PUBLIC_STATUSES = (
    PartnershipStatus.AGREED,
    PartnershipStatus.ACTIVE,
    PartnershipStatus.COMPLETED,
    PartnershipStatus.RECORDED,
    PartnershipStatus.ENDED,
)
# Ties that hold today, as far as anyone knows (proposals aside).
LIVE_TIE_STATUSES = (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE, PartnershipStatus.RECORDED)


class TieState(models.TextChoices):
    """How sure the network is of a public tie: the filter the network page and the API offer."""

    RECORDED = "recorded", _("Recorded, unconfirmed")
    CONFIRMED = "confirmed", _("Confirmed by the cities")
    ENDED = "ended", _("Ended")


TIE_STATE_STATUSES = {
    TieState.RECORDED: (PartnershipStatus.RECORDED,),
    TieState.CONFIRMED: (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE),
    TieState.ENDED: (PartnershipStatus.COMPLETED, PartnershipStatus.ENDED),
}


def tie_state(status: str) -> str:
    return next((state for state, statuses in TIE_STATE_STATUSES.items() if status in statuses), "")


def tie_state_label(status: str) -> str:
    state = tie_state(status)
    return str(TieState(state).label) if state else str(PartnershipStatus(status).label)


class Framework(models.Model):
    """A regional or international cooperation framework a partnership can sit in (a managed list)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("cooperation framework")
        verbose_name_plural = _("cooperation frameworks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def public(self) -> "PartnershipQuerySet":
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user: object) -> "PartnershipQuerySet":
        """Agreed, active and completed partnerships are public; proposals only show to their parties."""
        from ccx.partnerships.permissions import visible_partnerships

        return visible_partnerships(self, user)  # type: ignore[arg-type]

    def in_state(self, state: str) -> "PartnershipQuerySet":
        return self.filter(status__in=TIE_STATE_STATUSES[TieState(state)])

    def recorded_from_public_sources(self) -> "PartnershipQuerySet":
        return self.exclude(source=PartnershipSource.PLATFORM)


class Partnership(Guarded, models.Model):
    access_rules = ("ccx.partnerships.permissions.can_view", "ccx.partnerships.permissions.represents_a_party")

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("type"), max_length=30, choices=PartnershipKind.choices)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("cooperation framework"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
    )
    framework_other = models.CharField(
        _("other framework"), max_length=200, blank=True, help_text=_("When the framework is not in the list")
    )
    goals = models.TextField(_("goals"))
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.PROPOSED
    )
    practices = models.ManyToManyField(
        Practice, verbose_name=_("linked practices"), blank=True, related_name="partnerships"
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge", verbose_name=_("linked challenges"), blank=True, related_name="partnerships"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposed_partnerships",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=PartnershipSource.choices, default=PartnershipSource.PLATFORM
    )
    source_reference = models.CharField(
        _("identifiers at the source"), max_length=100, blank=True, help_text=_("For example the two Wikidata ids")
    )
    start_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("ended in"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"]), models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_public_record(self) -> bool:
        """Known from public sources rather than proposed on the platform (it may since be confirmed)."""
        return self.source != PartnershipSource.PLATFORM

    @property
    def tie_state(self) -> str:
        return tie_state(self.status)

    @property
    def status_label(self) -> str:
        """A tie from public sources says how sure we are of it (recorded, confirmed, ended); a proposal
        says where it stands in its workflow."""
        return tie_state_label(self.status) if self.is_public_record else self.get_status_display()

    @property
    def framework_name(self) -> str:
        return self.framework.name if self.framework else self.framework_other


class Party(models.Model):
    """One side of a partnership: a city or an organisation, and whether it has confirmed the current terms."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_parties",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_parties",
    )
    is_proposer = models.BooleanField(_("proposer"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["-is_proposer", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False, organisation__isnull=True)
                | Q(city__isnull=True, organisation__isnull=False),
                name="party_is_a_city_or_an_organisation",
            ),
            models.UniqueConstraint(fields=["partnership", "city"], name="unique_city_party"),
            models.UniqueConstraint(fields=["partnership", "organisation"], name="unique_organisation_party"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.city is not None:
            return self.city.name
        return self.organisation.name if self.organisation else ""

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Milestone(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=250)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class DocumentQuerySet(models.QuerySet["PartnershipDocument"]):
    def visible_to(self, user: object) -> "DocumentQuerySet":
        """Documents of the partnerships the person may see."""
        return self.filter(partnership__in=Partnership.objects.visible_to(user))


class PartnershipDocument(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="partnerships/", storage=private_storage, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True, help_text=_("Found from its content"))
    url = models.URLField(_("address"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_visible_to(self, user: object) -> bool:
        return self.partnership.is_visible_to(user)

    def editable_by(self, user: object) -> bool:
        return self.partnership.editable_by(user)

    @property
    def download_name(self) -> str:
        """The uploader's name with the extension of the type found in the content."""
        stored = self.file.name.rsplit("/", 1)[-1]
        extension = Path(stored).suffix
        return f"{Path(self.original_name).stem or 'document'}{extension}" if self.original_name else stored


ACTION_LABELS = {
    "proposed": _("proposed the partnership"),
    "confirmed": _("confirmed the terms"),
    "commented": _("wrote"),
    "amended": _("changed the terms"),
    "agreed": _("every party has confirmed"),
    "declined": _("declined"),
    "withdrawn": _("withdrew the proposal"),
    "activated": _("started the partnership"),
    "completed": _("marked it completed"),
    "milestone_added": _("added a milestone"),
    "milestone_done": _("marked a milestone done"),
    "document_added": _("added a document"),
    "recorded": _("recorded from public sources"),
    "twinning_confirmed": _("confirmed the twinning"),
    "twinning_corrected": _("corrected the record"),
    "twinning_ended": _("marked it ended"),
}


class PartnershipEvent(models.Model):
    """One recorded step of a partnership's life: who did what, when, and the status before and after."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=PartnershipStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PartnershipStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class TransferStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    ADAPTING = "adapting", _("Adapting")
    IMPLEMENTED = "implemented", _("Implemented")
    ABANDONED = "abandoned", _("Abandoned")


class TransferQuerySet(models.QuerySet["Transfer"]):
    def for_listing(self) -> "TransferQuerySet":
        return self.select_related(
            "practice__lead_city__country",
            "practice__lead_city__field",
            "from_city__country",
            "from_city__field",
            "to_city__country",
            "to_city__field",
            "adapted_practice",
        )

    def visible_to(self, user: object) -> "TransferQuerySet":
        """Transfers of practices the public can see."""
        from ccx.partnerships.permissions import visible_transfers

        return visible_transfers(self, user)  # type: ignore[arg-type]


class Transfer(Guarded, models.Model):
    """A city adapted (or is adapting) a practice that another city developed."""

    access_rules = ("ccx.partnerships.permissions.can_view_transfer", "ccx.partnerships.permissions.can_edit_transfer")
    practice = models.ForeignKey(
        Practice, verbose_name=_("practice adapted"), on_delete=models.CASCADE, related_name="transfers_out"
    )
    from_city = models.ForeignKey(
        City,
        verbose_name=_("from city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        help_text=_("The city the practice comes from (its lead city)"),
    )
    to_city = models.ForeignKey(
        City, verbose_name=_("adapting city"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    adapted_practice = models.ForeignKey(
        Practice,
        verbose_name=_("the adapting city's practice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers_in",
        help_text=_("The record of the adapted version in the library, if there is one"),
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("within the partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers",
    )
    what_adapted = models.TextField(_("what was adapted"))
    status = models.CharField(_("status"), max_length=20, choices=TransferStatus.choices)
    started_on = models.DateField(_("started"), null=True, blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "to_city"], name="one_transfer_per_practice_and_city"),
        ]

    def __str__(self) -> str:
        return f"{self.practice} → {self.to_city}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:transfer", args=[self.pk])

    @property
    def year(self) -> int:
        return self.started_on.year if self.started_on else self.created_at.year
