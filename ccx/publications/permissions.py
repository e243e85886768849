"""Who may do what with publications and exhibitions. Views, the API and commands ask these functions."""

from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.publications.models import Exhibition, Publication


def can_curate(user: AnyUser) -> bool:
    """Creating, editing and building publications and exhibitions: the secretariat only."""
    return is_secretariat(user)


def can_view_publication(user: AnyUser, publication: Publication) -> bool:
    return publication.is_published or can_curate(user)


def can_view_exhibition(user: AnyUser, exhibition: Exhibition) -> bool:
    return exhibition.is_published or can_curate(user)
