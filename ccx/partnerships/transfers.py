"""Transfers: a city adapts a practice from another city. Recording and updating one, and who hears of it."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import notify_everyone
from ccx.accounts.permissions import AnyUser
from ccx.cities.models import City
from ccx.core.errors import DomainError, InvalidRequest
from ccx.core.validation import merge, messages
from ccx.partnerships.models import Partnership, Transfer, TransferStatus
from ccx.partnerships.permissions import can_record_transfer
from ccx.partnerships.validation import transfer_problems
from ccx.practices.models import Practice

# A transfer moves forward; it can be abandoned until it is implemented.
NEXT_STATUSES = {
    TransferStatus.EXPLORING: {TransferStatus.ADAPTING, TransferStatus.IMPLEMENTED, TransferStatus.ABANDONED},
    TransferStatus.ADAPTING: {TransferStatus.IMPLEMENTED, TransferStatus.ABANDONED},
    TransferStatus.IMPLEMENTED: set(),
    TransferStatus.ABANDONED: set(),
}


class TransferError(DomainError):
    """The transfer cannot be recorded or changed as given; `problems` says why."""

    status = InvalidRequest.status


@dataclass
class TransferDetails:
    what_adapted: str
    status: str
    results: str = ""
    lessons: str = ""
    started_on: date | None = None
    adapted_practice: Practice | None = None
    partnership: Partnership | None = None

    def values(self) -> dict[str, object]:
        """The transfer's own values, as the validator reads them (partnerships/validation.py)."""
        return {name: getattr(self, name) for name in ("what_adapted", "status", "results", "lessons")}


def _problems(practice: Practice, to_city: City, details: TransferDetails) -> dict[str, list[str]]:
    """The transfer validator's problems with the details, and those of what they link to, by field."""
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if not practice.is_published:
        add("practice", _("Only published practices can be recorded as adapted."))
    if practice.lead_city_id == to_city.pk:
        add("to_city", _("A city does not adapt its own practice; choose the city that adapted it."))
    merge(problems, messages(transfer_problems(details.values())))
    adapted = details.adapted_practice
    if adapted is not None and (adapted.pk == practice.pk or adapted.lead_city_id != to_city.pk):
        add("adapted_practice", _("The adapted version must be a practice led by the adapting city."))
    if details.partnership is not None and not details.partnership.parties.filter(city=to_city).exists():
        add("partnership", _("The adapting city is not a party of that partnership."))
    return problems


def may_name_as_adapted(user: AnyUser, adapted: Practice | None, current: Practice | None = None) -> bool:
    """Naming a practice as the adapted version writes to it (its `adapted_from`): only its editors may."""
    return adapted is None or adapted == current or adapted.editable_by(user)


def _check_adapted_practice(user: AnyUser, adapted: Practice | None, current: Practice | None = None) -> None:
    if not may_name_as_adapted(user, adapted, current):
        raise PermissionDenied(_("You may name as the adapted version only a practice you may edit."))


def shown_adapted_practice(transfer: Transfer, user: AnyUser) -> Practice | None:
    """The adapted version as `user` may see it: an unpublished one stays hidden from those who may not see it."""
    adapted = transfer.adapted_practice
    return adapted if adapted is not None and adapted.is_visible_to(user) else None


def _people_at_either_end(transfer: Transfer) -> list[User]:
    cities = [city_id for city_id in (transfer.from_city_id, transfer.to_city_id) if city_id]
    people = list(User.objects.filter(focal_point_of__in=cities, is_active=True))
    owner = transfer.practice.owner
    return [*people, owner] if owner is not None else people


def _tell(transfer: Transfer, actor: AnyUser, subject: str, key: str) -> None:
    notify_everyone(
        _people_at_either_end(transfer),
        subject,
        transfer.what_adapted,
        transfer.get_absolute_url(),
        kind=NotificationKind.PARTNERSHIPS,
        key=key,
        except_for=actor,
    )


def _link_adapted_practice(transfer: Transfer) -> None:
    """The adapted version's record says where it comes from, as imported adaptations do."""
    adapted = transfer.adapted_practice
    if adapted is not None and adapted.adapted_from_id is None:
        Practice.objects.filter(pk=adapted.pk).update(adapted_from=transfer.practice)


@transaction.atomic
def record_transfer(user: AnyUser, practice: Practice, to_city: City, details: TransferDetails) -> Transfer:
    if not can_record_transfer(user, practice, to_city):
        raise PermissionDenied(_("Only the cities at either end of a transfer (or the secretariat) can record it."))
    _check_adapted_practice(user, details.adapted_practice)
    problems = _problems(practice, to_city, details)
    if Transfer.objects.filter(practice=practice, to_city=to_city).exists():
        problems.setdefault("to_city", []).append(_("This transfer is already recorded; update it instead."))
    if problems:
        raise TransferError.by_field(problems)
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                practice=practice,
                from_city=practice.lead_city,
                to_city=to_city,
                recorded_by=user if isinstance(user, User) else None,
                what_adapted=details.what_adapted.strip(),
                status=details.status,
                results=details.results.strip(),
                lessons=details.lessons.strip(),
                started_on=details.started_on,
                adapted_practice=details.adapted_practice,
                partnership=details.partnership,
            )
    except IntegrityError as error:  # recorded at the same moment by the other end
        raise TransferError([_("This transfer is already recorded; update it instead.")]) from error
    _link_adapted_practice(transfer)
    _tell(
        transfer,
        user,
        _("%(city)s adapts %(title)s") % {"city": to_city.name, "title": practice.title},
        f"transfer-recorded:{transfer.pk}",
    )
    return transfer


@transaction.atomic
def update_transfer(user: AnyUser, transfer: Transfer, details: TransferDetails) -> Transfer:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not transfer.editable_by(user):
        raise PermissionDenied(_("Only the cities at either end of a transfer (or the secretariat) can update it."))
    _check_adapted_practice(user, details.adapted_practice, transfer.adapted_practice)
    problems = _problems(transfer.practice, transfer.to_city, details)
    status_changed = details.status != transfer.status
    if status_changed and details.status not in NEXT_STATUSES[TransferStatus(transfer.status)]:
        problems.setdefault("status", []).append(
            _("A transfer that is %(current)s cannot go back to %(target)s.")
            % {
                "current": TransferStatus(transfer.status).label.lower(),
                "target": TransferStatus(details.status).label.lower()
                if details.status in TransferStatus.values
                else details.status,
            }
        )
    if problems:
        raise TransferError.by_field(problems)
    for name in ("status", "results", "lessons", "started_on", "adapted_practice", "partnership"):
        setattr(transfer, name, getattr(details, name))
    transfer.what_adapted = details.what_adapted.strip()
    transfer.save()
    _link_adapted_practice(transfer)
    if status_changed:
        _tell(
            transfer,
            user,
            _("%(city)s's adaptation of %(title)s is now: %(status)s")
            % {
                "city": transfer.to_city.name,
                "title": transfer.practice.title,
                "status": TransferStatus(transfer.status).label.lower(),
            },
            f"transfer-status:{transfer.pk}:{transfer.status}",
        )
    return transfer
