import json

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ccx.cities.models import City
from tests.conftest import Personas
from tests.factories import make_city

pytestmark = pytest.mark.django_db


def test_gastronomy_members(client: Client) -> None:
    body = client.get("/api/v1/cities?field=gastronomy&limit=500").json()
    expected = sorted(City.objects.members().filter(field__slug="gastronomy").values_list("slug", flat=True))
    assert body["count"] == 56
    assert sorted(item["slug"] for item in body["items"]) == expected
    assert {item["field"] for item in body["items"]} == {"gastronomy"}


def test_filters_combine_and_repeat(client: Client) -> None:
    body = client.get("/api/v1/cities?field=music&field=film&region=EU&year=2023").json()
    expected = City.objects.members().filter(
        field__slug__in=["music", "film"], country__region="EU", designation_year=2023
    )
    assert body["count"] == expected.count()
    assert [item["slug"] for item in body["items"]] == list(expected.order_by("name").values_list("slug", flat=True))


def test_unknown_year_and_country_filters(client: Client) -> None:
    assert client.get("/api/v1/cities?year=unknown").json()["count"] == 28
    assert client.get("/api/v1/cities?country=cn").json()["count"] == 18


def test_search_sort_and_paging(client: Client) -> None:
    body = client.get("/api/v1/cities?sort=-population&limit=2&offset=1").json()
    ordered = list(
        City.objects.members()
        .order_by(F("population").desc(nulls_last=True), "name", "slug")
        .values_list("slug", flat=True)
    )
    assert body["count"] == 350
    assert [item["slug"] for item in body["items"]] == ordered[1:3]
    assert [item["slug"] for item in client.get("/api/v1/cities?q=granada").json()["items"]] == [
        "granada-es",
        "granada-ni",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("field=knitting", "Unknown creative field 'knitting'."),
        ("region=XX", "Unknown region 'XX'."),
        ("country=ZZ", "Unknown country 'ZZ'."),
        ("year=nineteen", "Unknown year 'nineteen'."),
        ("sort=random", "Unknown sort 'random'."),
        ("limit=0", "limit: Input should be greater than or equal to 1"),
        ("limit=abc", "limit: Input should be a valid integer"),
        ("offset=-1", "offset: Input should be greater than or equal to 0"),
    ],
)
def test_bad_parameters_get_a_readable_4xx(client: Client, query: str, message: str) -> None:
    response = client.get(f"/api/v1/cities?{query}")
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)


def test_city_detail(client: Client) -> None:
    body = client.get("/api/v1/cities/tbilisi-ge").json()
    assert (body["name"], body["country_code"], body["designation_year"], body["year_source"]) == (
        "Tbilisi",
        "GE",
        None,
        "",
    )
    assert client.get("/api/v1/cities/atlantis").status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_runs_the_same_queries_for_1_and_3_rows(client: Client, rows: int) -> None:
    for number in range(rows):
        make_city(f"Qwertz {number}")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/cities?q=Qwertz").json()
    assert body["count"] == rows
    assert len(queries) == 4


def test_countries_and_fields(client: Client) -> None:
    countries = client.get("/api/v1/countries").json()["items"]
    assert len(countries) == 249
    france = next(country for country in countries if country["code"] == "FR")
    assert (france["names"]["zh-hans"], france["names"]["ar"], france["region"]) == ("法国", "فرنسا", "EU")
    fields = {field["slug"]: field["member_count"] for field in client.get("/api/v1/fields").json()["items"]}
    assert fields == {
        "crafts-and-folk-art": 66,
        "design": 49,
        "film": 26,
        "gastronomy": 56,
        "literature": 53,
        "media-arts": 25,
        "music": 75,
        "architecture": 0,
    }


class TestProfileUpdates:
    def patch(self, client: Client, slug: str, payload: dict[str, object]) -> tuple[int, dict[str, object]]:
        response = client.patch(f"/api/v1/cities/{slug}", json.dumps(payload), content_type="application/json")
        return response.status_code, response.json()

    def test_personas(self, personas: Personas) -> None:
        slug = personas.city_a.slug
        statuses = {
            name: self.patch(client, slug, {"website": "https://a.example"})[0]
            for name, client in personas.all().items()
        }
        assert statuses == {"anonymous": 401, "focal_a": 200, "focal_b": 403, "secretariat": 200}

    def test_the_focal_point_updates_texts(self, personas: Personas) -> None:
        status, body = self.patch(
            personas.focal_a, personas.city_a.slug, {"about_translations": {"zh-hans": "阿什哈巴德"}}
        )
        assert status == 200
        assert body["about_translations"] == {"zh-hans": "阿什哈巴德"}

    def test_the_api_cannot_change_network_facts(self, personas: Personas) -> None:
        status, _body = self.patch(personas.secretariat, personas.city_a.slug, {"designation_year": 1999})
        personas.city_a.refresh_from_db()
        assert (status, personas.city_a.designation_year) == (200, 2023)

    @pytest.mark.parametrize(
        ("payload", "message"),
        [
            ({"website": "ftp://x"}, "website must be an http:// or https:// address"),
            ({"about_translations": {"xx": "?"}}, "about_translations: unknown language code(s) xx"),
            ({"about": None}, "fields may be left out but not set to null"),
            ({"about": 5}, "about: Input should be a valid string"),
        ],
    )
    def test_bad_payloads_change_nothing(self, personas: Personas, payload: dict[str, object], message: str) -> None:
        before = City.objects.get(pk=personas.city_a.pk).about
        status, body = self.patch(personas.focal_a, personas.city_a.slug, payload)
        assert (status, body["detail"]) == (422, message)
        assert City.objects.get(pk=personas.city_a.pk).about == before

    def test_csrf_is_required_for_session_writes(self, personas: Personas) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.focal_a_user)
        response = client.patch(
            f"/api/v1/cities/{personas.city_a.slug}",
            json.dumps({"website": "https://x.example"}),
            content_type="application/json",
        )
        assert response.status_code == 403


def test_openapi_document_and_docs_page(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Creative Cities Exchange API"
    assert {
        "/api/v1/cities",
        "/api/v1/cities/{slug}",
        "/api/v1/countries",
        "/api/v1/fields",
        "/api/v1/sdg/goals",
    } <= set(schema["paths"])
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs
