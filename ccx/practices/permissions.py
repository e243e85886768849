"""Who may see and change a practice. Views, the API and commands all ask these functions."""

from typing import TYPE_CHECKING

from django.db.models import Q

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
