"""Who may see and change a practice. Views, the API and commands all ask these functions."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.core.people import focal_city_ids, is_member

if TYPE_CHECKING:
    from ccx.practices.models import Practice, PracticeQuerySet


def visible_practices(practices: "PracticeQuerySet", user: object) -> "PracticeQuerySet":
    from ccx.practices.models import Status

    alive = practices.alive()
    if is_secretariat(user):  # type: ignore[arg-type]
        return alive
    published = Q(status=Status.PUBLISHED)
    if not is_member(user):
        return alive.filter(published)
    own = Q(owner=user) | Q(lead_city__in=focal_city_ids(user))
    return alive.filter(published | own)


def can_view(user: AnyUser, practice: "Practice") -> bool:
    if practice.deleted_at is not None:
        return is_secretariat(user)
    return practice.is_published or can_edit(user, practice)


def can_edit(user: AnyUser, practice: "Practice") -> bool:
    """The author, the focal points of the lead city, and the secretariat."""
    if is_secretariat(user):
        return True
    if not is_member(user) or practice.deleted_at is not None:
        return False
    return practice.owner_id == user.pk or (
        practice.lead_city_id is not None and practice.lead_city_id in focal_city_ids(user)
    )


def can_create(user: AnyUser) -> bool:
    return is_secretariat(user) or bool(focal_city_ids(user))


def can_review(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_see_contact(user: AnyUser) -> bool:
    """Contact details are for signed-in members of the network only."""
    return is_member(user)


# While a practice waits for review or is being reviewed, its content is frozen for its authors: the
# reviewer judges what was submitted. Withdrawing it makes it editable again; the secretariat may still
# correct it during the review.
LOCKED_STATUSES = frozenset({"submitted", "in_review"})


class PracticeLocked(PermissionDenied):
    """The user may edit the practice, but not in its current state (409 in the API)."""

    status = 409


def check_content_editable(user: AnyUser, practice: "Practice") -> None:
    """The one state gate for every page, API call and domain function that changes a practice's content."""
    if not can_edit(user, practice):
        raise PermissionDenied(_("You may not change this practice."))
    if practice.status in LOCKED_STATUSES and not is_secretariat(user):
        raise PracticeLocked(_("This practice is submitted for review. Withdraw it to edit it."))
