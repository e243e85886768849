"""Searchable multi-selects: a focal point picks partner cities with the keyboard only, on a phone."""

from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.conftest import accessibility_violations
from tests.conftest import Personas


def test_a_focal_point_picks_partner_cities_by_typing(
    browser: Browser, live_server: Any, real_data: None, personas: Personas
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": personas.focal_a.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/practices/new/")
    search = page.get_by_role("combobox", name="Partner cities")
    expect(page.locator("select[name=partner_cities]")).to_be_hidden()
    search.fill("gangn")
    listbox = page.get_by_role("listbox", name="Partner cities")
    expect(listbox.get_by_role("option")).to_have_text(["Gangneung (KR)"])
    assert accessibility_violations(page) == []
    search.press("Enter")
    expect(page.get_by_role("button", name="Remove Gangneung (KR)")).to_be_visible()
    assert page.eval_on_selector(
        "select[name=partner_cities]", "select => [...select.selectedOptions].map(o => o.textContent)"
    ) == ["Gangneung (KR)"]
    search.fill("zzzz")
    expect(listbox).to_contain_text("No match")
    search.fill("")
    search.press("Backspace")
    expect(page.get_by_role("button", name="Remove Gangneung (KR)")).to_have_count(0)
    assert page.eval_on_selector("select[name=partner_cities]", "select => select.selectedOptions.length") == 0
    search.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    assert accessibility_violations(page) == []
    context.close()
    assert errors == []
