import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ccx.cities.models import City
from tests.conftest import Personas
from tests.factories import make_city

pytestmark = pytest.mark.django_db


def result_count(html: str) -> int:
    match = re.search(r'data-count="(\d+)"', html)
    assert match, "the results heading carries data-count"
    return int(match.group(1))


def card_names(html: str) -> list[str]:
    return re.findall(r'<h3><a class="stretched-link" href="[^"]+">([^<]+)</a></h3>', html)


def test_the_directory_shows_all_members_and_facets(client: Client) -> None:
    html = client.get("/cities/").content.decode()
    assert result_count(html) == 350
    assert len(card_names(html)) == 24
    assert card_names(html)[:3] == ["Abu Dhabi", "Adelaide", "Afyonkarahisar"]


def test_filtering_by_field_shows_the_same_number_as_the_api(client: Client) -> None:
    html = client.get("/cities/?field=gastronomy").content.decode()
    api = client.get("/api/v1/cities?field=gastronomy").json()
    assert result_count(html) == api["count"] == 56


def test_facet_counts_keep_other_values_of_the_same_facet_visible(client: Client) -> None:
    html = client.get("/cities/?field=gastronomy&region=EU").content.decode()
    design = re.search(r'value="design"\s*>.*?<span class="count">(\d+)</span>', html, re.S)
    gastronomy_members_in_europe = City.objects.members().filter(field__slug="gastronomy", country__region="EU").count()
    design_members_in_europe = City.objects.members().filter(field__slug="design", country__region="EU").count()
    assert result_count(html) == gastronomy_members_in_europe
    assert design is not None
    assert int(design.group(1)) == design_members_in_europe


def test_unknown_year_is_a_facet_value(client: Client) -> None:
    html = client.get("/cities/?year=unknown").content.decode()
    assert result_count(html) == 28
    assert "year unknown" in html


def test_bad_filter_values_are_explained_not_fatal(client: Client) -> None:
    response = client.get("/cities/?field=knitting&year=abc&sort=zzz")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown creative field &#x27;knitting&#x27;" in html
    assert "Unknown year &#x27;abc&#x27;" in html
    assert result_count(html) == 350


def test_search_by_name_and_pagination(client: Client) -> None:
    assert card_names(client.get("/cities/?q=granada").content.decode()) == ["Granada", "Granada"]
    page_two = client.get("/cities/?page=2").content.decode()
    assert card_names(page_two)[0] == City.objects.members().order_by("name")[24].name


def test_htmx_requests_get_only_the_directory_region(client: Client) -> None:
    html = client.get("/cities/?field=film", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="directory"')
    assert "<html" not in html
    assert result_count(html) == 26


@pytest.mark.parametrize("rows", [1, 3])
def test_the_directory_runs_the_same_queries_for_1_and_3_rows(client: Client, rows: int) -> None:
    for number in range(rows):
        make_city(f"Zzyzx {number}")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/cities/?q=Zzyzx").content.decode()
    assert result_count(html) == rows
    assert len(queries) == 10


def test_the_city_page_shows_known_and_unknown_facts(client: Client) -> None:
    html = client.get("/cities/ashgabat-tm/").content.decode()
    assert "Creative City of Design" in html
    assert "1,030,063" in html
    assert "2023" in html
    unknown = client.get("/cities/tbilisi-ge/").content.decode()
    assert "year unknown" in unknown
    unverified = client.get("/cities/idanha-a-nova-pt/").content.decode()
    assert "This location has not been verified" in unverified
    nowhere = client.get("/cities/vicente-lopez-ar/").content.decode()
    assert "The location of this city is not known yet." in nowhere
    assert client.get("/cities/atlantis-xx/").status_code == 404


def test_the_city_page_in_french_marks_the_english_profile(client: Client) -> None:
    html = client.get("/fr/cities/ashgabat-tm/").content.decode()
    assert '<html lang="fr">' in html
    assert 'lang="en"' in html
    assert "Texte original en anglais" in html


def test_the_map_and_exports(client: Client) -> None:
    assert client.get("/cities/map/").status_code == 200
    geojson = client.get("/cities/export.geojson").json()
    assert len(geojson["features"]) == 349  # all but Vicente López, whose coordinates no bundled source gives
    csv_text = client.get("/cities/export.csv?field=film").content.decode()
    assert len(csv_text.strip().splitlines()) == 27
    data = client.get("/cities/export.json?country=CN").json()
    assert data["count"] == City.objects.members().filter(country__code="CN").count() == 18
    download = client.get("/cities/export.csv?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="uccn-members.csv"'
    assert client.get("/cities/export.xml").status_code == 404


class TestEditing:
    def post_profile(self, client: Client, city: City, about: str) -> int:
        return client.post(
            f"/cities/{city.slug}/edit/", {"about": about, "commitments": city.commitments, "website": ""}
        ).status_code

    def test_who_may_open_the_edit_page(self, personas: Personas) -> None:
        url = f"/cities/{personas.city_a.slug}/edit/"
        statuses = {name: client.get(url).status_code for name, client in personas.all().items()}
        assert statuses == {"anonymous": 302, "focal_a": 200, "focal_b": 403, "secretariat": 200}

    def test_the_focal_point_edits_the_profile_and_a_translation(self, personas: Personas) -> None:
        city = personas.city_a
        response = personas.focal_a.post(
            f"/cities/{city.slug}/edit/",
            {
                "about": "New profile.",
                "commitments": city.commitments,
                "website": "https://ashgabat.example",
                "about_fr": "Nouveau profil.",
                "about_zh-hans": "",
            },
        )
        assert response.status_code == 302
        city.refresh_from_db()
        assert (city.about, city.about_translations, city.website) == (
            "New profile.",
            {"fr": "Nouveau profil."},
            "https://ashgabat.example",
        )
        assert city.corrected_fields == ["about"]
        assert "Nouveau profil." in personas.anonymous.get(f"/fr/cities/{city.slug}/").content.decode()

    def test_the_focal_point_cannot_change_the_network_facts(self, personas: Personas) -> None:
        city = personas.city_a
        personas.focal_a.post(
            f"/cities/{city.slug}/edit/",
            {"about": city.about, "commitments": city.commitments, "designation_year": "2010"},
        )
        city.refresh_from_db()
        assert city.designation_year == 2023

    def test_others_cannot_edit(self, personas: Personas) -> None:
        city = personas.city_a
        assert self.post_profile(personas.focal_b, city, "Hijacked") == 403
        assert self.post_profile(personas.anonymous, city, "Hijacked") == 302
        city.refresh_from_db()
        assert city.about != "Hijacked"

    def test_the_secretariat_corrects_a_year_and_a_location(self, personas: Personas) -> None:
        city = City.objects.get(slug="vicente-lopez-ar")
        form = {
            "name": city.name,
            "country": city.country_id,
            "field": city.field_id,
            "designation_year": "2018",
            "designation_note": "",
            "latitude": "-34.53",
            "longitude": "-58.48",
            "location_verified": "on",
            "geonames_id": "3427761",
            "population": "",
            "is_member": "on",
            "about": city.about,
            "commitments": city.commitments,
            "website": "",
        }
        assert personas.secretariat.post(f"/cities/{city.slug}/edit/", form).status_code == 302
        city.refresh_from_db()
        assert (city.designation_year, city.latitude, city.location_verified) == (2018, -34.53, True)
        assert city.corrected_fields == [
            "designation_year",
            "geonames_id",
            "latitude",
            "location_verified",
            "longitude",
        ]

    def test_bad_input_is_explained_and_saves_nothing(self, personas: Personas) -> None:
        city = City.objects.get(slug="merida-mx")
        form = {
            "name": city.name,
            "country": city.country_id,
            "field": city.field_id,
            "designation_year": "1990",
            "latitude": "20",
            "longitude": "",
            "is_member": "on",
            "about": "changed",
            "commitments": "",
        }
        response = personas.secretariat.post(f"/cities/{city.slug}/edit/", form)
        html = response.content.decode()
        assert response.status_code == 200
        assert "The network began designating cities in 2004." in html
        assert "Give both latitude and longitude, or neither." in html
        city.refresh_from_db()
        assert city.about != "changed"


def test_only_the_secretariat_sees_the_data_quality_page(personas: Personas) -> None:
    statuses = {name: client.get("/cities/data-quality/").status_code for name, client in personas.all().items()}
    assert statuses == {"anonymous": 302, "focal_a": 403, "focal_b": 403, "secretariat": 200}
    html = personas.secretariat.get("/cities/data-quality/").content.decode()
    sections = re.findall(r'<h2 id="(\w+)">[^<]*<span class="count">(\d+)</span>', html)
    # Nothing left to correct in the bundled data; 19 years and 3 locations unknown; 10 accepted exceptions.
    assert sections == [("problems", "0"), ("gaps", "22"), ("accepted", "10")]
    assert "Nothing to correct." in html
    assert "Vicente Lopez" in html
    assert "Population unknown" in html


def test_the_data_quality_page_lists_a_member_moved_out_of_its_country(personas: Personas) -> None:
    City.objects.filter(slug="valencia-es").update(latitude=10.16153, longitude=-68.00044)  # Valencia, Venezuela
    html = personas.secretariat.get("/cities/data-quality/").content.decode()
    problems = html[html.index('id="problems"') : html.index('id="gaps"')]
    assert re.findall(r'<span class="count">(\d+)</span>', problems) == ["1"]
    assert "Valencia" in problems
    assert "Point outside its country" in problems
    assert "km from Spain" in problems
