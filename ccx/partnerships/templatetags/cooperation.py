"""The cooperation side of practice and city pages: transfers in and out, partnerships, peers."""

from django import template
from django.db.models import Q

from ccx.accounts.permissions import AnyUser, is_focal_point_of
from ccx.cities.models import City
from ccx.core.pagecache import fragment
from ccx.partnerships.models import Partnership, Transfer
from ccx.partnerships.permissions import can_propose, visible_partnerships
from ccx.practices.models import Practice

register = template.Library()


@register.inclusion_tag("partnerships/_practice_cooperation.html")
def practice_cooperation(practice: Practice, user: AnyUser) -> dict[str, object]:
    # Transfers are public (the same for everyone): read once per practice and data version.
    transfers = fragment(
        "practice-transfers",
        lambda: list(
            Transfer.objects.visible().for_listing().filter(Q(practice=practice) | Q(adapted_practice=practice))
        ),
        practice.pk,
    )
    adapted_by = [t for t in transfers if t.practice_id == practice.pk]
    adapted_from = [t for t in transfers if t.adapted_practice_id == practice.pk]
    return {
        "practice": practice,
        "adapted_by": adapted_by,
        "adapted_from": adapted_from,
        "can_record": practice.is_published and can_propose(user),
        "partnerships": visible_partnerships(practice.partnerships.all(), user).distinct(),
    }


@register.inclusion_tag("partnerships/_city_cooperation.html")
def city_cooperation(city: City, user: AnyUser) -> dict[str, object]:
    transfers = list(
        Transfer.objects.visible().for_listing().filter(Q(from_city=city) | Q(to_city=city)).order_by("-created_at")
    )
    partnerships = (
        visible_partnerships(Partnership.objects.filter(parties__city=city), user)
        .prefetch_related("parties__city", "parties__organisation")
        .distinct()
    )
    return {
        "city": city,
        "adapted_by_city": [t for t in transfers if t.to_city_id == city.pk],
        "adapted_from_city": [t for t in transfers if t.from_city_id == city.pk],
        "partnerships": partnerships[:10],
        "own_city": is_focal_point_of(user, city),
    }
