"""Every page of the site (tests/site_pages.py, built from the URL configuration) on a phone and a desktop:
nothing wider than the screen, no serious accessibility problem, no browser error.

One browser for everything, one context per persona and screen size; pages are loaded once each per size.
"""

from typing import Any

from playwright.sync_api import Browser, BrowserContext, ViewportSize

from tests.browser.conftest import AXE_SOURCE
from tests.conftest import Personas
from tests.site_pages import representatives

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 900},
}

# What sticks out past the right edge of the screen, named so that a failure says where to look.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [...document.body.querySelectorAll("*")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.right > width + 1 && box.width > 0 && getComputedStyle(element).position !== "fixed";
  });
  const outermost = wide.filter((element) => !wide.includes(element.parentElement));
  return outermost.slice(0, 3).map((element) =>
    `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}.${[...element.classList].join(".")}`
    + ` (right edge ${Math.round(element.getBoundingClientRect().right)} px)`);
}"""
AXE = "axe.run(document, {resultTypes: ['violations']})"


def signed_in_context(browser: Browser, base_url: str, screen: ViewportSize, session: str | None) -> BrowserContext:
    context = browser.new_context(base_url=base_url, viewport=screen, locale="en-GB")
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
    return context


def test_every_page_fits_a_phone_and_a_desktop_and_passes_axe(
    browser: Browser, live_server: Any, real_data: None, personas: Personas
) -> None:
    visits = representatives(personas)
    sessions = {
        name: client.cookies["sessionid"].value if "sessionid" in client.cookies else None
        for name, client in personas.all().items()
    }
    problems: list[str] = []
    errors: list[str] = []
    for screen_name, screen in SCREENS.items():
        contexts: dict[str, BrowserContext] = {}
        for visit in visits:
            if visit.persona not in contexts:
                contexts[visit.persona] = signed_in_context(browser, live_server.url, screen, sessions[visit.persona])
                opened = contexts[visit.persona].new_page()
                opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                opened.on("pageerror", lambda error: errors.append(str(error)))
            page = contexts[visit.persona].pages[0]
            # Leave the previous page first: a script still loading there (the API docs fetch their schema) may
            # fail while it unloads, and that error belongs to it, not to the page visited next.
            page.goto("about:blank")
            errors.clear()
            response = page.goto(visit.path, wait_until="load")
            where = f"{screen_name} {visit.path} ({visit.persona})"
            if response is None or response.status != 200:
                problems.append(f"{where}: status {response.status if response else 'none'}")
                continue
            if page.locator("#swagger-ui").count():
                # The API docs build themselves from the schema after "load": judge what they end up showing
                page.wait_for_selector("#swagger-ui .info, #swagger-ui .errors-wrapper")
                if page.locator("#swagger-ui .errors-wrapper").count():
                    problems.append(f"{where}: {page.locator('#swagger-ui .errors-wrapper').inner_text()!r}")
            sticking_out = page.evaluate(OVERFLOW)
            if sticking_out:
                problems.append(f"{where}: wider than the screen: {sticking_out}")
            page.evaluate(AXE_SOURCE)
            for violation in page.evaluate(AXE)["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    problems.append(f"{where}: axe {violation['id']}: {violation['nodes'][0]['target']}")
            problems += [f"{where}: browser error: {error}" for error in errors]
        for context in contexts.values():
            context.close()
    assert problems == [], "\n".join(problems)
