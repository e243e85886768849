"""A focal point posts a challenge and sees what answers it; another city answers in the clinic; it concludes."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ccx.cities.models import City
from ccx.practices.models import Practice
from ccx.search.index import index_practices, live_index
from tests.browser.conftest import accessibility_violations
from tests.browser.test_practice_journey import sign_in, sign_out
from tests.conftest import make_user
from tests.practices.factories import published_practice


@pytest.fixture
def seeded(real_data: None) -> Iterator[None]:
    """Focal points of Ashgabat (A) and Gangneung (B); B has shared two practices, indexed for matching."""
    city_a, city_b = City.objects.get(slug="ashgabat-tm"), City.objects.get(slug="gangneung-kr")
    make_user("focal-a", cities=(city_a,))
    focal_b = make_user("focal-b", cities=(city_b,))
    reviewer = make_user("reviewer", staff=True)
    live_index.reset()
    for title, text in (
        ("Pop-up studios in empty shops", "Young designers rent empty shops in the historic centre for a low rent."),
        ("Clean rivers with citizen science", "Volunteers measure river pollution with sensors and open data."),
    ):
        published_practice(focal_b, reviewer, city_b, title, summary=text, description=text)
    index_practices(Practice.objects.all())
    yield
    live_index.reset()


def test_post_a_challenge_answer_it_in_the_clinic_and_conclude(page: Page, seeded: None) -> None:
    sign_in(page, "focal-a")
    page.goto("/challenges/")
    page.get_by_role("link", name="Post a challenge").click()
    expect(page.get_by_label("City")).to_have_value(str(City.objects.get(slug="ashgabat-tm").pk))
    assert accessibility_violations(page) == []
    page.get_by_label("Title").fill("Empty shops in the old town")
    page.get_by_label("Problem statement").fill(
        "Our challenge is that a third of the shops in the historic centre stand empty, "
        "and young designers cannot afford a studio."
    )
    page.get_by_label("Obstacles met so far").fill("Landlords wait for buyers\nNo budget line for temporary uses")
    page.get_by_label("Economy and jobs").check()
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Post the challenge").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Empty shops in the old town")
    matches = page.get_by_test_id("matches")
    expect(matches.get_by_role("link", name="Pop-up studios in empty shops")).to_be_visible()
    expect(matches.get_by_text("addresses the same problem").first).to_be_visible()
    expect(page.get_by_test_id("peers").get_by_role("link", name="Gangneung", exact=True)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Landlords wait for buyers")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Invite Gangneung to the clinic").click()
    expect(page.get_by_text("Gangneung is invited to the clinic")).to_be_visible()
    challenge_url = page.url.split("#")[0]
    sign_out(page)

    sign_in(page, "focal-b")
    page.goto(challenge_url)
    form = page.get_by_test_id("respond-form")
    form.get_by_label("A practice we offer").check()
    form.get_by_label("Your response").fill("We let designers use empty shops for a symbolic rent; it filled 14.")
    form.get_by_label("Find a practice of the library by its title").fill("pop-up")
    expect(form.get_by_label("Practice", exact=True).locator("option")).to_have_count(2)  # "none" and the match
    form.get_by_label("Practice", exact=True).select_option(label="Pop-up studios in empty shops (Gangneung)")
    assert accessibility_violations(page) == []
    form.get_by_role("button", name="Send the response").click()
    response = page.get_by_test_id("response")
    expect(response).to_contain_text("it filled 14")
    expect(response.get_by_role("link", name="Pop-up studios in empty shops")).to_be_visible()
    sign_out(page)

    sign_in(page, "focal-a")
    page.goto(challenge_url)
    page.get_by_role("button", name="Mark as helped").click()
    expect(page.get_by_test_id("response").get_by_text("Helped", exact=True)).to_be_visible()
    conclusion = page.get_by_test_id("conclude-form")
    conclusion.get_by_label("The key obstacles").fill("Landlords wait for buyers; no budget line.")
    conclusion.get_by_label("The ideas to try").fill("Pop-up leases for one street, as in Gangneung.")
    conclusion.get_by_role("button", name="Save the conclusion").click()
    expect(page.get_by_role("heading", name="Conclusion of the clinic")).to_be_visible()
    expect(page.locator("#conclusion")).to_contain_text("Pop-up leases for one street, as in Gangneung.")
    assert accessibility_violations(page) == []
    sign_out(page)

    page.goto("/challenges/?status=concluded")
    expect(
        page.get_by_test_id("challenge-list").get_by_role("link", name="Empty shops in the old town")
    ).to_be_visible()
    assert accessibility_violations(page) == []
