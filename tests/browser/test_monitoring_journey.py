"""A focal point drafts the city's monitoring report from its records and submits it; the secretariat asks for
changes, then accepts it; the board and the city's SDG page are checked with axe-core. Phone and desktop."""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ccx.accounts.services import make_secretariat
from ccx.cities.models import City
from ccx.monitoring.models import Report, ReportStatus
from ccx.sdg.models import Target
from ccx.sdg.values import import_indicator_values
from tests.browser.conftest import accessibility_violations
from tests.browser.test_practice_journey import sign_in, sign_out
from tests.conftest import make_user
from tests.practices.factories import published_practice

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SHOTS = Path(os.environ.get("CCX_SCREENSHOTS", "")) if os.environ.get("CCX_SCREENSHOTS") else None


def shoot(page: Page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def clean(page: Page) -> None:
    assert accessibility_violations(page) == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_draft_submit_request_changes_accept(page: Page, settings: Any, tmp_path: Path, size: str) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size(SIZES[size])  # type: ignore[arg-type]
    city = City.objects.get(slug="ashgabat-tm")
    focal = make_user("focal-a", cities=(city,))
    reviewer = make_user("reviewer")
    make_secretariat(reviewer)
    practice = published_practice(focal, reviewer, city, "Design school for young people")
    practice.sdg_targets.set(Target.objects.filter(code="11.4"))
    values = tmp_path / "values.csv"
    values.write_text(
        "city,indicator,year,value,unit,source\n"
        "ashgabat-tm,11.6.2,2018,30,µg/m³,Test survey\nashgabat-tm,11.6.2,2021,24,µg/m³,Test survey\n",
        encoding="utf-8",
    )
    import_indicator_values(values)

    sign_in(page, "focal-a")
    page.goto("/cities/ashgabat-tm/")
    page.get_by_role("link", name="Monitoring reports").click()
    expect(page.get_by_text("Due in 2027")).to_be_visible()
    clean(page)
    page.get_by_role("button", name="Start the report").click()
    local = page.get_by_label("Main initiatives at the local level")
    expect(local).to_have_value(
        f"- [Design school for young people](http://127.0.0.1:8000/practices/{practice.slug}/): "
        "A short summary of what the city did."
    )
    expect(page.get_by_role("textbox", name="SDG targets:", exact=True)).to_have_value("11.4")
    page.get_by_label("Contribution to the network's objectives").fill("We hosted the regional design meeting.")
    expect(page.get_by_role("status")).to_contain_text("Unsaved changes kept at")
    clean(page)
    page.get_by_label("Main initiatives at the international level").fill("- Design exchange with Gangneung")
    page.get_by_label("Action plan for the next cycle").fill("- A design week every year")
    page.get_by_label("Resources for the action plan").fill("Two staff")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Submitted")
    sign_out(page)

    sign_in(page, "reviewer")
    page.goto("/progress/board/")
    expect(page.get_by_test_id("board")).to_contain_text("Ashgabat")
    clean(page)
    shoot(page, f"board-{size}")
    page.get_by_role("row", name="Ashgabat").get_by_role("link", name="Submitted").click()
    page.get_by_label("Comment for the city").fill("Please give the budget of the design week.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Changes requested")
    sign_out(page)

    sign_in(page, "focal-a")
    report = Report.objects.get()
    page.goto(f"/progress/reports/{report.pk}/")
    expect(page.get_by_text("Please give the budget of the design week.")).to_be_visible()
    page.get_by_role("link", name="Edit the report").click()
    page.get_by_label("Resources for the action plan").fill("Two staff and 50,000 USD a year")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit to the secretariat").click()
    sign_out(page)

    sign_in(page, "reviewer")
    page.goto(f"/progress/reports/{report.pk}/")
    page.get_by_role("button", name="Accept and publish").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Accepted")
    expect(page.get_by_role("link", name="EPUB (English)")).to_be_visible()
    clean(page)
    shoot(page, f"report-{size}")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED

    page.goto("/progress/cities/ashgabat-tm/sdg/")
    expect(page.get_by_test_id("indicator-series")).to_contain_text("11.6.2")
    expect(page.get_by_role("img", name="Values of indicator 11.6.2 by year, in µg/m³")).to_be_visible()
    clean(page)
    shoot(page, f"city-sdg-{size}")
    page.goto("/progress/glance/?goal=11")
    clean(page)
    shoot(page, f"glance-{size}")
