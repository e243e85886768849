"""Documents attached to a partnership: uploaded under a random name, downloaded through a permission check."""

import uuid
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser
from ccx.partnerships.models import Partnership, PartnershipDocument, Party
from ccx.partnerships.permissions import represented_parties
from ccx.partnerships.workflow import record_event


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
        suffix = Path(upload.name or "").suffix.lower()
        document.original_name = Path(upload.name or "document").name[:200]
        document.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    document.save()
    record_event(partnership, user, "document_added", party=party, comment=document.title)
    return document
