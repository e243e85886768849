"""Who may see and change what about an event. Views, the API, feeds and commands all ask these functions."""

from typing import TYPE_CHECKING

from django.db.models import Q

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser, is_focal_point_of, is_secretariat
from ccx.cities.models import City
from ccx.core.people import is_member

if TYPE_CHECKING:
    from ccx.events.models import Event, EventQuerySet, Outcome, Registration


def is_organiser(user: AnyUser, event: "Event") -> bool:
    """The event's organiser accounts and the secretariat: they edit the programme and see the participants."""
    if is_secretariat(user):
        return True
    if not is_member(user) or not isinstance(user, User) or event.pk is None:
        return False
    return event.organiser_users.filter(pk=user.pk).exists()


def can_create_event(user: AnyUser) -> bool:
    return is_secretariat(user)


def visible_events(events: "EventQuerySet", user: object) -> "EventQuerySet":
    """Published events for everyone (members-only ones for signed-in people); drafts for their organisers."""
    from ccx.events.models import Audience

    if is_secretariat(user):  # type: ignore[arg-type]
        return events
    if not is_member(user):
        return events.filter(is_published=True, audience=Audience.PUBLIC)
    return events.filter(Q(is_published=True) | Q(organiser_users=user)).distinct()


def can_view(user: AnyUser, event: "Event") -> bool:
    from ccx.events.models import Audience

    if not event.is_published:
        return is_organiser(user, event)
    return event.audience == Audience.PUBLIC or is_member(user)


def can_register(user: AnyUser, event: "Event") -> bool:
    return is_member(user) and can_view(user, event)


def can_see_join_links(user: AnyUser, event: "Event", registration: "Registration | None") -> bool:
    """Join links: confirmed participants and organisers only; never anonymous visitors."""
    if not is_member(user):
        return False
    if registration is not None and registration.is_confirmed and registration.user_id == user.pk:
        return True
    return is_organiser(user, event)


def signing_cities(user: AnyUser, outcome: "Outcome") -> list[City]:
    """The cities this person may sign `outcome` for: those they are the focal point of, not signed yet."""
    if not is_member(user) or not isinstance(user, User) or not outcome.open_for_signature or not outcome.can_be_signed:
        return []
    signed = set(outcome.signatures.values_list("city_id", flat=True))
    return [city for city in user.focal_point_of.order_by("name") if city.pk not in signed]


def can_sign_for(user: AnyUser, outcome: "Outcome", city: City) -> bool:
    return outcome.open_for_signature and outcome.can_be_signed and is_focal_point_of(user, city)
