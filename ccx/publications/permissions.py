"""Who may curate publications and exhibitions; seeing them is `visible_to` / `is_visible_to` on their models."""

from typing import Any

from ccx.core.people import is_secretariat


def can_curate(user: object) -> bool:
    """Creating, editing and building publications and exhibitions: the secretariat only."""
    return is_secretariat(user)


def can_view(user: object, record: Any) -> bool:
    """A publication or an exhibition: published ones for everyone, drafts for the secretariat."""
    return bool(record.is_published) or can_curate(user)


def can_curate_record(user: object, record: Any) -> bool:
    return can_curate(user)
