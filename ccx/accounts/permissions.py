"""Who may do what. Views, the API and commands ask these functions, never the user object directly."""

from django.contrib.auth.models import AnonymousUser

from ccx.accounts.models import User
from ccx.cities.models import City

AnyUser = User | AnonymousUser


def is_secretariat(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_focal_point_of(user: AnyUser, city: City) -> bool:
    if not (user.is_authenticated and user.is_active) or not isinstance(user, User):
        return False
    return user.focal_point_of.filter(pk=city.pk).exists()


def can_edit_city_profile(user: AnyUser, city: City) -> bool:
    """The profile texts: the city's own focal points and the secretariat."""
    return is_secretariat(user) or is_focal_point_of(user, city)


def can_edit_city_record(user: AnyUser) -> bool:
    """The network facts (field, year, country, location): the secretariat only."""
    return is_secretariat(user)
