"""Changing events: the programme (sessions, speakers), the personal agenda, outcomes and signatures.

Every change that alters what the public programme shows bumps the event's `content_version` (see signals.py),
which retires the cached anonymous programme page and feed in every server process.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import Organisation
from ccx.accounts.permissions import AnyUser
from ccx.challenges.models import Challenge, Visibility
from ccx.cities.models import City
from ccx.core.slugs import unique_slug as core_unique_slug
from ccx.core.validation import messages
from ccx.events.errors import EventError
from ccx.events.models import (
    Audience,
    Event,
    EventOrganisation,
    OrganisationRole,
    Outcome,
    Registration,
    Session,
    SessionSpeaker,
    Signature,
    Speaker,
    SpeakerRole,
)
from ccx.events.permissions import can_create_event, can_sign_for
from ccx.events.registration import RegistrationError, fill_free_seats
from ccx.events.validation import event_problems, session_problems
from ccx.partnerships.models import Partnership
from ccx.practices.models import Practice


def bump_version(event_id: int) -> None:
    Event.objects.filter(pk=event_id).update(content_version=F("content_version") + 1)


def programme(event: Event) -> QuerySet[Session]:
    """The sessions in order, with everything the programme shows, in a fixed number of queries."""
    return Session.objects.filter(event=event).prefetch_related(
        Prefetch(
            "appearances",
            queryset=SessionSpeaker.objects.select_related("speaker__city", "speaker__organisation"),
        ),
        Prefetch("practices", queryset=Practice.objects.published().only("slug", "title")),
        Prefetch("challenges", queryset=Challenge.objects.filter(visibility=Visibility.PUBLIC).only("slug", "title")),
        Prefetch("partnerships", queryset=Partnership.objects.public().only("slug", "title")),
    )


def unique_slug(model: Any, base: str, **scope: Any) -> str:
    return core_unique_slug(model.objects.filter(**scope), base, fallback=str(model._meta.model_name), max_length=120)


# -- events --------------------------------------------------------------------------------------------------


def _check_organiser(user: AnyUser, event: Event) -> None:
    if not event.editable_by(user):
        raise PermissionDenied


def set_organisations(event: Event, role: str, organisations: Iterable[Organisation]) -> None:
    EventOrganisation.objects.filter(event=event, role=role).delete()
    EventOrganisation.objects.bulk_create(
        EventOrganisation(event=event, organisation=organisation, role=role, position=position)
        for position, organisation in enumerate(organisations)
    )


@transaction.atomic
def create_event(user: AnyUser, values: dict[str, Any]) -> Event:
    if not can_create_event(user):
        raise PermissionDenied
    event = Event(slug=unique_slug(Event, f"{values['title']} {values['starts_on'].year}"))
    return _save_event(event, values)


@transaction.atomic
def update_event(event: Event, user: AnyUser, values: dict[str, Any]) -> Event:
    _check_organiser(user, event)
    before = (event.capacity_in_person, event.capacity_online)
    _save_event(event, values)
    if (event.capacity_in_person, event.capacity_online) != before:
        fill_free_seats(event)
    return event


def _save_event(event: Event, values: dict[str, Any]) -> Event:
    relations = {name: values.pop(name) for name in ("cities", "organiser_users") if name in values}
    roles = {role: values.pop(role) for role in OrganisationRole.values if role in values}
    if problems := messages(event_problems(values)):
        raise EventError.by_field(problems)
    for name, value in values.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    for name, value in relations.items():
        getattr(event, name).set(value)
    for role, organisations in roles.items():
        set_organisations(event, role, organisations)
    return event


# -- programme -----------------------------------------------------------------------------------------------


@transaction.atomic
def save_session(
    event: Event,
    user: AnyUser,
    values: dict[str, Any],
    *,
    session: Session | None = None,
    chairs: Iterable[Speaker] = (),
    speakers: Iterable[Speaker] = (),
) -> Session:
    """Create or change a session with its chairs and speakers (speakers of this event only)."""
    _check_organiser(user, event)
    links = {name: values.pop(name) for name in ("practices", "challenges", "partnerships") if name in values}
    problems = messages(session_problems(values, event=event))
    chairs, speakers = list(chairs), list(speakers)
    if any(person.event_id != event.pk for person in [*chairs, *speakers]):
        problems.setdefault("speakers", []).append(_("A speaker of another event cannot appear in this programme."))
    if problems:
        raise EventError.by_field(problems)
    session = session or Session(event=event)
    for name, value in values.items():
        setattr(session, name, value)
    session.full_clean(exclude=["event"])
    session.save()
    for name, linked in links.items():
        getattr(session, name).set(linked)
    session.appearances.all().delete()
    SessionSpeaker.objects.bulk_create(
        [
            *(
                SessionSpeaker(session=session, speaker=p, role=SpeakerRole.CHAIR, position=i)
                for i, p in enumerate(chairs)
            ),
            *(
                SessionSpeaker(session=session, speaker=p, role=SpeakerRole.SPEAKER, position=i)
                for i, p in enumerate(speakers)
            ),
        ]
    )
    bump_version(event.pk)
    return session


@transaction.atomic
def delete_session(session: Session, user: AnyUser) -> None:
    _check_organiser(user, session.event)
    session.delete()


@transaction.atomic
def save_speaker(event: Event, user: AnyUser, values: dict[str, Any], *, speaker: Speaker | None = None) -> Speaker:
    _check_organiser(user, event)
    if speaker is None:
        speaker = Speaker(event=event, slug=unique_slug(Speaker, values["name"], event=event))
    for name, value in values.items():
        setattr(speaker, name, value)
    speaker.full_clean(exclude=["event"])
    speaker.save()
    return speaker


# -- personal agenda -----------------------------------------------------------------------------------------


def _agenda_registration(session: Session, user: AnyUser) -> Registration:
    from ccx.events.registration import active_registration

    registration = active_registration(session.event, user)
    if registration is None:
        raise RegistrationError([_("Register for the event to build your agenda.")])
    return registration


def star(session: Session, user: AnyUser) -> Registration:
    registration = _agenda_registration(session, user)
    registration.starred.add(session)
    return registration


def unstar(session: Session, user: AnyUser) -> Registration:
    registration = _agenda_registration(session, user)
    registration.starred.remove(session)
    return registration


def renew_feed_token(registration: Registration, user: AnyUser) -> Registration:
    """A new secret address for the personal calendar; the old one stops working."""
    from ccx.events.models import new_feed_token

    if registration.user_id != user.pk:
        raise PermissionDenied
    registration.feed_token = new_feed_token()
    registration.save(update_fields=["feed_token"])
    return registration


# -- outcomes ------------------------------------------------------------------------------------------------


@transaction.atomic
def save_outcome(event: Event, user: AnyUser, values: dict[str, Any], *, outcome: Outcome | None = None) -> Outcome:
    _check_organiser(user, event)
    outcome = outcome or Outcome(event=event, position=event.outcomes.count())
    for name, value in values.items():
        setattr(outcome, name, value)
    outcome.full_clean(exclude=["event"])
    outcome.save()
    return outcome


@transaction.atomic
def sign(outcome: Outcome, city: City, user: AnyUser) -> Signature:
    """A city's focal point signs a declaration or initiative in the city's name (once per city)."""
    if not can_sign_for(user, outcome, city):
        raise PermissionDenied
    signature, created = Signature.objects.get_or_create(
        outcome=outcome,
        city=city,
        defaults={"signed_by": user if user.is_authenticated else None, "signed_at": timezone.now()},
    )
    if not created:
        raise EventError([_("%(city)s has already signed.") % {"city": city.name}])
    return signature


def city_events(city_id: int) -> tuple[list[Event], list[Signature]]:
    """For a city's page: the published public events it took part in, and the outcomes it signed."""
    events = list(
        Event.objects.filter(is_published=True, audience=Audience.PUBLIC)
        .filter(Q(cities=city_id) | Q(host_city=city_id) | Q(speakers__city=city_id))
        .distinct()
        .order_by("-starts_on")
    )
    signed = list(
        Signature.objects.filter(
            city=city_id, outcome__event__is_published=True, outcome__event__audience=Audience.PUBLIC
        )
        .select_related("outcome__event")
        .order_by("-signed_at")
    )
    return events, signed
