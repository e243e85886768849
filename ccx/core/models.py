from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One finished import of a data file: what it was, its checksum, and what it changed."""

    kind = models.CharField(_("kind"), max_length=40)
    source = models.CharField(_("source"), max_length=500)
    checksum = models.CharField(_("checksum"), max_length=64)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["kind", "-finished_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.finished_at:%Y-%m-%d %H:%M}"


class StoredFile(models.Model):
    """The SHA-256 of an uploaded file, recorded when it was stored, so that `ccx fixity` can tell whether
    it is still there and unchanged (bit rot, a bad restore, tampering)."""

    storage = models.CharField(_("storage"), max_length=20)
    name = models.CharField(_("name"), max_length=500)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [models.UniqueConstraint(fields=["storage", "name"], name="one_fixity_record_per_file")]

    def __str__(self) -> str:
        return f"{self.storage}:{self.name}"


class DataVersion(models.Model):
    """One row whose number goes up after every committed change to the data (see ccx.core.versions)."""

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return str(self.number)
