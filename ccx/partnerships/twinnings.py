"""The life of a tie recorded from public sources (a twinning from Wikidata P190). One function per change.

recorded ──confirm (with its year, documents)──▶ active ("confirmed by the cities")
recorded / active ──end──▶ ended
recorded / active / ended ──correct (type, years, note)──▶ same state

Invalid values (a year outside 1900 to this year, an unknown type) are refused by the terms validator
(`InvalidTerms`, 422, naming the fields); a change the tie's state does not allow is a `PartnershipError` (409).

A focal point of either member city, or the secretariat, may make each change (`editable_by`). Every
change is a step of the partnership's history; re-importing the source never undoes it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser
from ccx.core.validation import merge, messages
from ccx.partnerships.documents import store_document
from ccx.partnerships.models import Partnership, PartnershipEvent, PartnershipStatus, Party
from ccx.partnerships.permissions import represented_parties
from ccx.partnerships.validation import terms_problems
from ccx.partnerships.workflow import InvalidTerms, PartnershipError, _tell_parties, record_event

Status = PartnershipStatus
CORRECTABLE = {
    "kind": gettext_lazy("type"),
    "start_year": gettext_lazy("since"),
    "end_year": gettext_lazy("ended in"),
    "description": gettext_lazy("description"),
}


@dataclass
class Document:
    title: str
    upload: UploadedFile | None = None
    url: str = ""


def _refuse_invalid(values: dict[str, object], *, more: dict[str, list[str]] | None = None) -> None:
    """Invalid years, kind or texts are the terms validator's (a 422 naming the fields), not a state conflict."""
    if problems := merge(messages(terms_problems(values, required=())), more or {}):
        raise InvalidTerms.by_field(problems)


def _checked(partnership: Partnership, user: AnyUser, allowed: tuple[str, ...]) -> tuple[Partnership, Party | None]:
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not partnership.is_public_record:
        raise PartnershipError([_("A partnership proposed on the platform follows its own workflow.")])
    if not partnership.editable_by(user):
        raise PermissionDenied(_("Only the focal points of its member cities and the secretariat can do this."))
    if partnership.status not in allowed:
        raise PartnershipError(
            [_("This tie is %(state)s: that change is not possible.") % {"state": partnership.get_status_display()}]
        )
    parties = represented_parties(user, partnership)
    return partnership, parties[0] if parties else None


@transaction.atomic
def confirm_twinning(
    partnership: Partnership,
    user: AnyUser,
    *,
    start_year: int | None,
    comment: str = "",
    documents: list[Document] | None = None,
) -> Partnership:
    """A city (or the secretariat) says the recorded tie is real: it becomes confirmed and active."""
    partnership, party = _checked(partnership, user, (Status.RECORDED,))
    untitled = [_("Give each document a title.") for document in documents or [] if not document.title.strip()]
    _refuse_invalid({"start_year": start_year}, more={"document_title": untitled} if untitled else None)
    if start_year is not None:
        partnership.start_year = start_year
        partnership.save(update_fields=["start_year", "updated_at"])
    if party is not None:
        party.confirmed_at, party.confirmed_by = timezone.now(), user  # type: ignore[assignment]
        party.save(update_fields=["confirmed_at", "confirmed_by"])
    note = comment.strip() or (_("Since %(year)s.") % {"year": start_year} if start_year else "")
    event = record_event(partnership, user, "twinning_confirmed", to_status=Status.ACTIVE, party=party, comment=note)
    for document in documents or []:
        store_document(partnership, user, party, document.title, upload=document.upload, url=document.url)
    _tell(partnership, event, _("%(who)s confirmed the twinning %(title)s"), party, user)
    return partnership


@transaction.atomic
def correct_twinning(
    partnership: Partnership,
    user: AnyUser,
    *,
    kind: str,
    start_year: int | None,
    end_year: int | None,
    description: str,
    comment: str = "",
) -> Partnership:
    """Put the record right (what kind of tie it is, its years, a note) without changing its state."""
    partnership, party = _checked(partnership, user, (Status.RECORDED, Status.ACTIVE, Status.ENDED))
    _refuse_invalid({"kind": kind, "start_year": start_year, "end_year": end_year, "description": description})
    if end_year is not None and partnership.status != Status.ENDED:
        raise PartnershipError([_("Only an ended tie has a year it ended: mark it ended instead.")])
    values = {"kind": kind, "start_year": start_year, "end_year": end_year, "description": description.strip()}
    changed = [name for name, value in values.items() if getattr(partnership, name) != value]
    if not changed:
        raise PartnershipError([_("Nothing was changed.")])
    for name in changed:
        setattr(partnership, name, values[name])
    partnership.save(update_fields=[*changed, "updated_at"])
    summary = ", ".join(str(CORRECTABLE[name]) for name in changed)
    note = f"{summary}: {comment.strip()}" if comment.strip() else summary
    event = record_event(partnership, user, "twinning_corrected", party=party, comment=note)
    _tell(partnership, event, _("%(who)s corrected the record of %(title)s"), party, user)
    return partnership


@transaction.atomic
def end_twinning(partnership: Partnership, user: AnyUser, *, end_year: int | None, comment: str = "") -> Partnership:
    """The tie no longer holds (or never did: say so in the comment). It stays on record as ended."""
    partnership, party = _checked(partnership, user, (Status.RECORDED, Status.ACTIVE))
    _refuse_invalid({"start_year": partnership.start_year, "end_year": end_year})
    if end_year is not None:
        partnership.end_year = end_year
        partnership.save(update_fields=["end_year", "updated_at"])
    note = comment.strip() or (_("Ended in %(year)s.") % {"year": end_year} if end_year else "")
    event = record_event(partnership, user, "twinning_ended", to_status=Status.ENDED, party=party, comment=note)
    _tell(partnership, event, _("%(who)s marked the twinning %(title)s as ended"), party, user)
    return partnership


def _tell(partnership: Partnership, event: PartnershipEvent, subject: str, party: Party | None, user: AnyUser) -> None:
    who = party.name if party is not None else (_("The secretariat") if isinstance(user, User) else "")
    _tell_parties(partnership, event, subject % {"who": who, "title": partnership.title}, user)
