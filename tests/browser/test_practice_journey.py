"""A focal point shares a practice with an image; the secretariat reviews it; a visitor finds it by facet."""

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Page, expect

from ccx.accounts.services import make_secretariat
from ccx.cities.models import City
from ccx.practices.models import Practice, Status
from tests.browser.conftest import accessibility_violations
from tests.conftest import PASSWORD, make_user


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def photo(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (180, 90, 40)).save(buffer, "JPEG")
    path = tmp_path / "market.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def test_submit_review_publish_and_find(page: Page, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    city = City.objects.get(slug="ashgabat-tm")
    make_user("focal-a", cities=(city,))
    make_secretariat(make_user("reviewer"))

    sign_in(page, "focal-a")
    page.goto("/practices/new/")
    assert accessibility_violations(page) == []
    page.get_by_label("Title").fill("Carpet weavers' open studios")
    page.get_by_label("Tagline").fill("Weaving workshops open to visitors every weekend")
    page.get_by_label("Summary").fill("The city opened the studios of carpet weavers to visitors and schools.")
    page.get_by_label("Lead city").select_option(value=str(city.pk))
    page.get_by_label("Design").check()
    page.get_by_label("Tourism").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Story and results")
    page.get_by_label("Description").fill("Twelve studios open **every weekend**, with guided visits.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Actors and measured results")
    page.locator("#id_indicators-0-name").fill("Visitors per year")
    page.locator("#id_indicators-0-value").fill("5400")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Add an image")).to_be_visible()
    page.locator("#id_image").set_input_files(str(photo(tmp_path)))
    page.get_by_label("Text alternative").fill("A weaver at her loom")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("img", name="A weaver at her loom")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Continue to the preview").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("The practice is now: Submitted.")).to_be_visible()
    sign_out(page)

    sign_in(page, "reviewer")
    page.goto("/practices/review/")
    page.get_by_role("link", name="Carpet weavers' open studios").click()
    page.get_by_label("Comment to the author").fill("Please say who runs the studios.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("The practice is now: Changes requested.")).to_be_visible()
    sign_out(page)

    sign_in(page, "focal-a")
    expect(page.get_by_role("link", name=re.compile("Changes requested on Carpet weavers"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Changes requested on Carpet weavers")).click()
    expect(page.get_by_text("Please say who runs the studios.")).to_be_visible()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("link", name="Actors and measured results").click()
    page.locator("#id_actors-0-name").fill("Union of Weavers")
    page.locator("#id_actors-0-kind").select_option("civil_society")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("button", name="Submit for review").click()
    sign_out(page)

    sign_in(page, "reviewer")
    practice = Practice.objects.get(title="Carpet weavers' open studios")
    page.goto(practice.get_absolute_url())
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The practice is now: Published.")).to_be_visible()
    sign_out(page)
    assert Practice.objects.get(pk=practice.pk).status == Status.PUBLISHED

    page.goto("/practices/")
    page.get_by_role("group", name="Theme").get_by_label("Tourism").check()
    expect(page.locator("#results-heading")).to_have_attribute("data-count", "1")
    page.get_by_role("link", name="Carpet weavers' open studios").click()
    expect(page.get_by_role("img", name="A weaver at her loom")).to_be_visible()
    expect(page.get_by_text("Union of Weavers")).to_be_visible()
    expect(page.get_by_role("cell", name="5,400")).to_be_visible()
    assert accessibility_violations(page) == []
