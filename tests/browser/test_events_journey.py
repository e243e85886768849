"""A visitor browses the Beijing summit's programme, registers online, stars two sessions and downloads their
calendar; when they cancel, the first person on the waiting list gets the seat and is told."""

from datetime import date, timedelta
from typing import Any

import icalendar
from django.core import mail
from playwright.sync_api import Page, expect

from ccx.accounts.models import Notification, NotificationKind
from ccx.events.importers import load_events
from ccx.events.models import Event, Registration, RegistrationStatus
from ccx.events.registration import register
from tests.browser.conftest import accessibility_violations
from tests.conftest import PASSWORD, make_user

JOIN = "https://meet.example.org/beijing-summit"


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def summit_in_the_future() -> Event:
    """The demo summit (2020), moved a month ahead so that registration can be open; one online place."""
    load_events()
    event = Event.objects.get(slug="beijing-summit-2020")
    shift = date.today() + timedelta(days=30) - event.starts_on
    for session in event.sessions.all():
        session.starts_at += shift
        session.ends_at += shift
        session.join_url = JOIN
        session.save()
    event.starts_on += shift
    event.ends_on += shift
    event.registration_open = True
    event.capacity_online = 1
    event.save()
    return event


def test_browse_register_star_download_cancel(page: Page, tmp_path: Any) -> None:
    event = summit_in_the_future()
    make_user("visitor")
    waiting = make_user("waiting-person")

    page.goto("/events/")
    page.get_by_role("link", name="Third UNESCO Creative Cities Beijing Summit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Third UNESCO Creative Cities Beijing Summit")
    page.get_by_role("navigation", name="This event").get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", name="Opening ceremony")).to_be_visible()
    expect(page.get_by_text("Panel 3 – Inter-city Collaboration")).to_be_visible()
    assert accessibility_violations(page) == []
    assert JOIN not in page.content()

    sign_in(page, "visitor")
    page.goto(event.get_absolute_url())
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Your registration: Confirmed.")).to_be_visible()
    assert accessibility_violations(page) == []
    register(event, waiting, "online")  # the only online place is taken: waiting list

    page.goto(f"/events/{event.slug}/programme/")
    for title in ("Opening ceremony", "Closing ceremony"):
        button = page.get_by_role("button", name=f"Add to my agenda: {title}")
        button.click()
        expect(page.get_by_role("button", name=f"In my agenda: {title}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("link", name="Join online").first).to_have_attribute("href", JOIN)
    assert accessibility_violations(page) == []

    page.get_by_role("navigation", name="This event").get_by_role("link", name="My agenda").click()
    expect(page.get_by_role("heading", name="Sessions I starred")).to_be_visible()
    assert accessibility_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my calendar").click()
    path = tmp_path / "agenda.ics"
    download_info.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    summaries = sorted(str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT"))
    assert summaries == ["Closing ceremony", "Opening ceremony"]
    assert JOIN in path.read_text()

    mail.outbox.clear()
    page.goto(event.get_absolute_url())
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()

    promoted = Registration.objects.get(event=event, user=waiting)
    assert promoted.status == RegistrationStatus.CONFIRMED
    notice = Notification.objects.get(
        user=waiting, kind=NotificationKind.EVENTS, key__startswith="registration-promoted"
    )
    assert notice.subject == f"A seat is free: you are confirmed for {event.title}"
    assert [m.attachments[0][0] for m in mail.outbox if m.to == [waiting.email] and m.attachments] == [
        f"{event.slug}.ics"
    ]
