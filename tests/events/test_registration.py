import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from ccx.accounts.models import EmailDelivery, Notification, NotificationKind, NotificationSetting
from ccx.events.models import Event, Registration, RegistrationStatus
from ccx.events.registration import (
    RegistrationError,
    approve,
    cancel,
    decline,
    register,
    seats_left,
    waiting_position,
)
from tests.conftest import Personas, make_user
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def statuses(event: Event) -> list[tuple[str, str]]:
    return list(Registration.objects.filter(event=event).order_by("pk").values_list("user__username", "status"))


def test_seats_then_waiting_list_then_promotion_on_cancel(personas: Personas) -> None:
    event = make_event(capacity_online=2)
    people = [make_user(f"person-{n}") for n in range(4)]
    for person in people:
        register(event, person, "online")
    assert statuses(event) == [
        ("person-0", "confirmed"), ("person-1", "confirmed"), ("person-2", "waiting"), ("person-3", "waiting"),
    ]  # fmt: skip
    assert seats_left(event, "online") == 0
    assert waiting_position(Registration.objects.get(user=people[3])) == 2

    mail.outbox.clear()
    promoted = cancel(Registration.objects.get(user=people[0]), people[0])

    assert [r.user.username for r in promoted] == ["person-2"]
    assert statuses(event) == [
        ("person-0", "cancelled"), ("person-1", "confirmed"), ("person-2", "confirmed"), ("person-3", "waiting"),
    ]  # fmt: skip
    assert waiting_position(Registration.objects.get(user=people[3])) == 1
    told = Notification.objects.get(
        user=people[2], kind=NotificationKind.EVENTS, key__startswith="registration-promoted"
    )
    assert told.subject == f"A seat is free: you are confirmed for {event.title}"
    calendar_mails = [m for m in mail.outbox if m.to == ["person-2@example.org"] and m.attachments]
    assert len(calendar_mails) == 1
    name, content, mimetype = calendar_mails[0].attachments[0]
    assert (name, mimetype) == (f"{event.slug}.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content
    assert "TZID=Asia/Shanghai" in content


def test_modes_have_their_own_capacity(personas: Personas) -> None:
    event = make_event(capacity_in_person=1, capacity_online=None)
    first, second, third = (make_user(f"p{n}") for n in range(3))
    assert register(event, first, "in_person").status == RegistrationStatus.CONFIRMED
    assert register(event, second, "in_person").status == RegistrationStatus.WAITING
    assert register(event, third, "online").status == RegistrationStatus.CONFIRMED
    assert seats_left(event, "online") is None


def test_the_confirmation_with_its_calendar_is_sent_once_per_registration(personas: Personas) -> None:
    event = make_event()
    person = personas.focal_a_user
    mail.outbox.clear()
    registration = register(event, person, "online")
    with_calendar = [m for m in mail.outbox if m.attachments]
    assert len(with_calendar) == 1
    # Telling about the same event again (a retried call) neither notifies nor e-mails again.
    from ccx.events.registration import _tell

    _tell(registration)
    assert len([m for m in mail.outbox if m.attachments]) == 1
    assert Notification.objects.filter(user=person, key=f"registration-confirmed:{registration.pk}:1").count() == 1
    # Registering again after cancelling is a new event: told again.
    cancel(registration, person)
    register(event, person, "online")
    assert len([m for m in mail.outbox if m.attachments]) == 2


def test_no_calendar_e_mail_for_people_who_want_none(personas: Personas) -> None:
    event = make_event()
    NotificationSetting.objects.create(
        user=personas.focal_a_user, kind=NotificationKind.EVENTS, email=EmailDelivery.NEVER
    )
    mail.outbox.clear()
    register(event, personas.focal_a_user, "online")
    assert mail.outbox == []
    assert Notification.objects.filter(user=personas.focal_a_user, kind=NotificationKind.EVENTS).count() == 1


def test_approval_allocates_the_seat_only_when_approved(personas: Personas) -> None:
    event = make_event(requires_approval=True, capacity_online=1)
    event.organiser_users.set([personas.focal_b_user])
    a, b = make_user("a"), make_user("b")
    ra, rb = register(event, a, "online"), register(event, b, "online")
    assert (ra.status, rb.status) == ("pending", "pending")
    with pytest.raises(PermissionDenied):
        approve(ra, personas.focal_a_user)
    assert approve(ra, personas.focal_b_user).status == RegistrationStatus.CONFIRMED
    assert approve(rb, personas.secretariat_user).status == RegistrationStatus.WAITING
    assert decline(rb, personas.focal_b_user).status == RegistrationStatus.DECLINED
    with pytest.raises(RegistrationError):
        approve(rb, personas.focal_b_user)


def test_registration_problems_are_explained(personas: Personas) -> None:
    online_only = make_event("Webinar", in_person=False, online=True)
    closed = make_event("Closed", registration_open=False)
    person = personas.focal_a_user
    with pytest.raises(RegistrationError) as error:
        register(online_only, person, "in_person")
    assert error.value.problems == ["This event cannot be attended in person."]
    with pytest.raises(RegistrationError) as error:
        register(closed, person, "online")
    assert error.value.problems == ["Registration for this event is closed."]
    register(online_only, person, "online")
    with pytest.raises(RegistrationError) as error:
        register(online_only, person, "online")
    assert error.value.problems == ["You are already registered (Confirmed)."]


def test_only_the_person_or_an_organiser_cancels(personas: Personas) -> None:
    event = make_event()
    registration = register(event, personas.focal_a_user, "online")
    with pytest.raises(PermissionDenied):
        cancel(registration, personas.focal_b_user)
    cancel(registration, personas.secretariat_user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_raising_the_capacity_promotes_the_waiting_list(personas: Personas) -> None:
    from ccx.events.services import update_event

    event = make_event(capacity_online=1)
    first, second = make_user("first"), make_user("second")
    register(event, first, "online")
    register(event, second, "online")
    update_event(event, personas.secretariat_user, {"capacity_online": 2})
    assert statuses(event) == [("first", "confirmed"), ("second", "confirmed")]


@pytest.mark.postgres
def test_fifty_simultaneous_registrations_for_ten_seats(real_data: None) -> None:
    """50 threads, each with its own database connection, register at once for 10 online places."""
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL (SQLite serialises every write transaction)")
    event = make_event("Crowded webinar", in_person=False, online=True, capacity_online=10)
    people = [make_user(f"crowd-{n}") for n in range(50)]
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def attempt(person: object) -> None:
        try:
            barrier.wait()
            register(event, person, "online")  # type: ignore[arg-type]
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    }
    assert counts == {RegistrationStatus.CONFIRMED: 10, RegistrationStatus.WAITING: 40}
