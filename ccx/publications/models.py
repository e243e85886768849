"""Publications (a curated book of practices, built as EPUB, PDF and web editions) and online exhibitions."""

from typing import Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccx.core.i18n import Translatable
from ccx.core.people import Guarded
from ccx.practices.image_fields import CleanImageField
from ccx.practices.models import Licence, Practice

_Curated = TypeVar("_Curated", bound=models.Model)


def isbn_is_valid(value: str) -> bool:
    """ISBN-10 or ISBN-13 with a correct check digit; hyphens and spaces are ignored."""
    digits = value.replace("-", "").replace(" ", "").upper()
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(digit) * (1 if index % 2 == 0 else 3) for index, digit in enumerate(digits[:12]))
        return (10 - total % 10) % 10 == int(digits[12])
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum(int(digit) * (10 - index) for index, digit in enumerate(digits[:9]))
        check = 10 if digits[9] == "X" else int(digits[9])
        return (total + check) % 11 == 0
    return False


def validate_isbn(value: str) -> None:
    if value and not isbn_is_valid(value):
        raise ValidationError(
            _("This is not a valid ISBN: check the digits (10 or 13, the last one is a check digit).")
        )


class Translated(Translatable, models.Model):
    """Texts in the original language in their fields, and in other languages in `translations`:
    {"fr": {"title": "…", "introduction": "…"}, "zh-hans": {…}}."""

    original_language = models.CharField(_("original language"), max_length=10, default="en")
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def text_versions(self, field: str) -> dict[str, str]:
        versions = {self.original_language: getattr(self, field)}
        for language, texts in (self.translations or {}).items():
            if isinstance(texts, dict) and texts.get(field):
                versions.setdefault(language, texts[field])
        return versions


class CuratedQuerySet(models.QuerySet[_Curated]):
    """Who sees publications and exhibitions, written once: published ones for everyone, drafts for the
    secretariat (one record: `permissions.can_view`, through `is_visible_to`)."""

    def published(self) -> Self:
        return self.filter(is_published=True)

    def visible_to(self, user: object) -> Self:
        from ccx.publications.permissions import can_curate

        return self if can_curate(user) else self.published()


class PublicationQuerySet(CuratedQuerySet["Publication"]):
    pass


def cover_path(instance: "Publication", filename: str) -> str:
    return f"publications/{instance.slug}/cover/{filename}"


class Publication(Guarded, Translated):
    access_rules = ("ccx.publications.permissions.can_view", "ccx.publications.permissions.can_curate_record")

    TRANSLATED_FIELDS = ("title", "subtitle", "foreword")

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    editors = models.CharField(_("editors"), max_length=300, blank=True, help_text=_("Names, separated by commas"))
    foreword = models.TextField(_("foreword"), blank=True, help_text=_("Markdown"))
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True, validators=[validate_isbn])
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_SA_3_IGO)
    cover = CleanImageField(_("cover image"), upload_to=cover_path, blank=True)
    cover_alt_text = models.CharField(_("cover text alternative"), max_length=300, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Visitors see the web edition and the downloads")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    content_changed_at = models.DateTimeField(
        _("content changed"), auto_now_add=True, help_text=_("Last change of its texts, chapters or practices")
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-created_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", args=[self.slug])

    def editor_names(self) -> list[str]:
        return [name.strip() for name in self.editors.split(",") if name.strip()]


class Chapter(Translated):
    """A part of the book (a theme, a field or a region) with its introduction and its practices."""

    TRANSLATED_FIELDS = ("title", "introduction")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(_("title"), max_length=250)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    practices = models.ManyToManyField(Practice, through="ChapterPractice", related_name="chapters")  # type: ignore[var-annotated]

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ChapterPractice(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="entries")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("practice in a chapter")
        verbose_name_plural = _("practices in chapters")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["chapter", "practice"], name="unique_chapter_practice")]

    def __str__(self) -> str:
        return f"{self.chapter_id}: {self.practice_id}"


class Format(models.TextChoices):
    EPUB = "epub", "EPUB 3"
    PDF = "pdf", "PDF"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def build_path(instance: "Build", filename: str) -> str:
    return f"publications/{instance.publication.slug}/{filename}"


class Build(models.Model):
    """One run that produces the files of one edition (a language): its progress, its files, its version."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="builds")
    language = models.CharField(_("language"), max_length=10)
    formats = models.JSONField(_("formats"), default=list)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    epub_file = models.FileField(_("EPUB file"), upload_to=build_path, blank=True, max_length=300)
    pdf_file = models.FileField(_("PDF file"), upload_to=build_path, blank=True, max_length=300)
    fallbacks = models.JSONField(_("texts not in the edition's language"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("build")
        verbose_name_plural = _("builds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "language", "version"], name="unique_build_version")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.language} v{self.version}"

    @property
    def is_active(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == BuildStatus.DONE:
            return 100
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    def file_for(self, format: str) -> models.fields.files.FieldFile | None:
        field = self.epub_file if format == Format.EPUB else self.pdf_file if format == Format.PDF else None
        return field if field else None


class ExhibitionQuerySet(CuratedQuerySet["Exhibition"]):
    pass


class Exhibition(Guarded, Translated):
    """A public, visual gallery of remarkable initiatives, each opening to its story."""

    access_rules = ("ccx.publications.permissions.can_view", "ccx.publications.permissions.can_curate_record")
    TRANSLATED_FIELDS = ("title", "introduction")

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=250)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown"))
    is_published = models.BooleanField(_("published"), default=False)
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    practices = models.ManyToManyField(Practice, through="ExhibitionItem", related_name="exhibitions")  # type: ignore[var-annotated]

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["-created_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:exhibition", args=[self.slug])


class ExhibitionItem(models.Model):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="items")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("exhibited initiative")
        verbose_name_plural = _("exhibited initiatives")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "practice"], name="unique_exhibition_practice")]

    def __str__(self) -> str:
        return f"{self.exhibition_id}: {self.practice_id}"
