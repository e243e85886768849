"""Registration: seats, the waiting list, approval, cancellation. One function per change; each checks, saves,
then tells the person.

Seats are allocated inside a transaction that first locks the event's row (SELECT … FOR UPDATE on PostgreSQL;
on SQLite every write transaction is already exclusive), so simultaneous registrations never over-book.

register ──▶ pending (approval needed) ──approve──▶ confirmed | waiting
         ──▶ confirmed (a seat is free) | waiting (full)
cancel (confirmed) ──▶ the first waiting person of the same mode is confirmed and told
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import Attachment, notify
from ccx.accounts.permissions import AnyUser
from ccx.events.calendar import registration_calendar
from ccx.events.errors import EventError
from ccx.events.models import ACTIVE_STATUSES, Event, Mode, Registration, RegistrationStatus
from ccx.events.permissions import can_register


class RegistrationError(EventError):
    """The registration cannot change this way now; `problems` says why, for a person to read."""


def _locked(event: Event) -> Event:
    """The event row, locked until the end of the transaction: seat counts read after this are stable."""
    return Event.objects.select_for_update().get(pk=event.pk)


def seats_taken(event: Event, mode: str) -> int:
    return Registration.objects.filter(event=event, mode=mode, status=RegistrationStatus.CONFIRMED).count()


def seats_left(event: Event, mode: str) -> int | None:
    """Free seats in `mode`, or None when there is no limit."""
    capacity = event.capacity(mode)
    return None if capacity is None else max(capacity - seats_taken(event, mode), 0)


def _has_seat(event: Event, mode: str) -> bool:
    left = seats_left(event, mode)
    return left is None or left > 0


def registration_problems(event: Event, mode: str) -> list[str]:
    problems = []
    if not event.is_published:
        problems.append(_("This event is not published yet."))
    if not event.registration_open:
        problems.append(_("Registration for this event is closed."))
    if event.is_over():
        problems.append(_("This event is over."))
    if mode not in Mode.values:
        problems.append(_("Choose how you attend: in person or online."))
    elif mode not in event.modes():
        problems.append(_("This event cannot be attended %(mode)s.") % {"mode": Mode(mode).label.lower()})
    return problems


@transaction.atomic
def register(event: Event, user: AnyUser, mode: str) -> Registration:
    if not isinstance(user, User) or not can_register(user, event):
        raise PermissionDenied
    event = _locked(event)
    problems = registration_problems(event, mode)
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None and existing.is_active:
        problems.append(_("You are already registered (%(status)s).") % {"status": existing.get_status_display()})
    if problems:
        raise RegistrationError(problems)
    if event.requires_approval:
        status = RegistrationStatus.PENDING
    else:
        status = RegistrationStatus.CONFIRMED if _has_seat(event, mode) else RegistrationStatus.WAITING
    now = timezone.now()
    if existing is None:
        registration = Registration.objects.create(
            event=event, user=user, mode=mode, status=status, registered_at=now, changed_at=now
        )
    else:
        registration = existing
        registration.mode, registration.status = mode, status
        registration.attempt += 1
        registration.registered_at = registration.changed_at = now
        registration.save(update_fields=["mode", "status", "attempt", "registered_at", "changed_at"])
    _tell(registration)
    return registration


@transaction.atomic
def cancel(registration: Registration, user: AnyUser) -> list[Registration]:
    """Cancel a registration (its person or an organiser); return the people promoted from the waiting list."""
    event = _locked(registration.event)
    registration.refresh_from_db()
    if registration.user_id != user.pk and not event.editable_by(user):
        raise PermissionDenied
    if not registration.is_active:
        raise RegistrationError([_("This registration is already cancelled.")])
    freed_seat = registration.status == RegistrationStatus.CONFIRMED
    _set_status(registration, RegistrationStatus.CANCELLED)
    _tell(registration)
    return promote_waiting(event, registration.mode) if freed_seat else []


@transaction.atomic
def approve(registration: Registration, user: AnyUser) -> Registration:
    event = _locked(registration.event)
    if not event.editable_by(user):
        raise PermissionDenied
    registration.refresh_from_db()
    if registration.status != RegistrationStatus.PENDING:
        raise RegistrationError([_("Only a registration waiting for approval can be approved.")])
    status = RegistrationStatus.CONFIRMED if _has_seat(event, registration.mode) else RegistrationStatus.WAITING
    _set_status(registration, status)
    _tell(registration)
    return registration


@transaction.atomic
def decline(registration: Registration, user: AnyUser) -> Registration:
    event = _locked(registration.event)
    if not event.editable_by(user):
        raise PermissionDenied
    registration.refresh_from_db()
    if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.WAITING):
        raise RegistrationError([_("Only a registration waiting for approval or a seat can be declined.")])
    _set_status(registration, RegistrationStatus.DECLINED)
    _tell(registration)
    return registration


def promote_waiting(event: Event, mode: str) -> list[Registration]:
    """Give free seats to the waiting list, first come first served. Call inside a transaction holding the lock."""
    promoted = []
    waiting = Registration.objects.filter(event=event, mode=mode, status=RegistrationStatus.WAITING).order_by(
        "registered_at", "pk"
    )
    for registration in waiting.select_related("user", "event"):
        if not _has_seat(event, mode):
            break
        _set_status(registration, RegistrationStatus.CONFIRMED)
        _tell(registration, promoted=True)
        promoted.append(registration)
    return promoted


@transaction.atomic
def fill_free_seats(event: Event) -> list[Registration]:
    """After the capacity grew: promote waiting people in every mode."""
    event = _locked(event)
    return [person for mode in Mode.values for person in promote_waiting(event, mode)]


def _set_status(registration: Registration, status: str) -> None:
    registration.status = status
    registration.changed_at = timezone.now()
    registration.save(update_fields=["status", "changed_at"])


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        event=registration.event_id,
        mode=registration.mode,
        status=RegistrationStatus.WAITING,
        registered_at__lt=registration.registered_at,
    ).count()
    return ahead + 1


def active_registration(event: Event, user: AnyUser) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user.pk, status__in=ACTIVE_STATUSES).first()


def _messages(registration: Registration, promoted: bool) -> tuple[str, str]:
    title = registration.event.title
    mode = registration.get_mode_display().lower()
    if promoted:
        return (
            _("A seat is free: you are confirmed for %(event)s") % {"event": title},
            _("A place became free and you moved up from the waiting list. You attend %(mode)s.") % {"mode": mode},
        )
    status = registration.status
    subjects = {
        RegistrationStatus.CONFIRMED: _("Registration confirmed: %(event)s"),
        RegistrationStatus.WAITING: _("On the waiting list: %(event)s"),
        RegistrationStatus.PENDING: _("Registration received, waiting for approval: %(event)s"),
        RegistrationStatus.DECLINED: _("Registration declined: %(event)s"),
        RegistrationStatus.CANCELLED: _("Registration cancelled: %(event)s"),
    }
    bodies = {
        RegistrationStatus.CONFIRMED: _("You attend %(mode)s. The calendar file is attached to the e-mail."),
        RegistrationStatus.WAITING: _("All places %(mode)s are taken. You will be told when one becomes free."),
        RegistrationStatus.PENDING: _("An organiser will look at your registration (%(mode)s)."),
        RegistrationStatus.DECLINED: _("The organisers could not accept your registration."),
        RegistrationStatus.CANCELLED: _("Your registration is cancelled."),
    }
    return subjects[RegistrationStatus(status)] % {"event": title}, bodies[RegistrationStatus(status)] % {"mode": mode}


def _tell(registration: Registration, promoted: bool = False) -> None:
    """One notification per change, e-mailed as the person chose; a confirmed seat's e-mail carries the calendar."""
    subject, body = _messages(registration, promoted)
    event_name = "promoted" if promoted else registration.status
    key = f"registration-{event_name}:{registration.pk}:{registration.attempt}"
    attachments: list[Attachment] = []
    if registration.status == RegistrationStatus.CONFIRMED:
        attachments.append((f"{registration.event.slug}.ics", registration_calendar(registration), "text/calendar"))
    notify(
        registration.user,
        subject,
        body,
        registration.event.get_absolute_url(),
        kind=NotificationKind.EVENTS,
        key=key,
        attachments=attachments,
    )
