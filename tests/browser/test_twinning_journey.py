"""Issue 14 end to end: a focal point confirms a twinning recorded from Wikidata, with its year; the city page
and the network then show it as confirmed. At phone and desktop sizes, checked with axe-core."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ccx.cities.models import City
from ccx.partnerships.importers import import_twinnings
from ccx.partnerships.models import Partnership
from tests.browser.conftest import accessibility_violations
from tests.browser.test_practice_journey import sign_in
from tests.conftest import make_user
from tests.partnerships.factories import Outside, member_row, twinning_files

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SCREENSHOTS = os.environ.get("CCX_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def twinned(real_data: None, tmp_path: Path) -> City:
    ashgabat, gangneung = City.objects.get(slug="ashgabat-tm"), City.objects.get(slug="gangneung-kr")
    merv = Outside("Q1000", "Merv", "TM", latitude=37.66, longitude=62.19)
    links, nodes = twinning_files(
        tmp_path, [member_row(ashgabat, "Q23800", gangneung, "Q42125"), member_row(ashgabat, "Q23800", merv)], [merv]
    )
    import_twinnings(links, nodes)
    make_user("focal-a", cities=(ashgabat,))
    return ashgabat


@pytest.mark.parametrize("size", SIZES)
def test_a_focal_point_confirms_a_twinning_with_its_year(page: Page, twinned: City, size: str) -> None:
    page.set_viewport_size(SIZES[size])  # type: ignore[arg-type]
    page.goto(twinned.get_absolute_url())
    twinnings = page.locator(".city-twinnings")
    expect(twinnings).to_contain_text("Twinnings come from public records (Wikidata P190")
    expect(twinnings.get_by_role("link", name="Merv")).to_be_visible()
    assert accessibility_violations(page) == []

    sign_in(page, "focal-a")
    page.goto(twinned.get_absolute_url())
    page.locator(".city-twinnings li", has_text="Gangneung").get_by_role("link", name="Recorded, unconfirmed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashgabat – Gangneung")
    expect(page.locator(".public-record")).to_contain_text("not confirmed by the cities")
    assert accessibility_violations(page) == []
    shot(page, f"twinning-recorded-{size}")
    confirm = page.get_by_test_id("confirm-twinning")
    confirm.get_by_label("Year it began").fill("1998")
    confirm.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("now shows as confirmed")
    expect(page.locator(".practice-head .badge").first).to_have_text("Confirmed by the cities")
    expect(page.locator(".practice-head")).to_contain_text("since 1998")
    assert accessibility_violations(page) == []
    shot(page, f"twinning-confirmed-{size}")
    assert Partnership.objects.get(slug="ashgabat-gangneung").start_year == 1998

    page.goto(twinned.get_absolute_url())
    expect(page.locator(".city-twinnings li", has_text="Gangneung")).to_contain_text(
        "Confirmed by the cities · since 1998"
    )

    page.goto("/cooperation/")
    page.get_by_label("State").select_option(label="Confirmed by the cities")
    page.get_by_role("button", name="Show").click()
    table = page.locator("table", has_text="Ashgabat")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("Ashgabat – Gangneung")
    expect(page.locator(".network-map .leaflet-interactive").first).to_be_attached()
    assert accessibility_violations(page) == []
    shot(page, f"network-confirmed-{size}")
