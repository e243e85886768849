"""Who may curate publications and exhibitions; seeing them is `visible_to` / `is_visible_to` on their models."""

from ccx.core.people import is_secretariat


def can_curate(user: object) -> bool:
    """Creating, editing and building publications and exhibitions: the secretariat only."""
    return is_secretariat(user)
