"""Twinnings over the API: listed and filtered for everyone, confirmed or ended by the right people only."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccx.cities.models import City
from ccx.partnerships.importers import import_twinnings
from ccx.partnerships.models import Partnership
from tests.api.test_partnerships import post
from tests.conftest import Personas, client_for, make_user
from tests.partnerships.factories import Outside, member_row, proposed, twinning_files


def _slugs(client: Any, query: str) -> tuple[int, list[str]]:
    body = client.get(f"/api/v1/partnerships?{query}").json()
    return body["count"], sorted(item["slug"] for item in body["items"])


@pytest.fixture
def twinnings(personas: Personas, tmp_path: Path) -> list[Partnership]:
    towns = [Outside(f"Q{9000 + n}", f"Oasis {n}", "TM") for n in range(3)]
    links, nodes = twinning_files(
        tmp_path,
        [member_row(personas.city_a, "Q23800", personas.city_b, "Q42125")]
        + [member_row(personas.city_a, "Q23800", town) for town in towns],
        towns,
    )
    import_twinnings(links, nodes)
    return list(Partnership.objects.filter(source="wikidata-p190").order_by("slug"))


def test_twinnings_are_listed_and_filtered_for_everyone(personas: Personas, twinnings: list[Partnership]) -> None:
    every = sorted(p.slug for p in twinnings)
    proposal = proposed(personas.focal_a_user, personas.city_a, personas.city_b, title="Private plan")
    assert _slugs(personas.anonymous, "kind=twinning") == (4, every)
    assert _slugs(personas.anonymous, "kind=twinning&member_only=true") == (1, ["ashgabat-gangneung"])
    assert _slugs(personas.anonymous, "state=recorded&city=gangneung-kr") == (1, ["ashgabat-gangneung"])
    assert _slugs(personas.anonymous, "state=confirmed") == (0, [])
    assert _slugs(personas.anonymous, "") == (4, every)
    assert _slugs(personas.focal_b, "") == (5, sorted([*every, proposal.slug]))
    item = personas.anonymous.get("/api/v1/partnerships/ashgabat-gangneung").json()
    assert {key: item[key] for key in ("kind", "status", "state", "source", "source_reference", "start_year")} == {
        "kind": "twinning",
        "status": "recorded",
        "state": "recorded",
        "source": "wikidata-p190",
        "source_reference": "Q23800 Q42125",
        "start_year": None,
    }
    bad = personas.anonymous.get("/api/v1/partnerships?state=sure")
    assert (bad.status_code, bad.json()["detail"]) == (422, "Unknown state 'sure' (recorded, confirmed or ended).")


@pytest.mark.parametrize("towns", [1, 8])
def test_the_list_runs_the_same_queries_for_few_and_many(personas: Personas, tmp_path: Path, towns: int) -> None:
    outside = [Outside(f"Q{9100 + n}", f"Well {n}", "TM") for n in range(towns)]
    links, nodes = twinning_files(tmp_path, [member_row(personas.city_a, "Q23800", town) for town in outside], outside)
    import_twinnings(links, nodes)
    with CaptureQueriesContext(connection) as queries:
        assert personas.anonymous.get("/api/v1/partnerships?kind=twinning").json()["count"] == towns
    assert len(queries) == 8


def test_only_the_cities_and_the_secretariat_confirm_or_end_over_the_api(
    personas: Personas, twinnings: list[Partnership]
) -> None:
    url = "/api/v1/partnerships/ashgabat-gangneung/record"
    outsider = client_for(make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),)))
    assert personas.anonymous.post(url, "{}", content_type="application/json").status_code == 401
    assert post(outsider, url, {"action": "confirm", "start_year": 1995})[0] == 403
    status, body = post(personas.focal_a, url, {"action": "confirm", "start_year": 1995})
    assert (status, body["state"], body["start_year"]) == (200, "confirmed", 1995)
    status, body = post(personas.secretariat, url, {"action": "correct", "description": "Friendship pact."})
    assert (status, body["description"], body["start_year"], body["kind"]) == (
        200,
        "Friendship pact.",
        1995,
        "twinning",
    )
    assert post(personas.focal_b, url, {"action": "confirm", "start_year": 1995})[0] == 409
    status, body = post(personas.focal_b, url, {"action": "end", "end_year": 2022})
    assert (status, body["state"], body["end_year"]) == (200, "ended", 2022)
    assert [step["action"] for step in body["history"]] == [
        "recorded",
        "twinning_confirmed",
        "twinning_corrected",
        "twinning_ended",
    ]
    assert post(personas.focal_a, url, {"action": "dance"})[0] == 422
