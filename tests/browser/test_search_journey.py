"""A visitor searches the library in Chinese and asks for solutions to a challenge in French."""

from playwright.sync_api import Page, expect

from ccx.accounts.services import make_secretariat
from ccx.cities.models import City
from ccx.practices.models import Practice
from ccx.search.index import index_practices, live_index
from tests.browser.conftest import accessibility_violations
from tests.conftest import make_user
from tests.practices.factories import published_practice


def test_search_in_chinese_and_find_solutions_in_french(page: Page) -> None:
    live_index.reset()
    city = City.objects.get(slug="ashgabat-tm")
    author, reviewer = make_user("focal-a", cities=(city,)), make_user("reviewer")
    make_secretariat(reviewer)
    for title, text in (
        ("Rainwater gardens", "Neighbourhood gardens collect rainwater and prevent flooding of streets after storms."),
        ("Library on wheels", "A bus full of books visits remote districts so that children can borrow books."),
    ):
        published_practice(author, reviewer, city, title, summary=text, description=text)
    index_practices(Practice.objects.all())

    page.goto("/zh-hans/practices/")
    page.locator("#practice-q").fill("雨水和街道洪水")
    expect(page.locator("#results-heading")).to_have_attribute("data-count", "1")
    expect(page.get_by_role("link", name="Rainwater gardens")).to_be_visible()
    assert accessibility_violations(page) == []

    page.goto("/fr/practices/find-solutions/")
    page.get_by_label("Votre défi").fill("Les enfants des quartiers éloignés n'ont pas accès aux livres")
    page.get_by_role("button", name="Trouver des solutions").click()
    first = page.locator("article.match").first
    expect(first.get_by_role("link")).to_have_text("Library on wheels")
    expect(first.locator(".reasons li").first).to_contain_text("traite le même problème")
    assert accessibility_violations(page) == []
    live_index.reset()
