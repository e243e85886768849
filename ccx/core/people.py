"""Who someone is in the network, asked the same way everywhere (pages, API, forms, feeds, templates).

These read only the user object's own attributes, so every app (cities included) can ask them without
importing accounts.
"""

from typing import Any

from django.utils.module_loading import import_string


def is_member(user: Any) -> bool:
    """Signed in with an active account: a member of the network's platform."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_secretariat(user: Any) -> bool:
    """The network's secretariat: active staff accounts."""
    return is_member(user) and bool(getattr(user, "is_staff", False))


def focal_city_ids(user: Any) -> set[int]:
    """The cities the person is a focal point of (none for visitors and inactive accounts)."""
    if not is_member(user) or not hasattr(user, "focal_point_of"):
        return set()
    return set(user.focal_point_of.values_list("pk", flat=True))


def is_focal_point_of(user: Any, city_id: int | None) -> bool:
    if city_id is None or not is_member(user) or not hasattr(user, "focal_point_of"):
        return False
    return bool(user.focal_point_of.filter(pk=city_id).exists())


class Guarded:
    """A model whose records answer `is_visible_to(user)` and `editable_by(user)` through two rule functions of
    its app's permissions module, named in `access_rules` as dotted paths: (who may see it, who may change it).
    The functions take (user, record); naming them keeps the model free of an import of its permissions module,
    which itself imports the models."""

    access_rules: tuple[str, str]

    def is_visible_to(self, user: Any) -> bool:
        rule: Any = import_string(self.access_rules[0])
        return bool(rule(user, self))

    def editable_by(self, user: Any) -> bool:
        rule: Any = import_string(self.access_rules[1])
        return bool(rule(user, self))
