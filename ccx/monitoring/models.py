"""The network's reporting cycle: each member's periodic monitoring report, its review, and its schedule."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City
from ccx.publications.models import Publication
from ccx.sdg.models import Target

DEFAULT_CYCLE_YEARS = 4


class ReportingRule(models.Model):
    """The network's rule (one row): a member reports every `cycle_years` years after its designation."""

    cycle_years = models.PositiveSmallIntegerField(_("years between reports"), default=DEFAULT_CYCLE_YEARS)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")

    def __str__(self) -> str:
        return f"every {self.cycle_years} years"


class DueDate(models.Model):
    """The secretariat's own due year for one member; later reports follow it by the rule's cycle."""

    city = models.OneToOneField(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="report_due")
    due_year = models.PositiveSmallIntegerField(_("due year"))
    note = models.CharField(_("why"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("due date set by the secretariat")
        verbose_name_plural = _("due dates set by the secretariat")

    def __str__(self) -> str:
        return f"{self.city_id}: {self.due_year}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: object) -> "ReportQuerySet":
        """Accepted reports are public; the others are for the city's focal points and the secretariat."""
        from ccx.monitoring.permissions import visible_reports

        return visible_reports(self, user)

    def for_listing(self) -> "ReportQuerySet":
        return self.select_related("city__country", "city__field")


class Report(models.Model):
    """One member's monitoring report for one reporting period (ending in its due year)."""

    SECTIONS = ("contribution", "local_initiatives", "international_initiatives", "action_plan", "sdg_contribution")

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="reports")
    due_year = models.PositiveSmallIntegerField(_("due year"))
    period_start = models.PositiveSmallIntegerField(_("period from"))
    period_end = models.PositiveSmallIntegerField(_("period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    language = models.CharField(_("language of the report"), max_length=10, default="en")
    contribution = models.TextField(
        _("contribution to the network's objectives"),
        blank=True,
        help_text=_("How the city contributed to the objectives of the network during the period (Markdown)"),
    )
    local_initiatives = models.TextField(
        _("main initiatives at the local level"), blank=True, help_text=_("Markdown; one item per initiative")
    )
    international_initiatives = models.TextField(
        _("main initiatives at the international level"),
        blank=True,
        help_text=_("Cooperation with other cities: partnerships, transfers, clinics, events (Markdown)"),
    )
    action_plan = models.TextField(
        _("action plan for the next cycle"),
        blank=True,
        help_text=_("What the city will do in the next four years, with the resources it will commit (Markdown)"),
    )
    resources = models.TextField(
        _("resources for the action plan"), blank=True, help_text=_("Budget, staff and partners (Markdown)")
    )
    sdg_contribution = models.TextField(
        _("contributions to SDG targets"), blank=True, help_text=_("How the city's work served the targets (Markdown)")
    )
    sdg_targets = models.ManyToManyField(Target, verbose_name=_("SDG targets"), blank=True, related_name="reports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    publication = models.OneToOneField(
        Publication, on_delete=models.SET_NULL, null=True, blank=True, related_name="monitoring_report"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-due_year", "city__name"]
        constraints = [models.UniqueConstraint(fields=["city", "due_year"], name="one_report_per_city_and_cycle")]

    def __str__(self) -> str:
        return f"{self.city} {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:report", args=[self.pk])

    @classmethod
    def label(cls, name: str) -> str:
        """The name of a section, in the active language."""
        return str(getattr(cls._meta.get_field(name), "verbose_name", name))

    def editable_by(self, user: object) -> bool:
        from ccx.monitoring.permissions import can_edit_report

        return can_edit_report(user, self)

    def visible_to(self, user: object) -> bool:
        from ccx.monitoring.permissions import can_view_report

        return can_view_report(user, self)


class ReportEvent(models.Model):
    """One step of a report's review, or a comment of the secretariat: who, when, and what they said."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("report review step")
        verbose_name_plural = _("report review steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ReportRevision(models.Model):
    """Every save of a report: a full snapshot and what changed since the previous one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    snapshot = models.JSONField(default=dict)
    changed_fields = models.JSONField(default=list)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_revision")]

    def __str__(self) -> str:
        return f"{self.report_id} r{self.number}"


class ReportDraft(models.Model):
    """What a person typed in the report form and has not saved yet (autosaved while they type)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_drafts")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "report"], name="one_report_draft_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.report_id}"


class SdgSummary(models.Model):
    """The publication that holds a city's "SDG summary", rebuilt from its records on request."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="sdg_summary")
    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, related_name="sdg_summary")

    class Meta:
        verbose_name = _("SDG summary")
        verbose_name_plural = _("SDG summaries")

    def __str__(self) -> str:
        return f"SDG summary of {self.city_id}"
