"""Partnerships and transfers for tests, made through the same domain functions as the site."""

from ccx.accounts.models import User
from ccx.cities.models import City
from ccx.partnerships import workflow
from ccx.partnerships.models import Partnership, PartnershipKind
from ccx.partnerships.workflow import Terms


def terms(title: str = "Craft and food exchange", **values: object) -> Terms:
    values = {"kind": PartnershipKind.KNOWLEDGE_EXCHANGE, "goals": "Learn from each other.", **values}
    return Terms(title=title, **values)  # type: ignore[arg-type]


def proposed(proposer: User, proposer_city: City, *others: City, title: str = "Craft and food exchange") -> Partnership:
    return workflow.propose(proposer, terms(title), proposer=proposer_city, cities=list(others), organisations=[])


def agreed(
    proposer: User, proposer_city: City, partner: User, partner_city: City, title: str = "Agreed"
) -> Partnership:
    partnership = proposed(proposer, proposer_city, partner_city, title=title)
    workflow.confirm(partnership, partnership.parties.get(city=partner_city), partner)
    partnership.refresh_from_db()
    return partnership
