"""The case clinic: other cities answer a challenge, the challenge's city keeps what helped and concludes.

open ──open_clinic──▶ clinic ──conclude──▶ concluded
  │                    │  ▲
  └──close_clinic──▶ closed ──open_clinic──┘   (close_clinic also stops a clinic without a conclusion)

Each function checks the person's right (PermissionDenied), the state and values (ValidationError with a
message for a person), saves in one transaction, then notifies. Every notification names its event
(`key`), so nobody is told, or e-mailed, twice about one event.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import notify_everyone
from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.challenges.models import (
    Challenge,
    ChallengeStatus,
    ClinicInvitation,
    ClinicResponse,
    ResponseKind,
    Second,
)
from ccx.challenges.permissions import (
    can_second,
    may_take_part,
    responding_cities,
)
from ccx.cities.models import City
from ccx.practices.models import Practice

MAX_RESPONSE_LENGTH = 5000
MAX_CONCLUSION_LENGTH = 10_000


def _not_allowed_to_manage() -> PermissionDenied:
    return PermissionDenied(_("Only the focal points of the challenge's city and the secretariat may do this."))


def _set_status(challenge: Challenge, allowed_from: set[str], to: ChallengeStatus) -> None:
    if challenge.status not in allowed_from:
        raise ValidationError(
            _("A challenge that is “%(current)s” cannot become “%(target)s”.")
            % {"current": ChallengeStatus(challenge.status).label, "target": to.label}
        )
    challenge.status = to
    challenge.save(update_fields=["status", "updated_at"])


def _city_team(challenge: Challenge) -> list[User]:
    """The people who answer for the challenge: its city's focal points and the person who posted it."""
    people = set(User.objects.filter(focal_point_of=challenge.city_id, is_active=True)) if challenge.city_id else set()
    if challenge.owner is not None and challenge.owner.is_active:
        people.add(challenge.owner)
    return sorted(people, key=lambda person: person.pk)


def _responders(challenge: Challenge) -> list[User]:
    return list(User.objects.filter(clinic_responses__challenge=challenge, is_active=True).distinct().order_by("pk"))


def _invited(challenge: Challenge) -> list[User]:
    return list(
        User.objects.filter(focal_point_of__clinic_invitations__challenge=challenge, is_active=True)
        .distinct()
        .order_by("pk")
    )


def _tell(people: Iterable[User], subject: str, body: str, url: str, key: str, skip: AnyUser | None = None) -> None:
    notify_everyone(people, subject, body, url, kind=NotificationKind.CHALLENGES, key=key, except_for=skip)


def open_clinic(challenge: Challenge, user: AnyUser) -> Challenge:
    """Open the challenge as a case clinic: members of other cities may now respond."""
    if not challenge.editable_by(user):
        raise _not_allowed_to_manage()
    with transaction.atomic():
        _set_status(challenge, {ChallengeStatus.OPEN, ChallengeStatus.CLOSED}, ChallengeStatus.CLINIC)
    opened_at = int(challenge.updated_at.timestamp())
    _tell(
        _invited(challenge),
        _("The case clinic “%(title)s” is open") % {"title": challenge.title},
        _("Your city was invited to this case clinic. Share the obstacles you recognise, a practice or advice."),
        challenge.get_absolute_url() + "#clinic",
        f"clinic-opened:{challenge.pk}:{opened_at}",
        skip=user,
    )
    return challenge


def close_clinic(challenge: Challenge, user: AnyUser) -> Challenge:
    """Stop the clinic (or close a challenge that never had one) without a conclusion."""
    if not challenge.editable_by(user):
        raise _not_allowed_to_manage()
    with transaction.atomic():
        _set_status(challenge, {ChallengeStatus.OPEN, ChallengeStatus.CLINIC}, ChallengeStatus.CLOSED)
    closed_at = int(challenge.updated_at.timestamp())
    _tell(
        _responders(challenge),
        _("The case clinic “%(title)s” is closed") % {"title": challenge.title},
        _("The clinic you took part in no longer takes responses. Thank you for yours."),
        challenge.get_absolute_url() + "#clinic",
        f"clinic-closed:{challenge.pk}:{closed_at}",
        skip=user,
    )
    return challenge


def respond(
    challenge: Challenge,
    user: AnyUser,
    kind: str,
    text: str,
    practice: Practice | None = None,
    city: City | None = None,
) -> ClinicResponse:
    """A member of another city (or the secretariat) answers in the clinic: an obstacle, a practice, advice."""
    if not challenge.is_visible_to(user) or not may_take_part(user, challenge):
        raise PermissionDenied(_("Only the focal points of other cities and the secretariat respond in a case clinic."))
    if not challenge.is_clinic_open:
        raise ValidationError(_("This clinic does not take responses now."))
    errors: dict[str, str] = {}
    if kind not in ResponseKind.values:
        errors["kind"] = _("Choose what you share: an obstacle, a practice or advice.")
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write your response.")
    elif len(text) > MAX_RESPONSE_LENGTH:
        errors["text"] = _("At most %(limit)s characters.") % {"limit": MAX_RESPONSE_LENGTH}
    if kind == ResponseKind.PRACTICE:
        if practice is None:
            errors["practice"] = _("Choose the practice you offer from the library.")
        elif not practice.is_published:
            errors["practice"] = _("Only published practices of the library can be offered.")
    elif practice is not None:
        errors["practice"] = _("A practice goes with a response of the kind “a practice we offer”.")
    cities = responding_cities(user, challenge)
    if city is not None and city.pk not in cities:
        errors["city"] = _("You may only respond for a city you are a focal point of (not the challenge's own).")
    if errors:
        raise ValidationError(errors)
    if city is None and cities and not is_secretariat(user):
        city = City.objects.get(pk=cities[0])
    assert isinstance(user, User)
    with transaction.atomic():
        response = ClinicResponse.objects.create(
            challenge=challenge, author=user, city=city, kind=kind, text=text, practice=practice
        )
    who = f"{user.display_name} ({city.name})" if city else user.display_name
    _tell(
        _city_team(challenge),
        _("New response in the clinic “%(title)s”") % {"title": challenge.title},
        _("%(who)s responded: %(kind)s.\n\n%(text)s")
        % {"who": who, "kind": ResponseKind(kind).label, "text": text[:500]},
        f"{challenge.get_absolute_url()}#response-{response.pk}",
        f"clinic-response:{response.pk}",
        skip=user,
    )
    return response


def second(response: ClinicResponse, user: AnyUser) -> Second:
    """Agree with a response: once, and never one's own."""
    if response.author_id == getattr(user, "pk", None):
        raise ValidationError(_("You cannot second your own response."))
    if not can_second(user, response):
        if not response.challenge.is_clinic_open and may_take_part(user, response.challenge):
            raise ValidationError(_("This clinic does not take responses now."))
        raise PermissionDenied(_("Only members taking part in the clinic may second a response."))
    assert isinstance(user, User)
    try:
        with transaction.atomic():
            seconded = Second.objects.create(response=response, user=user)
    except IntegrityError:
        raise ValidationError(_("You have already seconded this response.")) from None
    return seconded


def mark_helped(response: ClinicResponse, user: AnyUser, helped: bool = True) -> ClinicResponse:
    """The challenge's city says that a response helped (or takes the mark back)."""
    challenge = response.challenge
    if not challenge.editable_by(user):
        raise _not_allowed_to_manage()
    if challenge.status == ChallengeStatus.OPEN:
        raise ValidationError(_("Open the clinic first."))
    with transaction.atomic():
        ClinicResponse.objects.filter(pk=response.pk).update(helped=helped)
        response.helped = helped
    if helped:
        _tell(
            [response.author] if response.author.is_active else [],
            _("Your response helped “%(title)s”") % {"title": challenge.title},
            _("The city that asked marked your response in the case clinic as one that helped."),
            f"{challenge.get_absolute_url()}#response-{response.pk}",
            f"clinic-helped:{response.pk}",
            skip=user,
        )
    return response


def conclude(challenge: Challenge, user: AnyUser, key_obstacles: str, ideas: str) -> Challenge:
    """Write the clinic's conclusion: the key obstacles and the ideas to try. It can be corrected later."""
    if not challenge.editable_by(user):
        raise _not_allowed_to_manage()
    allowed = {ChallengeStatus.CLINIC, ChallengeStatus.CLOSED, ChallengeStatus.CONCLUDED}
    if challenge.status not in allowed:
        raise ValidationError(_("Open the clinic before concluding it."))
    errors: dict[str, str] = {}
    key_obstacles, ideas = (key_obstacles or "").strip(), (ideas or "").strip()
    for name, text, missing in (
        ("conclusion_obstacles", key_obstacles, _("Name the key obstacles.")),
        ("conclusion_ideas", ideas, _("Name the ideas to try.")),
    ):
        if not text:
            errors[name] = missing
        elif len(text) > MAX_CONCLUSION_LENGTH:
            errors[name] = _("At most %(limit)s characters.") % {"limit": MAX_CONCLUSION_LENGTH}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        challenge.conclusion_obstacles = key_obstacles
        challenge.conclusion_ideas = ideas
        challenge.concluded_at = challenge.concluded_at or timezone.now()
        challenge.status = ChallengeStatus.CONCLUDED
        challenge.save(
            update_fields=["conclusion_obstacles", "conclusion_ideas", "concluded_at", "status", "updated_at"]
        )
    _tell(
        [*_responders(challenge), *_invited(challenge)],
        _("The case clinic “%(title)s” has concluded") % {"title": challenge.title},
        _("Key obstacles:\n%(obstacles)s\n\nIdeas to try:\n%(ideas)s") % {"obstacles": key_obstacles, "ideas": ideas},
        challenge.get_absolute_url() + "#conclusion",
        f"clinic-concluded:{challenge.pk}",
        skip=user,
    )
    return challenge


def invite_to_clinic(challenge: Challenge, city: City, user: AnyUser) -> ClinicInvitation:
    """Ask another city to the clinic; its focal points are told, with a link. Inviting twice changes nothing.

    A challenge that is not a clinic yet (open or closed) is opened as one, so that the invited city can answer.
    """
    if not challenge.editable_by(user):
        raise _not_allowed_to_manage()
    if city.pk == challenge.city_id:
        raise ValidationError(_("Invite another city than the challenge's own."))
    if challenge.status == ChallengeStatus.CONCLUDED:
        raise ValidationError(_("This clinic has concluded."))
    with transaction.atomic():
        if challenge.status != ChallengeStatus.CLINIC:
            _set_status(challenge, {ChallengeStatus.OPEN, ChallengeStatus.CLOSED}, ChallengeStatus.CLINIC)
        invitation, _created = ClinicInvitation.objects.get_or_create(
            challenge=challenge, city=city, defaults={"invited_by": user if isinstance(user, User) else None}
        )
    asking = challenge.city.name if challenge.city else _("A city of the network")
    _tell(
        User.objects.filter(focal_point_of=city, is_active=True).order_by("pk"),
        _("%(city)s invites you to a case clinic") % {"city": asking},
        _(
            "%(city)s asks %(invited)s for advice on “%(title)s”: the obstacles you recognise, a practice you "
            "offer, or advice."
        )
        % {"city": asking, "invited": city.name, "title": challenge.title},
        challenge.get_absolute_url() + "#clinic",
        f"clinic-invitation:{invitation.pk}",
        skip=user,
    )
    return invitation
