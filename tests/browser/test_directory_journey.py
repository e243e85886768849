"""A visitor browses the member directory, filters by field, opens a city and switches to Chinese."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import accessibility_violations


def test_browse_filter_open_a_city_and_switch_to_chinese(page: Page) -> None:
    page.goto("/cities/")
    expect(page.get_by_role("heading", name="350 cities")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_label("Gastronomy").check()
    expect(page.get_by_role("heading", name="56 cities")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/cities/\?.*field=gastronomy"))
    badges = page.locator('[data-testid="city-list"] .badge.field-gastronomy')
    expect(badges).to_have_count(24)

    page.get_by_label("Search by name").fill("Gangneung")
    expect(page.get_by_role("heading", name="1 city")).to_be_visible()
    page.get_by_role("link", name="Gangneung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gangneung")
    expect(page.locator(".leaflet-interactive")).to_have_count(1)
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/cities/gangneung-kr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="城市")).to_be_visible()
    expect(page.get_by_text("美食之都")).to_be_visible()
    assert accessibility_violations(page) == []


def test_the_directory_filters_without_javascript_state_in_the_url(page: Page) -> None:
    page.goto("/cities/?field=film&region=EU&sort=-year")
    heading = page.locator("#results-heading")
    count = int(heading.get_attribute("data-count") or "0")
    assert count > 0
    expect(page.get_by_label("Film")).to_be_checked()
    expect(page.get_by_label("Europe")).to_be_checked()
    page.get_by_label("Europe").uncheck()
    expect(page).not_to_have_url(re.compile("region=EU"))
    assert int(heading.get_attribute("data-count") or "0") > count
    page.go_back()
    expect(page).to_have_url(re.compile("region=EU"))


def shown_points(page: Page) -> int:
    """Cities on the map: single points plus the numbers of the clusters."""
    clustered = "[...document.querySelectorAll('.map-cluster span')].reduce((n, e) => n + Number(e.textContent), 0)"
    single = "document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
    return int(page.evaluate(f"() => {clustered} + {single}"))


# The longest step between two consecutive points of a country outline, in pixels: a ring that jumps from
# +180° to -180° draws a strip across the whole world.
LONGEST_STEP = """() => Math.max(...[...document.querySelectorAll('.map-countries-pane path')].flatMap((path) =>
  path.getAttribute('d').split(/[Mm]/).filter(Boolean).map((ring) => {
    const xs = [...ring.matchAll(/(-?[\\d.]+)[ ,](-?[\\d.]+)/g)].map((m) => Number(m[1]));
    return Math.max(0, ...xs.slice(1).map((x, i) => Math.abs(x - xs[i])));
  })))"""


def test_the_map_shows_every_located_member_offline_clustered_and_without_strips(page: Page) -> None:
    page.goto("/cities/map/")
    expect(page.get_by_text("349 cities with a known location are shown.")).to_be_visible()
    expect(page.locator(".map-cluster").first).to_be_visible()
    assert shown_points(page) == 349
    # Clusters and points stay out of the Tab order: the list of cities is the keyboard's way in.
    assert page.locator(".leaflet-marker-pane [tabindex]:not([tabindex='-1'])").count() == 0
    # No country outline jumps across the antimeridian (a strip over the whole map).
    world = 256 * 2**2  # pixels: the map opens at zoom 2
    assert 0 < page.evaluate(LONGEST_STEP) < world / 4
    page.get_by_label("Music").uncheck()
    page.wait_for_timeout(300)
    assert shown_points(page) == 349 - 75
    assert accessibility_violations(page) == []


def test_home_and_sdg_pages_are_accessible(page: Page) -> None:
    for path in ("/", "/sdg/", "/sdg/11/", "/fr/sdg/11/?text=ar", "/about/data/", "/accounts/login/"):
        page.goto(path)
        assert accessibility_violations(page) == [], path
