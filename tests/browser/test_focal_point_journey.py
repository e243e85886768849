"""The secretariat invites a focal point from the city page; the invitee sets a password and edits the city.

On a phone and on a desktop, with axe-core at every step.
"""

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, ViewportSize, expect

from ccx.accounts.services import make_secretariat
from ccx.cities.models import City
from tests.browser.conftest import accessibility_violations
from tests.browser.test_practice_journey import sign_in, sign_out
from tests.conftest import make_user

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 900},
}
NEW_PASSWORD = "lanterns-over-the-old-port-7"


def open_menu_on_a_phone(page: Page) -> None:
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_secretariat_invites_a_focal_point_who_sets_a_password_and_edits_the_city(
    browser: Browser, live_server: Any, real_data: None, screen: str
) -> None:
    make_secretariat(make_user("editor"))
    city = City.objects.get(slug="ashgabat-tm")
    context = browser.new_context(base_url=live_server.url, viewport=SCREENS[screen], locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    sign_in(page, "editor")
    page.goto(city.get_absolute_url())
    people = page.get_by_role("region", name="People")
    expect(people).to_contain_text("Ashgabat has no focal point on this site yet.")
    people.get_by_label("E-mail address").fill("amina@example.org")
    people.get_by_label("Name").fill("Amina Diallo")
    assert accessibility_violations(page) == []
    people.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("An invitation was sent to amina@example.org.")
    expect(people).to_contain_text("Invitations waiting for an answer")
    expect(people.get_by_role("button", name="Revoke the invitation to amina@example.org")).to_be_visible()
    assert accessibility_violations(page) == []
    link = re.search(r"http://\S+(/accounts/invitation/\S+/)", str(mail.outbox[-1].body))
    assert link is not None
    open_menu_on_a_phone(page)
    sign_out(page)

    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Become the focal point of Ashgabat")
    page.get_by_label("User name").fill("amina")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill("a different one 12")
    page.get_by_role("button", name="Accept and sign in").click()
    expect(page.locator("#id_password2")).to_be_focused()  # the first problem, brought into view
    assert accessibility_violations(page) == []
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accept and sign in").click()

    expect(page.get_by_role("status")).to_contain_text("You are now the focal point of Ashgabat")
    page.locator("#id_about").fill("Ashgabat, the white-marble capital, designs its public spaces with its people.")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Ashgabat, the white-marble capital")
    expect(page.get_by_role("region", name="People")).to_contain_text("Amina Diallo")
    assert accessibility_violations(page) == []
    context.close()
    assert errors == []
