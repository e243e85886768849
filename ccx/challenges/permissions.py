"""Who may see, post, manage and answer challenges. Views, the API and commands all ask these functions.

The rules:
- Everyone sees public challenges; signed-in people also see those visible to the network.
- A city's focal point posts challenges for their own cities; the secretariat for any city.
- The challenge's city's focal points and the secretariat edit it, open and close its clinic, invite other
  cities, mark responses as helpful and write the conclusion. (The person who posted it keeps these rights
  only while they are a focal point of that city.)
- In an open clinic, the focal points of OTHER cities and the secretariat respond. Registered visitors and
  partner organisation members read the clinic but do not respond: a response speaks for a city.
- Those who may respond, and the challenge's own focal points, may second a response, except their own, once.
"""

from typing import TYPE_CHECKING

from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.cities.models import City
from ccx.core.people import focal_city_ids, is_member

if TYPE_CHECKING:
    from ccx.challenges.models import Challenge, ClinicResponse


def own_city_ids(user: AnyUser) -> set[int]:
    """The cities the person is a focal point of."""
    return focal_city_ids(user)


def can_view(user: AnyUser, challenge: "Challenge") -> bool:
    from ccx.challenges.models import Visibility

    return challenge.visibility == Visibility.PUBLIC or is_member(user)


def can_post(user: AnyUser) -> bool:
    return is_secretariat(user) or bool(own_city_ids(user))


def can_post_for(user: AnyUser, city: City | None) -> bool:
    if is_secretariat(user):
        return True
    return city is not None and city.pk in own_city_ids(user)


def can_manage(user: AnyUser, challenge: "Challenge") -> bool:
    """Edit, open and close the clinic, invite, mark helped, conclude."""
    if is_secretariat(user):
        return True
    return challenge.city_id is not None and challenge.city_id in own_city_ids(user)


def responding_cities(user: AnyUser, challenge: "Challenge") -> list[int]:
    """The cities in whose name the person may respond: theirs, except the challenge's own."""
    return sorted(own_city_ids(user) - {challenge.city_id} if challenge.city_id else own_city_ids(user))


def may_take_part(user: AnyUser, challenge: "Challenge") -> bool:
    """Whether the person is one who may respond in this challenge's clinic (when it is open)."""
    if not can_view(user, challenge):
        return False
    return is_secretariat(user) or bool(responding_cities(user, challenge))


def can_respond(user: AnyUser, challenge: "Challenge") -> bool:
    return challenge.is_clinic_open and may_take_part(user, challenge)


def can_second(user: AnyUser, response: "ClinicResponse") -> bool:
    """Whether the person may second this response at all (not whether they already have)."""
    challenge = response.challenge
    if not challenge.is_clinic_open or response.author_id == getattr(user, "pk", None):
        return False
    return may_take_part(user, challenge) or can_manage(user, challenge)
