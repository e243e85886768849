from django.db import models
from django.utils.translation import gettext_lazy as _

from ccx.practices.models import Practice


class SearchDocument(models.Model):
    """What the search engine knows of one practice: its terms, passages and passage vectors.

    Stored so that every server process can build its in-memory index at start-up without re-embedding,
    and keep it in step by reading the rows changed since it last looked (`updated_at`).
    """

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="search_document")
    checksum = models.CharField(_("checksum"), max_length=64, help_text=_("Of the indexed text and engine settings"))
    model = models.CharField(_("encoder"), max_length=120, help_text=_("Encoder name, version and passage settings"))
    language = models.CharField(_("languages"), max_length=64, blank=True)  # detected, comma-separated
    terms = models.JSONField(_("terms"), default=dict)
    passages = models.JSONField(_("passages"), default=list)
    vectors = models.BinaryField(_("passage vectors"), help_text=_("float16, 512 per passage"))
    similar = models.JSONField(
        _("similar practices"),
        default=list,
        help_text=_("[practice id, score] pairs, best first, computed when it or a neighbour is indexed"),
    )
    searchable = models.BooleanField(_("searchable"), default=True, help_text=_("Published and not deleted"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"practice {self.practice_id}"
