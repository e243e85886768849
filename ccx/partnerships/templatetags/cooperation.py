"""The cooperation side of practice and city pages: transfers in and out, partnerships, peers."""

from dataclasses import dataclass

from django import template
from django.db.models import Prefetch, Q

from ccx.accounts.permissions import AnyUser, is_focal_point_of
from ccx.cities.models import City
from ccx.partnerships.models import Partnership, PartnershipKind, Party, Transfer
from ccx.partnerships.permissions import can_propose
from ccx.practices.models import Practice

register = template.Library()


@register.filter
def may_propose(user: AnyUser) -> bool:
    """For pages of lower apps (a challenge's peers) that link to the proposal form: only for who may use it."""
    return can_propose(user)


@register.inclusion_tag("partnerships/_practice_cooperation.html")
def practice_cooperation(practice: Practice, user: AnyUser) -> dict[str, object]:
    transfers = (
        Transfer.objects.visible_to(user).for_listing().filter(Q(practice=practice) | Q(adapted_practice=practice))
    )
    adapted_by = [t for t in transfers if t.practice_id == practice.pk]
    adapted_from = [t for t in transfers if t.adapted_practice_id == practice.pk]
    return {
        "practice": practice,
        "adapted_by": adapted_by,
        "adapted_from": adapted_from,
        "can_record": practice.is_published and can_propose(user),
        "partnerships": practice.partnerships.visible_to(user).distinct(),
    }


@register.inclusion_tag("partnerships/_city_cooperation.html")
def city_cooperation(city: City, user: AnyUser) -> dict[str, object]:
    transfers = list(
        Transfer.objects.visible_to(user)
        .for_listing()
        .filter(Q(from_city=city) | Q(to_city=city))
        .order_by("-created_at")
    )
    partnerships = (
        Partnership.objects.filter(parties__city=city)
        .visible_to(user)
        .exclude(kind=PartnershipKind.TWINNING)
        .prefetch_related("parties__city", "parties__organisation")
        .distinct()
    )
    twins = city_twinnings(city, user)
    return {
        "city": city,
        "adapted_by_city": [t for t in transfers if t.to_city_id == city.pk],
        "adapted_from_city": [t for t in transfers if t.from_city_id == city.pk],
        "partnerships": partnerships[:10],
        "own_city": is_focal_point_of(user, city),
        "member_twins": [twin for twin in twins if twin.city.is_member],
        "outside_twins": [twin for twin in twins if not twin.city.is_member],
        "twin_count": len(twins),
        "has_public_records": any(twin.partnership.is_public_record for twin in twins),
    }


@dataclass(frozen=True)
class Twin:
    city: City
    partnership: Partnership


# Only what the list shows: a member city's row carries long profile texts a hundred twins do not need.
TWIN_PARTIES = Party.objects.select_related("city__country").only(
    "partnership_id",
    "city__slug",
    "city__name",
    "city__is_member",
    "city__country__code",
    "city__country__name",
    "city__country__names",
)


def city_twinnings(city: City, user: AnyUser) -> list[Twin]:
    """The city's twinnings, each with the city at the other end: two queries, whatever their number."""
    twinnings = (
        Partnership.objects.filter(parties__city=city, kind=PartnershipKind.TWINNING)
        .visible_to(user)
        .distinct()
        .only("slug", "title", "kind", "status", "source", "start_year", "end_year")
        .prefetch_related(Prefetch("parties", queryset=TWIN_PARTIES))
    )
    twins = [
        Twin(party.city, partnership)
        for partnership in twinnings
        for party in partnership.parties.all()
        if party.city is not None and party.city_id != city.pk
    ]
    return sorted(twins, key=lambda twin: (twin.partnership.tie_state == "ended", twin.city.name))
