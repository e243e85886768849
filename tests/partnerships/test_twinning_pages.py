"""Twinnings on the city pages, the partnership page, the network page, its CSV files and peer matchmaking."""

import csv
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccx.cities.models import City
from ccx.partnerships.importers import import_twinnings
from ccx.partnerships.matchmaking import suggest_peers
from ccx.partnerships.models import Partnership, PartnershipStatus
from ccx.partnerships.transfers import TransferDetails, record_transfer
from tests.conftest import Personas, client_for, make_user
from tests.partnerships.factories import Outside, member_row, proposed, twinning_files
from tests.practices.factories import published_practice

Status = PartnershipStatus
MERV = Outside("Q1000", "Merv", "TM", latitude=37.66, longitude=62.19)
SOKCHO = Outside("Q2000", "Sokcho", "KR", latitude=38.2, longitude=128.59)


@pytest.fixture
def twinned(personas: Personas, tmp_path: Path) -> Partnership:
    """Ashgabat and Gangneung are twinned with each other; each also with a city outside the network."""
    links, nodes = twinning_files(
        tmp_path,
        [
            member_row(personas.city_a, "Q23800", personas.city_b, "Q42125"),
            member_row(personas.city_a, "Q23800", MERV),
            member_row(personas.city_b, "Q42125", SOKCHO),
        ],
        [MERV, SOKCHO],
    )
    import_twinnings(links, nodes)
    return Partnership.objects.filter(parties__city=personas.city_a).get(parties__city=personas.city_b)


def _twin_names(html: str, heading: str) -> list[str]:
    section = html.split(heading, 1)[1].split("</ul>", 1)[0]
    return [part.split("</a>", 1)[0] for part in section.split('<li><a href="/cities/')[1:]]


def test_both_city_pages_list_their_twinnings_with_the_source(personas: Personas, twinned: Partnership) -> None:
    html = personas.anonymous.get(personas.city_a.get_absolute_url()).content.decode()
    assert "2 twinnings" in html
    assert [name.split(">")[-1] for name in _twin_names(html, "With member cities of the network")] == ["Gangneung"]
    assert [name.split(">")[-1] for name in _twin_names(html, "With cities outside the network")] == ["Merv"]
    assert "Twinnings come from public records (Wikidata P190" in html
    assert "Recorded, unconfirmed" in html
    other = personas.anonymous.get(personas.city_b.get_absolute_url()).content.decode()
    assert [name.split(">")[-1] for name in _twin_names(other, "With member cities of the network")] == ["Ashgabat"]
    merv = personas.anonymous.get(City.objects.get(wikidata_id="Q1000").get_absolute_url())
    assert merv.status_code == 200
    assert "Ashgabat" in merv.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_the_city_page_reads_its_twinnings_in_constant_queries(personas: Personas, tmp_path: Path, extra: int) -> None:
    outside = [Outside(f"Q{5000 + n}", f"Town {n}", "TM") for n in range(extra + 1)]
    links, nodes = twinning_files(tmp_path, [member_row(personas.city_a, "Q23800", town) for town in outside], outside)
    import_twinnings(links, nodes)
    with CaptureQueriesContext(connection) as queries:
        html = personas.anonymous.get(personas.city_a.get_absolute_url()).content.decode()
    assert html.count("Town ") == extra + 1
    assert len(queries) == 12


def test_the_partnership_page_offers_the_record_steps_to_the_right_people(
    personas: Personas, twinned: Partnership
) -> None:
    url = twinned.get_absolute_url()
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    pages = {name: client.get(url).content.decode() for name, client in {**personas.all(), "focal_c": outsider}.items()}
    assert {name: "Confirm the twinning" in html for name, html in pages.items()} == {
        "anonymous": False,
        "focal_a": True,
        "focal_b": True,
        "secretariat": True,
        "focal_c": False,
    }
    assert all("<strong>not confirmed by the cities</strong>" in html for html in pages.values())
    assert 'href="https://www.wikidata.org/wiki/Q23800"' in pages["anonymous"]
    confirm = f"{url}record/confirm/"
    assert outsider.post(confirm, {"confirm-start_year": "1990"}).status_code == 403
    assert personas.anonymous.post(confirm, {"confirm-start_year": "1990"}).status_code == 403
    twinned.refresh_from_db()
    assert twinned.status == Status.RECORDED


def test_a_focal_point_confirms_on_the_page_and_every_page_shows_it(personas: Personas, twinned: Partnership) -> None:
    url = twinned.get_absolute_url()
    response = personas.focal_b.post(
        f"{url}record/confirm/",
        {"confirm-start_year": "1997", "confirm-document_title": "Charter", "confirm-document_url": "https://x.org/c"},
    )
    assert response.status_code == 302
    twinned.refresh_from_db()
    assert (twinned.status, twinned.start_year, twinned.documents.count()) == (Status.ACTIVE, 1997, 1)
    city_page = personas.anonymous.get(personas.city_a.get_absolute_url()).content.decode()
    assert "Confirmed by the cities · since 1997" in city_page
    network = personas.anonymous.get("/cooperation/?state=confirmed").content.decode()
    assert network.count("<tr>") == 2  # the header and the Ashgabat-Gangneung twinning
    assert "Ashgabat – Gangneung" in network
    bad = personas.focal_b.post(f"{url}record/end/", {"end-end_year": "1980"}, follow=True).content.decode()
    assert "It cannot end before it began." in bad
    twinned.refresh_from_db()
    assert twinned.status == Status.ACTIVE


def test_the_network_shows_twinnings_by_kind_state_and_scope(personas: Personas, twinned: Partnership) -> None:
    def rows(query: str) -> int:
        return max(personas.anonymous.get(f"/cooperation/?{query}").content.decode().count("<tr>") - 1, 0)

    assert (rows(""), rows("outside=1"), rows("kind=twinning&outside=1"), rows("kind=transfer&outside=1")) == (
        1,
        3,
        3,
        0,
    )
    assert (rows("state=recorded&outside=1"), rows("state=ended")) == (3, 0)
    bad = personas.anonymous.get("/cooperation/?state=maybe")
    assert bad.status_code == 400
    assert "Unknown state &#x27;maybe&#x27;." in bad.content.decode()


def test_the_network_figures_and_their_csv(personas: Personas, twinned: Partnership) -> None:
    html = personas.anonymous.get("/cooperation/").content.decode()
    members = City.objects.members().count()
    assert f"{members - 2} of {members} members have no tie recorded here." in html
    assert "1 of 1 tie between members joins two different creative fields." in html
    assert "0 of 1 tie between members joins two different regions." in html
    ranked = html.split("Most connected members", 1)[1].split("</ol>", 1)[0]
    assert ranked.count("tied to 2 cities") == 2
    table = personas.anonymous.get("/cooperation/network-members.csv")
    assert table["Content-Type"] == "text/csv; charset=utf-8"
    by_slug = {row["slug"]: row for row in csv.DictReader(io.StringIO(table.content.decode()))}
    assert len(by_slug) == members
    assert {key: by_slug["ashgabat-tm"][key] for key in ("tied_cities", "tied_members", "tied_outside")} == {
        "tied_cities": "2",
        "tied_members": "1",
        "tied_outside": "1",
    }
    assert by_slug["bilbao-es"]["tied_cities"] == "0"
    links = list(
        csv.DictReader(io.StringIO(personas.anonymous.get("/cooperation/network-links.csv?outside=1").content.decode()))
    )
    assert sorted((row["from"], row["to"], row["to_member"], row["state"]) for row in links) == [
        ("ashgabat-tm", "gangneung-kr", "yes", "recorded"),
        ("ashgabat-tm", "merv-tm", "no", "recorded"),
        ("gangneung-kr", "sokcho-kr", "no", "recorded"),
    ]


def test_platform_proposals_stay_private_next_to_public_twinnings(personas: Personas, twinned: Partnership) -> None:
    proposal = proposed(personas.focal_a_user, personas.city_a, personas.city_b, title="Secret craft plan")
    for name, client in personas.all().items():
        html = client.get(personas.city_a.get_absolute_url()).content.decode()
        assert ("Secret craft plan" in html) == (name in ("focal_a", "focal_b", "secretariat")), name
        assert "Gangneung" in html
    assert personas.anonymous.get(proposal.get_absolute_url()).status_code == 404
    assert "Secret craft plan" not in personas.anonymous.get("/cooperation/").content.decode()


def test_matchmaking_says_already_twinned_and_twinned_with_an_adopter(personas: Personas, tmp_path: Path) -> None:
    city = personas.city_a  # Ashgabat: Design, Asia
    near = list(
        City.objects.members()
        .filter(field=city.field, country__region=city.region)
        .exclude(pk=city.pk)
        .order_by("name")[:2]
    )
    twin, peer = near
    links, nodes = twinning_files(tmp_path, [member_row(city, "Q23800", twin, "Q77")])
    import_twinnings(links, nodes)
    before = {suggestion.city.name: suggestion.score for suggestion in suggest_peers(city, personas.focal_a_user)}
    peer_focal = make_user("focal-peer", cities=(peer,))
    practice = published_practice(peer_focal, personas.secretariat_user, peer, "Lantern workshops")
    twin_focal = make_user("focal-twin", cities=(twin,))
    record_transfer(twin_focal, practice, twin, TransferDetails("The workshops.", "adapting"))
    suggestions = {suggestion.city.name: suggestion for suggestion in suggest_peers(city, personas.focal_a_user)}
    assert "already twinned (recorded in Wikidata, unconfirmed)" in suggestions[twin.name].reasons
    assert suggestions[twin.name].twinning_state == "recorded"
    assert (
        f"twinned with a city that adapted this practice: your twin {twin.name} adapted their “Lantern workshops”"
        in suggestions[peer.name].reasons
    )
    assert suggestions[peer.name].score == round(before[peer.name] + 0.1, 4)
    assert suggestions[twin.name].score == before[twin.name]  # being twinned is said, not scored


def test_the_partnership_list_keeps_unconfirmed_records_apart(personas: Personas, twinned: Partnership) -> None:
    default = personas.anonymous.get("/cooperation/partnerships/").content.decode()
    assert "3 twinnings recorded from public sources (Wikidata P190) and not yet confirmed" in default
    assert "Ashgabat – Gangneung" not in default
    twins = personas.anonymous.get("/cooperation/partnerships/?kind=twinning").content.decode()
    assert "3 partnerships" in twins
    assert "Ashgabat – Gangneung" in twins
    assert "Twinnings come from public records" in twins
