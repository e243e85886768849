"""The review workflow. One function per change of state: it checks, saves, logs and notifies, in that order.

draft ──submit──▶ submitted ──start_review──▶ in_review ──publish──▶ published
  ▲                  │  ▲                         │
  │                  │  └──────── resubmit ◀── changes_requested ◀──request_changes
  └──withdraw────────┘                          reject ──▶ rejected
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import notify, notify_everyone
from ccx.accounts.permissions import AnyUser
from ccx.core.errors import Conflict, InvalidRequest
from ccx.practices.models import Practice, Status, WorkflowEvent
from ccx.practices.permissions import can_review
from ccx.practices.validation import MAX_SUMMARY_WORDS, summary_words


class WorkflowError(Conflict):
    """The practice's status does not allow the step; `problems` says why, for a person to read."""


class UnknownAction(WorkflowError):
    """No workflow step has that name."""

    status = InvalidRequest.status


def missing_for_submission(practice: Practice) -> list[str]:
    """What a practice still needs before the secretariat can review it."""
    problems = []
    if not practice.title.strip():
        problems.append(_("Give the practice a title."))
    if not practice.summary.strip():
        problems.append(_("Write a summary."))
    elif summary_words(practice.summary) > MAX_SUMMARY_WORDS:
        problems.append(_("The summary has more than %(limit)s words.") % {"limit": MAX_SUMMARY_WORDS})
    if not practice.description.strip():
        problems.append(_("Describe the practice."))
    if practice.lead_city_id is None and practice.country_id is None:
        problems.append(_("Name the lead city, or at least the country."))
    return problems


def _transition(
    practice: Practice, user: AnyUser, allowed_from: set[Status], to: Status, comment: str = ""
) -> WorkflowEvent:
    if practice.status not in allowed_from:
        raise WorkflowError(
            [
                _("A practice that is %(current)s cannot become %(target)s.")
                % {"current": Status(practice.status).label.lower(), "target": to.label.lower()}
            ]
        )
    previous = practice.status
    practice.status = to
    if to == Status.PUBLISHED and practice.published_at is None:
        practice.published_at = timezone.now()
    practice.save(update_fields=["status", "published_at", "updated_at"])
    return WorkflowEvent.objects.create(
        practice=practice,
        actor=user if isinstance(user, User) else None,
        from_status=previous,
        to_status=to,
        comment=comment,
    )


def _people_responsible(practice: Practice) -> list[User]:
    people = {practice.owner} if practice.owner else set()
    if practice.lead_city_id:
        people |= set(User.objects.filter(focal_point_of=practice.lead_city_id, is_active=True))
    return sorted(people, key=lambda person: person.pk)


def _tell_authors(practice: Practice, event: WorkflowEvent, subject: str) -> None:
    notify_everyone(
        _people_responsible(practice),
        subject,
        event.comment,
        practice.get_absolute_url(),
        kind=NotificationKind.PRACTICES,
        key=f"practice-workflow:{event.pk}",
    )


@transaction.atomic
def submit(practice: Practice, user: AnyUser) -> WorkflowEvent:
    if not practice.editable_by(user):
        raise PermissionDenied
    problems = missing_for_submission(practice)
    if problems:
        raise WorkflowError(problems)
    event = _transition(practice, user, {Status.DRAFT, Status.CHANGES_REQUESTED}, Status.SUBMITTED)
    for reviewer in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
        notify(
            reviewer,
            _("Practice submitted for review: %(title)s") % {"title": practice.title},
            "",
            practice.get_absolute_url(),
            kind=NotificationKind.PRACTICES,
            key=f"practice-workflow:{event.pk}",
        )
    return event


@transaction.atomic
def withdraw(practice: Practice, user: AnyUser) -> WorkflowEvent:
    if not practice.editable_by(user):
        raise PermissionDenied
    return _transition(practice, user, {Status.SUBMITTED}, Status.DRAFT)


@transaction.atomic
def start_review(practice: Practice, user: AnyUser) -> WorkflowEvent:
    if not can_review(user):
        raise PermissionDenied
    return _transition(practice, user, {Status.SUBMITTED}, Status.IN_REVIEW)


@transaction.atomic
def request_changes(practice: Practice, user: AnyUser, comment: str) -> WorkflowEvent:
    if not can_review(user):
        raise PermissionDenied
    if not comment.strip():
        raise WorkflowError([_("Say what should change.")])
    event = _transition(practice, user, {Status.SUBMITTED, Status.IN_REVIEW}, Status.CHANGES_REQUESTED, comment)
    _tell_authors(practice, event, _("Changes requested on %(title)s") % {"title": practice.title})
    return event


@transaction.atomic
def publish(practice: Practice, user: AnyUser, comment: str = "") -> WorkflowEvent:
    if not can_review(user):
        raise PermissionDenied
    event = _transition(practice, user, {Status.SUBMITTED, Status.IN_REVIEW}, Status.PUBLISHED, comment)
    _tell_authors(practice, event, _("Published: %(title)s") % {"title": practice.title})
    return event


@transaction.atomic
def reject(practice: Practice, user: AnyUser, comment: str) -> WorkflowEvent:
    if not can_review(user):
        raise PermissionDenied
    if not comment.strip():
        raise WorkflowError([_("Say why the practice is not accepted.")])
    event = _transition(practice, user, {Status.SUBMITTED, Status.IN_REVIEW}, Status.REJECTED, comment)
    _tell_authors(practice, event, _("Not accepted: %(title)s") % {"title": practice.title})
    return event


@transaction.atomic
def delete(practice: Practice, user: AnyUser) -> None:
    """Hide a practice everywhere; the secretariat can bring it back with `undelete`."""
    if not can_review(user):
        raise PermissionDenied
    practice.deleted_at = timezone.now()
    practice.save(update_fields=["deleted_at", "updated_at"])


@transaction.atomic
def undelete(practice: Practice, user: AnyUser) -> None:
    if not can_review(user):
        raise PermissionDenied
    practice.deleted_at = None
    practice.save(update_fields=["deleted_at", "updated_at"])


def perform(practice: Practice, user: AnyUser, action: str, comment: str = "") -> WorkflowEvent:
    """Run the workflow step named `action` (the web page and the API both come through here)."""
    if action in ("request_changes", "publish", "reject"):
        return REVIEW_ACTIONS[action](practice, user, comment)
    if action in AUTHOR_ACTIONS:
        return AUTHOR_ACTIONS[action](practice, user)
    raise UnknownAction([_("Unknown action '%(action)s'.") % {"action": action}])


AUTHOR_ACTIONS: dict[str, Callable[[Practice, AnyUser], WorkflowEvent]] = {
    "submit": submit,
    "withdraw": withdraw,
    "start_review": start_review,
}
REVIEW_ACTIONS: dict[str, Callable[[Practice, AnyUser, str], WorkflowEvent]] = {
    "request_changes": request_changes,
    "publish": publish,
    "reject": reject,
}
ACTIONS = [*AUTHOR_ACTIONS, *REVIEW_ACTIONS]
