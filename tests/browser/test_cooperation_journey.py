"""Issue 5 end to end: a challenge, a clinic response, a partnership agreed by both cities, a recorded transfer."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ccx.cities.models import City
from ccx.partnerships.models import Partnership, Transfer
from ccx.practices.models import Practice
from ccx.search.index import index_practices, live_index
from tests.browser.conftest import accessibility_violations
from tests.browser.test_practice_journey import sign_in, sign_out
from tests.conftest import make_user
from tests.practices.factories import published_practice


@pytest.fixture
def cities_with_practices(real_data: None) -> Iterator[None]:
    """City A (Ashgabat) has its own practice to link as the adapted version; city B (Gangneung) shares one."""
    city_a, city_b = City.objects.get(slug="ashgabat-tm"), City.objects.get(slug="gangneung-kr")
    focal_a = make_user("focal-a", cities=(city_a,))
    focal_b = make_user("focal-b", cities=(city_b,))
    reviewer = make_user("reviewer", staff=True)
    live_index.reset()
    text = "Young designers rent empty shops in the historic centre for a symbolic rent, one season at a time."
    published_practice(focal_b, reviewer, city_b, "Pop-up studios in empty shops", summary=text, description=text)
    mine = "Designers from the academy run temporary studios in the old bazaar."
    published_practice(focal_a, reviewer, city_a, "Bazaar studios for young designers", summary=mine, description=mine)
    index_practices(Practice.objects.all())
    yield
    live_index.reset()


def post_challenge(page: Page) -> str:
    page.goto("/challenges/new/")
    page.get_by_label("Title").fill("Empty shops in the old town")
    page.get_by_label("Problem statement").fill(
        "A third of the shops in the historic centre stand empty and young designers cannot afford a studio."
    )
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Post the challenge").click()
    matches = page.get_by_test_id("matches")
    expect(matches.get_by_role("link", name="Pop-up studios in empty shops")).to_be_visible()
    expect(matches.get_by_text("addresses the same problem").first).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Open as a case clinic").click()
    expect(page.get_by_role("button", name="Close the clinic")).to_be_visible()
    return page.url.split("#")[0]


def respond_with_practice(page: Page, challenge_url: str) -> None:
    page.goto(challenge_url)
    form = page.get_by_test_id("respond-form")
    form.get_by_label("A practice we offer").check()
    form.get_by_label("Your response").fill("Our pop-up leases filled fourteen shops in two years.")
    form.get_by_label("Find a practice of the library by its title").fill("pop-up")
    form.get_by_label("Practice", exact=True).select_option(label="Pop-up studios in empty shops (Gangneung)")
    form.get_by_role("button", name="Send the response").click()
    expect(page.get_by_test_id("response")).to_contain_text("fourteen shops")


def test_challenge_clinic_partnership_and_transfer(page: Page, cities_with_practices: None) -> None:
    sign_in(page, "focal-a")
    challenge_url = post_challenge(page)
    sign_out(page)

    sign_in(page, "focal-b")
    respond_with_practice(page, challenge_url)
    sign_out(page)

    # A proposes a partnership to B from B's practice.
    sign_in(page, "focal-a")
    page.goto(Practice.objects.get(title="Pop-up studios in empty shops").get_absolute_url())
    page.locator("#transfers").get_by_role("link", name="Propose a partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a partnership")
    expect(page.locator("select[name=cities]")).to_have_values([str(City.objects.get(slug="gangneung-kr").pk)])
    expect(page.locator("select[name=cities] + .combobox .combobox-chip")).to_have_count(1)  # the chosen city
    practice_slug = Practice.objects.get(title="Pop-up studios in empty shops").slug
    expect(page.locator("select[name=practices]")).to_have_values([practice_slug])  # and the practice it came from
    expect(page.locator("select[name=practices] + .combobox .combobox-chip")).to_have_text(
        "Pop-up studios in empty shops (Gangneung)"
    )
    page.get_by_label("Title").fill("Pop-up studios for Ashgabat")
    page.get_by_label("Type").select_option(label="Knowledge exchange")
    page.get_by_label("Goals").fill("Adapt Gangneung's pop-up leases to the old bazaar.")
    page.get_by_label("Milestones").fill("2027-04-01 Study visit to Gangneung")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("Proposal sent.")).to_be_visible()
    expect(page.locator(".lifecycle [aria-current=step]")).to_have_text("Proposed")
    partnership_url = page.url
    sign_out(page)

    # B confirms; every party has now confirmed, so it is agreed.
    sign_in(page, "focal-b")
    expect(
        page.get_by_role("link", name="Ashgabat proposes a partnership: Pop-up studios for Ashgabat")
    ).to_be_visible()
    page.goto(partnership_url)
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Confirm for Gangneung").click()
    expect(page.locator(".lifecycle [aria-current=step]")).to_have_text("Agreed")
    expect(page.get_by_role("table").get_by_text("confirmed")).to_have_count(2)
    sign_out(page)
    assert Partnership.objects.get().status == "agreed"

    # A records that it adapted B's practice, within the partnership.
    sign_in(page, "focal-a")
    page.goto(Practice.objects.get(title="Pop-up studios in empty shops").get_absolute_url())
    page.get_by_role("link", name="Record an adaptation").click()
    expect(page.get_by_label("Adapting city:")).to_have_value(str(City.objects.get(slug="ashgabat-tm").pk))
    page.get_by_label("What was adapted").fill("The one-season lease and the rent formula.")
    page.get_by_label("Status").select_option(label="Adapting")
    page.get_by_label("The adapting city's own practice").fill(
        Practice.objects.get(title="Bazaar studios for young designers").slug
    )
    page.get_by_label("Within the partnership").select_option(label="Pop-up studios for Ashgabat")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Record the transfer").click()
    expect(page.get_by_text("Transfer recorded.")).to_be_visible()
    assert Transfer.objects.get().partnership is not None
    sign_out(page)

    # Both practices and the network view show it, to anyone.
    page.goto(Practice.objects.get(title="Pop-up studios in empty shops").get_absolute_url())
    expect(page.locator("#transfers").get_by_role("link", name="Ashgabat", exact=True)).to_be_visible()
    page.goto(Practice.objects.get(title="Bazaar studios for young designers").get_absolute_url())
    expect(page.locator("#transfers").get_by_role("link", name="Pop-up studios in empty shops")).to_be_visible()
    page.goto("/cooperation/")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="Pop-up studios in empty shops").filter(has_text="Transfer")).to_have_count(1)
    expect(rows.filter(has_text="Pop-up studios for Ashgabat").filter(has_text="Partnership")).to_have_count(1)
    expect(page.locator(".network-map path.network-link-transfer")).to_have_count(1)
    assert accessibility_violations(page) == []
