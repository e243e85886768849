"""Partnerships and transfers for tests, made through the same domain functions as the site."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ccx.accounts.models import User
from ccx.cities.models import City
from ccx.partnerships import workflow
from ccx.partnerships.importers import import_twinnings
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


LINKS_HEADER = (
    "member_city_name,member_country,member_country_iso2,member_geonames_id,member_qid,member_qid_name,"
    "other_qid,other_name,other_country_iso2,other_is_member,other_member_city_name,other_member_geonames_id,"
    "link_source,link_target"
)
NODES_HEADER = "id\tname\tlng\tlat\tcountry\tcountrycd\tcontinent"


@dataclass(frozen=True)
class Outside:
    """A city of the twin dataset that is not a member."""

    qid: str
    name: str
    country_code: str
    latitude: float = 10.5
    longitude: float = 20.25

    def node(self) -> str:
        return f"{self.qid}\t{self.name}\t{self.longitude}\t{self.latitude}\tSomewhere\t{self.country_code}\tEurope"


def member_row(member: City, member_qid: str, other: "City | Outside", other_qid: str = "") -> str:
    """One line of a twinnings file, with a deliberately wrong GeoNames id: the importer must not use it."""
    code = member.country.code if member.country else ""
    head = f"{member.name},Country,{code},999,{member_qid},{member.name}"
    if isinstance(other, Outside):
        return f"{head},{other.qid},{other.name},{other.country_code},no,,,{member_qid},{other.qid}"
    other_code = other.country.code if other.country else ""
    return f"{head},{other_qid},{other.name},{other_code},yes,{other.name},1,{member_qid},{other_qid}"


def twinning_files(directory: Path, rows: list[str], outside: Sequence[Outside] = ()) -> tuple[Path, Path]:
    links, nodes = directory / "twinnings.csv", directory / "nodes.tsv"
    links.write_text("\n".join([LINKS_HEADER, *rows]) + "\n", encoding="utf-8")
    nodes.write_text("\n".join([NODES_HEADER, *(city.node() for city in outside)]) + "\n", encoding="utf-8")
    return links, nodes


def recorded_twinning(directory: Path, a: City, b: City) -> Partnership:
    """A twinning of two members as the importer records it from Wikidata."""
    links, nodes = twinning_files(directory, [member_row(a, "Q901", b, "Q902")])
    import_twinnings(links, nodes)
    return Partnership.objects.filter(source="wikidata-p190", parties__city=a).get(parties__city=b)
