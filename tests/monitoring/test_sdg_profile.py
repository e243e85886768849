"""A city's SDG page (charts, records by goal, peers) and its SDG summary publication in EN, FR and ZH."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ccx.cities.models import City
from ccx.monitoring.profile import sdg_profile
from ccx.monitoring.publishing import build_sdg_summary
from ccx.publications.models import BuildStatus
from ccx.sdg.models import Target
from ccx.sdg.values import import_indicator_values
from tests.conftest import Personas
from tests.monitoring.tools import assert_valid_epub, pdf_text
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db
GOOD_FILE = (
    "city,indicator,year,value,unit,source,method_note,disaggregation\n"
    "ashgabat-tm,11.6.2,2017,31,µg/m³,Test air survey,Annual mean of PM2.5,\n"
    "ashgabat-tm,11.6.2,2019,27.5,µg/m³,Test air survey,Annual mean of PM2.5,\n"
    "ashgabat-tm,11.6.2,2021,22,µg/m³,Test air survey,Annual mean of PM2.5,\n"
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def values(tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text(GOOD_FILE, encoding="utf-8")
    import_indicator_values(path)


def test_a_good_file_shows_as_a_chart_on_the_citys_sdg_page(personas: Personas, values: None) -> None:
    page = personas.anonymous.get("/progress/cities/ashgabat-tm/sdg/").content.decode()
    assert page.count('data-testid="indicator-series"') == 1
    assert "<polyline" in page
    assert "Values of indicator 11.6.2 by year, in µg/m³" in page
    for year, value in (("2017", "31"), ("2019", "27.5"), ("2021", "22")):
        assert f">{year}</text>" in page
        assert f">{value}</text>" in page
    assert 'data-testid="no-values"' not in page


def test_a_city_without_values_says_so_and_how_to_add_them(personas: Personas) -> None:
    page = personas.focal_b.get("/progress/cities/gangneung-kr/sdg/").content.decode()
    assert 'data-testid="no-values"' in page
    assert "No indicator values have been recorded for Gangneung yet." in page
    assert "/progress/cities/gangneung-kr/sdg/values/new/" in page  # the focal point may add them
    anonymous = personas.anonymous.get("/progress/cities/gangneung-kr/sdg/").content.decode()
    assert "/sdg/values/new/" not in anonymous


def test_peers_of_the_same_region_or_size_are_compared(personas: Personas, values: None, tmp_path: Path) -> None:
    asian = City.objects.members().filter(country__region="AS").exclude(pk=personas.city_a.pk).order_by("name")[0]
    far_and_small = City.objects.members().filter(country__region="EU", population__lt=100_000).first()
    assert far_and_small is not None
    path = tmp_path / "peers.csv"
    path.write_text(
        "city,indicator,year,value,unit,source\n"
        f"{asian.slug},11.6.2,2020,40,µg/m³,Test\n"
        f"{asian.slug},11.6.2,2022,35,µg/m³,Test\n"
        f"{far_and_small.slug},11.6.2,2022,9,µg/m³,Test\n",
        encoding="utf-8",
    )
    import_indicator_values(path)
    [comparison] = sdg_profile(personas.city_a, AnonymousUser()).comparisons
    assert [(peer.city.slug, peer.value.year, peer.reason) for peer in comparison.peers] == [
        (asian.slug, 2022, "region" if not _similar(personas.city_a, asian) else "both")
    ]


def _similar(city: City, other: City) -> bool:
    return bool(city.population and other.population and 0.5 <= city.population / other.population <= 2)


def test_records_are_grouped_by_goal_and_target(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Design school")
    practice.sdg_targets.set(Target.objects.filter(code__in=["11.4", "4.4"]))
    goals = sdg_profile(personas.city_a, AnonymousUser()).goals
    assert [(entry.goal.number, [t.target.code for t in entry.targets]) for entry in goals] == [
        (4, ["4.4"]),
        (11, ["11.4"]),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["SDG 11: Sustainable cities and communities", "Annual mean levels of fine particulate matter"]),
        ("fr", ["SDG 11: Villes et communautés durables", "Niveau moyen annuel de particules fines"]),
        ("zh-hans", ["SDG 11: 可持续的城市和社区", "城市细颗粒物"]),
    ],
)
def test_the_sdg_summary_builds_in_every_site_language(
    personas: Personas, values: None, language: str, expected: list[str]
) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Clean air days")
    practice.sdg_targets.set(Target.objects.filter(code__in=["11.6"]))
    build = build_sdg_summary(personas.city_a, language, personas.focal_a_user)
    build.refresh_from_db()
    assert (build.status, build.language, build.error) == (BuildStatus.DONE, language, "")
    assert_valid_epub(build)
    text = " ".join(pdf_text(build).split())
    for phrase in expected:
        assert phrase in text
    assert "Clean air days" in text
    assert "27.5" in text


def test_only_the_citys_focal_points_and_the_secretariat_build_the_summary(personas: Personas) -> None:
    from ccx.monitoring.errors import MonitoringError
    from ccx.monitoring.models import SdgSummary

    with pytest.raises(MonitoringError):
        build_sdg_summary(personas.city_a, "en", personas.focal_b_user)
    assert not SdgSummary.objects.exists()
