"""Events for tests: a hybrid summit in Beijing's time zone, in the future, with registration open."""

from datetime import date, datetime, timedelta
from typing import Any

from ccx.events.models import Event, Registration, RegistrationStatus, Session, SessionKind
from ccx.events.registration import register

BEIJING = "Asia/Shanghai"


def future_day(days: int = 30) -> date:
    return date.today() + timedelta(days=days)


def make_event(title: str = "Creative Cities Summit", **values: Any) -> Event:
    first = values.pop("starts_on", future_day())
    defaults: dict[str, Any] = {
        "slug": title.lower().replace(" ", "-"),
        "kind": "summit",
        "starts_on": first,
        "ends_on": first + timedelta(days=1),
        "time_zone": BEIJING,
        "in_person": True,
        "online": True,
        "venue_name": "Shougang Park",
        "is_published": True,
        "registration_open": True,
    }
    return Event.objects.create(title=title, **{**defaults, **values})


def make_session(event: Event, title: str = "Main forum", *, day: int = 0, hour: int = 9, **values: Any) -> Session:
    local_start = datetime.combine(event.starts_on + timedelta(days=day), datetime.min.time(), tzinfo=event.zone)
    starts = local_start + timedelta(hours=hour)
    defaults: dict[str, Any] = {"kind": SessionKind.PANEL, "starts_at": starts, "ends_at": starts + timedelta(hours=1)}
    return Session.objects.create(event=event, title=title, **{**defaults, **values})


def confirmed(event: Event, user: Any, mode: str = "online") -> Registration:
    registration = register(event, user, mode)
    assert registration.status == RegistrationStatus.CONFIRMED
    return registration
