"""Who someone is. Views, the API and commands ask these functions (or the models' `visible_to`/`editable_by`),
never the user object directly. The predicates themselves live in ccx/core/people.py so that every app can ask.
"""

from django.contrib.auth.models import AnonymousUser

from ccx.accounts.models import User
from ccx.cities.models import City
from ccx.core import people

AnyUser = User | AnonymousUser


def is_secretariat(user: AnyUser) -> bool:
    return people.is_secretariat(user)


def is_member(user: AnyUser) -> bool:
    return people.is_member(user)


def is_focal_point_of(user: AnyUser, city: City) -> bool:
    return people.is_focal_point_of(user, city.pk)
