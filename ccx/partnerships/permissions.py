"""Who may see and act on partnerships and transfers. Views, the API and commands ask these functions."""

from django.db.models import Q

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser, is_focal_point_of, is_secretariat
from ccx.cities.models import City
from ccx.core.people import is_member
from ccx.partnerships.models import (
    PUBLIC_STATUSES,
    Partnership,
    PartnershipQuerySet,
    Party,
    Transfer,
    TransferQuerySet,
)
from ccx.practices.models import Practice


def _active(user: AnyUser) -> User | None:
    return user if isinstance(user, User) and is_member(user) else None


def represents(user: AnyUser, party: Party) -> bool:
    """A city party speaks through its focal points; an organisation through its members."""
    person = _active(user)
    if person is None:
        return False
    if party.city_id is not None:
        return person.focal_point_of.filter(pk=party.city_id).exists()
    return party.organisation_id is not None and person.organisation_id == party.organisation_id


def represented_parties(user: AnyUser, partnership: Partnership) -> list[Party]:
    return [party for party in partnership.parties.all() if represents(user, party)]


def may_confirm_for(user: AnyUser, party: Party) -> bool:
    """A party confirms for itself. The secretariat may record the confirmation of an organisation
    that has no member account on the platform (it confirmed by letter or e-mail), never a city's."""
    if represents(user, party):
        return True
    return (
        is_secretariat(user)
        and party.organisation_id is not None
        and not User.objects.filter(organisation=party.organisation_id, is_active=True).exists()
    )


def visible_partnerships(partnerships: PartnershipQuerySet, user: AnyUser) -> PartnershipQuerySet:
    """Agreed, active and completed partnerships are public; proposals only show to their parties."""
    if is_secretariat(user):
        return partnerships
    person = _active(user)
    if person is None:
        return partnerships.filter(status__in=PUBLIC_STATUSES)
    mine = Q(parties__city__in=person.focal_point_of.values("pk"))
    if person.organisation_id:
        mine |= Q(parties__organisation=person.organisation_id)
    own_ids = Partnership.objects.filter(mine).values("pk")
    return partnerships.filter(Q(status__in=PUBLIC_STATUSES) | Q(pk__in=own_ids))


def may_maintain_record(user: AnyUser, partnership: Partnership) -> bool:
    """A tie recorded from public sources is the business of its member cities: their focal points (and the
    secretariat) may confirm, correct or end it. Partnerships proposed on the platform follow their workflow."""
    if not partnership.is_public_record:
        return False
    if is_secretariat(user):
        return True
    person = _active(user)
    return person is not None and person.focal_point_of.filter(partnership_parties__partnership=partnership).exists()


def represents_a_party(user: AnyUser, partnership: Partnership) -> bool:
    """Who changes a partnership (`Partnership.editable_by`): its parties' representatives (they amend the terms,
    add milestones and documents); for a tie recorded from public sources, the focal points of its member cities
    and the secretariat (confirm, correct, end)."""
    if partnership.is_public_record:
        return may_maintain_record(user, partnership)
    return bool(represented_parties(user, partnership))


def can_view(user: AnyUser, partnership: Partnership) -> bool:
    return partnership.is_public or is_secretariat(user) or bool(represented_parties(user, partnership))


def can_propose(user: AnyUser) -> bool:
    """Focal points propose for their city; members of an organisation for their organisation."""
    person = _active(user)
    return person is not None and (person.focal_point_of.exists() or person.organisation_id is not None)


def visible_transfers(transfers: TransferQuerySet, user: AnyUser) -> TransferQuerySet:
    """Transfers of practices the public can see."""
    return transfers.filter(practice__status="published", practice__deleted_at__isnull=True)


def can_view_transfer(user: AnyUser, transfer: Transfer) -> bool:
    return visible_transfers(Transfer.objects.filter(pk=transfer.pk), user).exists()


def can_record_transfer(user: AnyUser, practice: Practice, to_city: City) -> bool:
    """Either end of a transfer may record it: the adapting city, the city the practice comes from,
    and the secretariat."""
    if is_secretariat(user):
        return True
    if is_focal_point_of(user, to_city):
        return True
    return practice.lead_city is not None and is_focal_point_of(user, practice.lead_city)


def can_edit_transfer(user: AnyUser, transfer: Transfer) -> bool:
    return can_record_transfer(user, transfer.practice, transfer.to_city)
