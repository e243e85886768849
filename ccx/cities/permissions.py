"""Who may change a city. Pages, the API and the admin ask `City.editable_by` / these functions."""

from typing import Any

from ccx.core.people import is_focal_point_of, is_secretariat


def can_edit_profile(user: Any, city_id: int | None) -> bool:
    """The profile texts: the city's own focal points and the secretariat."""
    return is_secretariat(user) or is_focal_point_of(user, city_id)


def can_edit_record(user: Any) -> bool:
    """The network facts (field, year, country, location): the secretariat only."""
    return is_secretariat(user)
