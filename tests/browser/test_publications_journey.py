"""The secretariat makes a publication and builds it; a visitor browses an exhibition with the keyboard only."""

import io
import re
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from ccx.accounts.services import make_secretariat
from ccx.cities.models import City, CreativeField
from ccx.practices.images import attach_image
from tests.browser.conftest import accessibility_violations
from tests.browser.test_practice_journey import sign_in
from tests.conftest import make_user
from tests.publications.factories import book_practice, make_exhibition


def photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}; focus is on {page.evaluate('document.activeElement.outerHTML')}")


def test_the_secretariat_builds_a_publication_and_downloads_it(page: Page, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    secretariat = make_user("editor")
    make_secretariat(secretariat)
    book_practice(secretariat, City.objects.get(slug="ashgabat-tm"), "Masks from the theatre workshops")
    book_practice(secretariat, City.objects.get(slug="gangneung-kr"), "Masks for the market traders")

    sign_in(page, "editor")
    page.goto("/publications/")
    page.get_by_role("link", name="New publication").click()
    page.locator("#id_title").fill("Cities and masks")
    page.locator("#id_subtitle").fill("How cities answered the pandemic")
    page.locator("#id_is_published").check()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cities and masks")

    page.get_by_role("link", name="Add a chapter").click()
    page.locator("#id_title").fill("Health")
    page.get_by_role("button", name="Save the chapter").click()
    page.get_by_label("Search published practices").fill("Masks")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Masks from the theatre workshops").check()
    page.get_by_label("Masks for the market traders").check()
    page.get_by_role("button", name="Add the ticked practices").click()
    expect(page.get_by_test_id("chapter-practices").get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Move down: Masks for the market traders").is_visible()
    page.get_by_role("button", name="Move up: Masks for the market traders").click()
    page.get_by_role("button", name="Save the order").click()
    expect(page.get_by_test_id("chapter-practices").get_by_role("listitem").first).to_contain_text(
        "Masks for the market traders"
    )
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Cities and masks").click()
    page.get_by_label("Edition:").select_option("en")
    page.get_by_role("button", name="Build", exact=True).click()
    status = page.get_by_test_id("build-status").first
    expect(status.locator("progress")).to_have_attribute("value", "100", timeout=60_000)
    expect(status).to_contain_text("Ready")
    assert accessibility_violations(page) == []
    with page.expect_download() as epub:
        status.get_by_role("link", name="Download EPUB").click()
    assert epub.value.suggested_filename == "cities-and-masks-en-v1.epub"
    assert Path(epub.value.path()).read_bytes()[:2] == b"PK"
    with page.expect_download() as pdf:
        status.get_by_role("link", name="Download PDF").click()
    assert pdf.value.suggested_filename == "cities-and-masks-en-v1.pdf"
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"

    page.get_by_role("link", name="Web edition (English)").click()
    expect(page.get_by_role("heading", name="1.1 Masks for the market traders")).to_be_visible()
    assert accessibility_violations(page) == []


def test_a_visitor_browses_an_exhibition_with_the_keyboard(page: Page, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    secretariat = make_user("curator")
    make_secretariat(secretariat)
    design = CreativeField.objects.get(slug="design").pk
    carpets = book_practice(secretariat, City.objects.get(slug="ashgabat-tm"), "Carpet museum nights", fields=[design])
    attach_image(carpets, photo((180, 90, 40)), "A carpet on a loom", "The loom", "Museum of carpets")
    attach_image(carpets, photo((40, 90, 180)), "Visitors at night", "Night opening", "Museum of carpets")
    temples = book_practice(secretariat, City.objects.get(slug="gangneung-kr"), "Temple food festival")
    make_exhibition(secretariat, [carpets, temples], title="Living heritage", is_featured=True)

    page.goto("/")
    expect(page.get_by_role("heading", name="Living heritage")).to_be_visible()  # featured on the home page
    page.goto("/publications/")
    tab_to(page, page.get_by_role("link", name="Living heritage"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Living heritage")
    assert accessibility_violations(page) == []
    tab_to(page, page.get_by_role("link", name="Carpet museum nights"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carpet museum nights")
    assert accessibility_violations(page) == []

    first_image = page.get_by_role("link", name="A carpet on a loom (open image 1 larger)")
    tab_to(page, first_image)
    page.keyboard.press("Enter")
    viewer = page.get_by_role("dialog")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_role("img")).to_have_attribute("alt", "A carpet on a loom")
    page.keyboard.press("ArrowRight")
    expect(viewer.get_by_role("img")).to_have_attribute("alt", "Visitors at night")
    expect(viewer).to_contain_text("2 / 2")
    assert accessibility_violations(page) == []
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(first_image).to_be_focused()

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Next.*Temple food festival$")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Temple food festival")
    tab_to(page, page.get_by_role("link", name="Back to the exhibition"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Living heritage")
    tab_to(page, page.get_by_label("Creative field"))
    page.keyboard.press("ArrowDown")  # choosing a field filters the gallery (htmx), still by keyboard
    expect(page.get_by_test_id("exhibition-cards").get_by_role("listitem")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?field=design"))  # a shareable address
    assert accessibility_violations(page) == []
