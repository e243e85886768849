"""Partnership, transfer, network and peer pages, for every persona."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccx.cities.models import City
from ccx.partnerships import workflow
from ccx.partnerships.models import Partnership, PartnershipStatus, Transfer
from ccx.partnerships.transfers import TransferDetails, record_transfer
from ccx.practices.models import Practice
from tests.conftest import Personas, client_for, make_user
from tests.partnerships.factories import agreed, proposed
from tests.practices.factories import make_practice, published_practice

Status = PartnershipStatus


@pytest.fixture
def practice_a(personas: Personas) -> Practice:
    return published_practice(
        personas.focal_a_user, personas.secretariat_user, personas.city_a, "Design bazaar in the old market"
    )


def test_a_proposal_is_seen_by_its_parties_only(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    url = partnership.get_absolute_url()
    seen = {name: client.get(url).status_code for name, client in personas.all().items()}
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    assert seen == {"anonymous": 404, "focal_a": 200, "focal_b": 200, "secretariat": 200}
    assert outsider.get(url).status_code == 404
    assert partnership.title not in personas.anonymous.get("/cooperation/partnerships/").content.decode()


def test_proposing_through_the_form(personas: Personas) -> None:
    response = personas.focal_a.post(
        "/cooperation/partnerships/new/",
        {
            "proposer": f"city:{personas.city_a.pk}",
            "cities": [personas.city_b.pk],
            "title": "Design meets gastronomy",
            "kind": "twinning",
            "goals": "Exchange designers and chefs.",
            "milestones": "2027-03-01 First study visit\n2027-09-30 Joint exhibition",
        },
    )
    partnership = Partnership.objects.get(title="Design meets gastronomy")
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    assert [m.title for m in partnership.milestones.all()] == ["First study visit", "Joint exhibition"]
    assert sorted(partnership.parties.values_list("city__slug", flat=True)) == ["ashgabat-tm", "gangneung-kr"]


def test_a_bad_proposal_is_explained_and_changes_nothing(personas: Personas) -> None:
    response = personas.focal_a.post(
        "/cooperation/partnerships/new/",
        {
            "proposer": f"city:{personas.city_a.pk}",
            "title": "Alone",
            "kind": "twinning",
            "goals": "x",
            "milestones": "next spring: visit",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: start with a date like 2027-03-31, then the milestone." in html
    assert not Partnership.objects.exists()
    response = personas.focal_a.post(
        "/cooperation/partnerships/new/",
        {"proposer": f"city:{personas.city_a.pk}", "title": "Alone", "kind": "twinning", "goals": "x"},
    )
    assert "A partnership needs at least two parties." in response.content.decode()
    assert not Partnership.objects.exists()


def test_who_may_open_the_proposal_form(personas: Personas) -> None:
    codes = {name: client.get("/cooperation/partnerships/new/").status_code for name, client in personas.all().items()}
    assert codes == {"anonymous": 302, "focal_a": 200, "focal_b": 200, "secretariat": 403}


def test_confirming_through_the_page_by_the_party_only(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    party_b = partnership.parties.get(city=personas.city_b)
    url = f"/cooperation/partnerships/{partnership.slug}/confirm/"
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    assert outsider.post(url, {"party": party_b.pk}).status_code == 404  # cannot even see it
    assert personas.focal_a.post(url, {"party": party_b.pk}).status_code == 403
    assert personas.secretariat.post(url, {"party": party_b.pk}).status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == Status.PROPOSED
    assert personas.focal_b.post(url, {"party": party_b.pk, "comment": "Gladly."}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Status.AGREED
    assert personas.anonymous.get(partnership.get_absolute_url()).status_code == 200


def test_a_step_out_of_order_is_refused_with_a_message(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    response = personas.focal_a.post(f"/cooperation/partnerships/{partnership.slug}/complete/", follow=True)
    partnership.refresh_from_db()
    assert "A partnership that is proposed cannot be completed." in response.content.decode()
    assert partnership.status == Status.PROPOSED
    assert personas.focal_a.post(f"/cooperation/partnerships/{partnership.slug}/explode/").status_code == 404


def test_recording_a_transfer_shows_on_both_practices_and_both_cities(personas: Personas, practice_a: Practice) -> None:
    own = published_practice(
        personas.focal_b_user, personas.secretariat_user, personas.city_b, "Gangneung design market"
    )
    response = personas.focal_b.post(
        f"/cooperation/practices/{practice_a.slug}/adapted/",
        {
            "to_city": personas.city_b.pk,
            "what_adapted": "The market format.",
            "status": "adapting",
            "adapted_practice": own.get_absolute_url(),
        },
    )
    transfer = Transfer.objects.get()
    assert response["Location"] == transfer.get_absolute_url()
    own.refresh_from_db()
    assert own.adapted_from == practice_a
    source_page = personas.anonymous.get(practice_a.get_absolute_url()).content.decode()
    adapted_page = personas.anonymous.get(own.get_absolute_url()).content.decode()
    assert "Adapted by" in source_page
    assert "Gangneung" in source_page
    assert "Adapted from" in adapted_page
    assert practice_a.title in adapted_page
    for city in (personas.city_a, personas.city_b):
        assert practice_a.title in personas.anonymous.get(city.get_absolute_url()).content.decode()


def test_who_may_record_a_transfer(personas: Personas, practice_a: Practice) -> None:
    url = f"/cooperation/practices/{practice_a.slug}/adapted/"
    data = {"to_city": personas.city_b.pk, "what_adapted": "All of it.", "status": "exploring"}
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    assert personas.anonymous.post(url, data).status_code == 302
    assert "/accounts/login/" in personas.anonymous.post(url, data)["Location"]
    assert outsider.post(url, data).status_code == 403
    assert not Transfer.objects.exists()


def test_a_transfer_does_not_go_backwards(personas: Personas, practice_a: Practice) -> None:
    transfer = record_transfer(
        personas.focal_b_user, practice_a, personas.city_b, TransferDetails("The format.", "implemented")
    )
    response = personas.focal_b.post(
        f"/cooperation/transfers/{transfer.pk}/edit/", {"what_adapted": "The format.", "status": "exploring"}
    )
    transfer.refresh_from_db()
    assert "A transfer that is implemented cannot go back to exploring." in response.content.decode()
    assert transfer.status == "implemented"


def _network_rows(personas: Personas, count: int) -> None:
    cities = list(
        City.objects.members().exclude(pk__in=[personas.city_a.pk, personas.city_b.pk]).order_by("pk")[:count]
    )
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Shared practice")
    Transfer.objects.bulk_create(
        Transfer(practice=practice, from_city=personas.city_a, to_city=city, what_adapted="x", status="adapting")
        for city in cities
    )
    agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b)


@pytest.mark.parametrize("rows", [2, 40])
def test_the_network_page_runs_the_same_queries_for_few_and_many_links(personas: Personas, rows: int) -> None:
    _network_rows(personas, rows)
    with CaptureQueriesContext(connection) as queries:
        response = personas.anonymous.get("/cooperation/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr>") == rows + 1 + 1  # header, transfers, one partnership
    assert len(queries) == 12  # the links (4), the members and fields for the figures (2), the page
    with CaptureQueriesContext(connection) as queries:
        again = personas.anonymous.get("/cooperation/").content.decode()
    assert again.count("<tr>") == rows + 1 + 1
    assert len(queries) == 0  # drawn once; the whole page is kept for anonymous visitors until the data change


def test_the_network_page_shows_a_new_link_at_once(personas: Personas) -> None:
    _network_rows(personas, 2)
    assert personas.anonymous.get("/cooperation/").content.decode().count("<tr>") == 4
    practice = published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b, "Coffee routes")
    record_transfer(personas.focal_a_user, practice, personas.city_a, TransferDetails("The routes.", "exploring"))
    html = personas.anonymous.get("/cooperation/").content.decode()
    assert html.count("<tr>") == 5
    assert "Coffee routes" in html


def test_network_filters(personas: Personas) -> None:
    _network_rows(personas, 3)
    gastronomy = personas.anonymous.get("/cooperation/?field=gastronomy").content.decode()
    assert gastronomy.count("<tr>") == 2  # the header and the Ashgabat-Gangneung partnership
    bad = personas.anonymous.get("/cooperation/?year=last")
    assert bad.status_code == 400
    assert "The year must be a number like 2021." in bad.content.decode()


def test_peers_page_gives_reasons_and_the_actions_to_the_citys_focal_point(personas: Personas) -> None:
    url = f"/cooperation/peers/{personas.city_b.slug}/"
    own = personas.focal_b.get(url).content.decode()
    other = personas.focal_a.get(url).content.decode()
    assert "same creative field: Gastronomy" in own
    assert "Propose a partnership" in own
    assert "Propose a partnership" not in other
    assert personas.anonymous.get(url).status_code == 200


def test_peers_page_queries_do_not_grow_with_challenges(personas: Personas) -> None:
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as queries:
            personas.focal_b.get(f"/cooperation/peers/{personas.city_b.slug}/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_my_peers_goes_to_my_city(personas: Personas) -> None:
    assert personas.focal_b.get("/cooperation/peers/")["Location"] == f"/cooperation/peers/{personas.city_b.slug}/"


def clean_pdf() -> bytes:
    from tests.partnerships.test_documents import pdf_bytes

    return pdf_bytes()


def test_documents_are_downloaded_by_those_who_see_the_partnership(
    personas: Personas, settings: object, tmp_path: object
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    upload = SimpleUploadedFile("mou-draft.pdf", clean_pdf(), content_type="application/pdf")
    personas.focal_a.post(
        f"/cooperation/partnerships/{partnership.slug}/documents/", {"title": "Draft MoU", "file": upload}
    )
    document = partnership.documents.get()
    url = f"/cooperation/partnerships/{partnership.slug}/documents/{document.pk}/"
    assert personas.focal_b.get(url).status_code == 200
    assert personas.anonymous.get(url).status_code == 404
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = personas.focal_a.post(
        f"/cooperation/partnerships/{partnership.slug}/documents/", {"title": "Tool", "file": bad}, follow=True
    )
    assert "This file is not one of the accepted types (" in response.content.decode()
    assert partnership.documents.count() == 1


def test_workflow_actions_for_anonymous_are_refused(personas: Personas) -> None:
    partnership = agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b)
    assert personas.anonymous.post(f"/cooperation/partnerships/{partnership.slug}/activate/").status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == Status.AGREED
    workflow.activate(partnership, personas.focal_b_user)


def test_linked_records_are_named_by_address_or_identifier(personas: Personas, practice_a: Practice) -> None:
    data = {
        "proposer": f"city:{personas.city_a.pk}",
        "cities": [personas.city_b.pk],
        "title": "Linked",
        "kind": "twinning",
        "goals": "x",
        "practices": f"http://testserver{practice_a.get_absolute_url()}\nno-such-practice",
        "challenges": "no-such-challenge",
    }
    html = personas.focal_a.post("/cooperation/partnerships/new/", data).content.decode()
    assert "No published practice found for: no-such-practice" in html
    assert "No challenge found for: no-such-challenge" in html
    assert not Partnership.objects.exists()
    personas.focal_a.post("/cooperation/partnerships/new/", {**data, "practices": practice_a.slug, "challenges": ""})
    assert list(Partnership.objects.get().practices.all()) == [practice_a]


def test_linked_records_are_picked_from_what_the_proposer_may_see(personas: Personas, practice_a: Practice) -> None:
    draft_b = make_practice(personas.focal_b_user, personas.city_b, "Draft of city B")
    html = personas.focal_a.get("/cooperation/partnerships/new/").content.decode()
    assert f'<option value="{practice_a.slug}">{practice_a.title} ({personas.city_a.name})</option>' in html
    assert draft_b.slug not in html
    data = {
        "proposer": f"city:{personas.city_a.pk}",
        "cities": [personas.city_b.pk],
        "title": "Picked",
        "kind": "twinning",
        "goals": "x",
        "practices": [draft_b.slug],
    }
    html = personas.focal_a.post("/cooperation/partnerships/new/", data).content.decode()
    assert f"No published practice found for: {draft_b.slug}" in html
    assert not Partnership.objects.exists()
    personas.focal_a.post("/cooperation/partnerships/new/", {**data, "practices": [practice_a.slug, practice_a.slug]})
    partnership = Partnership.objects.get()
    assert list(partnership.practices.all()) == [practice_a]
    edit = personas.focal_a.get(f"/cooperation/partnerships/{partnership.slug}/terms/").content.decode()
    assert f'<option value="{practice_a.slug}" selected>' in edit
