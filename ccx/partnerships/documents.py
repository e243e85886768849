"""Documents attached to a partnership: checked by content, stored privately under a server-made name,
downloaded through a permission check."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser
from ccx.core import filetypes
from ccx.core.filetypes import FileType, UnacceptableFile, sniff
from ccx.core.pdfs import ActivePdf, check_pdf
from ccx.partnerships.models import Partnership, PartnershipDocument, Party
from ccx.partnerships.permissions import represented_parties
from ccx.partnerships.workflow import record_event

DOCUMENT_TYPES = {
    filetypes.PDF,
    filetypes.DOCX,
    filetypes.DOC,
    filetypes.ODT,
    filetypes.TEXT,
    filetypes.PPTX,
    filetypes.XLSX,
    filetypes.ODS,
    filetypes.PNG,
    filetypes.JPEG,
}


class DocumentRefused(ValueError):
    """The upload cannot be kept; the message is for the uploader."""


def document_type(upload: UploadedFile) -> FileType:
    """The one rule for a partnership document: size, real type by content, and a PDF that cannot act."""
    if (upload.size or 0) > settings.MAX_DOCUMENT_BYTES:
        raise DocumentRefused(
            _("The file is larger than %(size)s MB.") % {"size": settings.MAX_DOCUMENT_BYTES // 1_000_000}
        )
    try:
        kind = sniff(upload, DOCUMENT_TYPES)
        if kind == filetypes.PDF:
            check_pdf(upload)
    except (UnacceptableFile, ActivePdf) as error:
        raise DocumentRefused(str(error)) from error
    return kind


@transaction.atomic
def add_document(
    partnership: Partnership, user: AnyUser, title: str, *, upload: UploadedFile | None = None, url: str = ""
) -> PartnershipDocument:
    parties = represented_parties(user, partnership)
    if not parties:
        raise PermissionDenied(_("Only the parties of a partnership can add documents."))
    return store_document(partnership, user, parties[0], title, upload=upload, url=url)


def store_document(
    partnership: Partnership,
    user: AnyUser,
    party: Party | None,
    title: str,
    *,
    upload: UploadedFile | None = None,
    url: str = "",
) -> PartnershipDocument:
    """Save the document and record who added it; the caller has checked that `user` may."""
    document = PartnershipDocument(
        partnership=partnership, title=title.strip(), url=url, added_by=user if isinstance(user, User) else None
    )
    if upload is not None:
        kind = document_type(upload)
        document.original_name = Path(upload.name or "document").name[:200]
        document.media_type = kind.media_type
        document.file.save(f"{uuid.uuid4().hex}{kind.extension}", upload, save=False)
    document.save()
    record_event(partnership, user, "document_added", party=party, comment=document.title)
    return document
