"""The bundled member data, checked: points in their countries, plausible populations, every known year shown."""

import itertools

import pytest
from django.test import Client

from ccx.cities.gazetteer import by_id, find_city
from ccx.cities.models import City
from ccx.cities.quality import accepted_exceptions, member_findings, press_year
from ccx.cities.world import shapes_by_numeric_code, split_at_antimeridian

pytestmark = pytest.mark.django_db


def findings() -> list[tuple[str, str, str]]:
    members = City.objects.members().for_listing().order_by("name")
    return [(finding.city.name, finding.check, finding.accepted) for finding in member_findings(members)]


def test_every_member_passes_the_checks_or_is_an_accepted_exception() -> None:
    unaccepted = [(name, check) for name, check, accepted in findings() if not accepted]
    gaps = {"year-unknown", "location-unverified"}
    assert [finding for finding in unaccepted if finding[1] not in gaps] == []
    assert len([finding for finding in unaccepted if finding[1] == "year-unknown"]) == 19
    assert sorted(name for name, check in unaccepted if check == "location-unverified") == [
        "Chordeleg",
        "Idanha-a-Nova",
        "Vicente Lopez",
    ]


def test_every_accepted_exception_is_still_needed() -> None:
    """A documented exception that no longer matches a finding is stale: delete it from the file."""
    used = {(name, check) for name, check, accepted in findings() if accepted}
    assert {(name, check) for name, _code, check in accepted_exceptions()} == used


@pytest.mark.parametrize(
    ("slug", "geonames_id", "population"),
    [
        ("rome-it", 3169070, 2_318_895),
        ("istanbul-tr", 745044, 15_701_602),
        ("lyon-fr", 2996944, 520_774),
        ("barcelona-es", 3128760, 1_686_208),
        ("toronto-ca", 6167865, 2_794_356),
        ("shenzhen-cn", 1795565, 17_494_398),
        ("saint-petersburg-ru", 498817, 5_351_935),
    ],
)
def test_large_cities_carry_their_own_geonames_record(slug: str, geonames_id: int, population: int) -> None:
    city = City.objects.get(slug=slug)
    record = by_id(geonames_id)
    assert record is not None
    assert record.population == population
    assert (city.geonames_id, city.population) == (geonames_id, population)
    assert city.latitude == pytest.approx(record.latitude, abs=0.01)
    assert city.longitude == pytest.approx(record.longitude, abs=0.01)


@pytest.mark.parametrize(
    ("slug", "country", "latitude", "longitude"),
    [
        ("valencia-es", "Spain", 39.47, -0.38),
        ("merida-mx", "Mexico", 20.97, -89.62),
        ("kazan-ru", "Russian Federation", 55.79, 49.12),
        ("madaba-jo", "Jordan", 31.72, 35.79),
        ("salvador-br", "Brazil", -12.97, -38.51),
        ("bristol-gb", "United Kingdom", 51.45, -2.59),
    ],
)
def test_the_members_placed_far_from_their_cities_are_now_in_place(
    slug: str, country: str, latitude: float, longitude: float
) -> None:
    city = City.objects.select_related("country").get(slug=slug)
    assert city.country is not None
    assert city.country.name == country
    assert city.latitude == pytest.approx(latitude, abs=0.1)
    assert city.longitude == pytest.approx(longitude, abs=0.1)
    assert city.location_verified


def test_every_year_known_from_the_press_lists_shows_on_the_city_page(client: Client) -> None:
    members = City.objects.members().select_related("field")
    known = {city.slug: press_year(city) for city in members}
    assert len([year for year in known.values() if isinstance(year, int)]) == 268
    missing = [city.slug for city in members if isinstance(known[city.slug], int) and city.designation_year is None]
    assert missing == []
    early = [city for city in members if known[city.slug] == "<=2013" and city.designation_year is None]
    assert len(early) == 9
    assert all(city.designation_note for city in early)
    bologna = City.objects.get(slug="bologna-it")
    assert bologna.designation_year == 2006
    assert "2006" in client.get(bologna.get_absolute_url()).content.decode()


def test_a_member_without_its_press_year_is_a_finding() -> None:
    City.objects.filter(slug="bologna-it").update(designation_year=None)
    assert ("Bologna", "year-in-sources", "") in findings()


def test_the_gazetteer_prefers_the_city_to_its_districts_and_namesakes() -> None:
    assert find_city("Lyon", "FR").geonames_id == 2996944  # type: ignore[union-attr]  # not "Lyon 01"
    assert find_city("Valencia", "ES").geonames_id == 2509954  # type: ignore[union-attr]  # not Valencia, Venezuela
    assert find_city("Suphanburi", "TH").name == "Suphan Buri"  # type: ignore[union-attr]
    assert find_city("Torino", "IT").name == "Turin"  # type: ignore[union-attr]
    assert find_city("Atlantis", "GR") is None


def test_country_shapes_are_split_at_the_antimeridian() -> None:
    shapes = shapes_by_numeric_code()
    for code in ("643", "242"):  # Russia, Fiji
        for polygon in shapes[code].polygons:
            ring = polygon[0]
            assert all(abs(a[0] - b[0]) <= 180 for a, b in itertools.pairwise(ring))
    assert shapes["643"].contains(177.5, 64.7)  # Anadyr, east of the meridian
    assert shapes["643"].contains(-172.0, 66.0)  # Chukotka, west of it
    assert not shapes["643"].contains(0.0, 66.0)
    pieces = split_at_antimeridian([(179.0, 0.0), (-179.0, 0.0), (-179.0, 1.0), (179.0, 1.0)])
    assert sorted(sorted({x for x, _ in piece}) for piece in pieces) == [[-180.0, -179.0], [179.0, 180.0]]
