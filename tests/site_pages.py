"""Every page of the site, built from the URL configuration: one representative address per URL pattern.

`every_route()` lists the patterns Django knows. Each is either a page (`representatives()` gives an
address for it and the persona who opens it) or listed in `NOT_PAGES` with the reason. A new URL pattern
that is in neither fails `test_every_url_pattern_has_a_representative`, so the page tests cannot silently
miss it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ccx.accounts.invitations import invite_focal_point
from ccx.accounts.models import User
from ccx.challenges import clinic
from ccx.challenges.models import ResponseKind
from ccx.events.models import Outcome, Speaker
from ccx.events.registration import register
from ccx.monitoring.workflow import start_report
from ccx.partnerships import workflow as partnership_workflow
from ccx.partnerships.transfers import TransferDetails, record_transfer
from ccx.practices.forms import STEP_NAMES
from ccx.practices.services import update_practice
from ccx.publications import builds
from ccx.sdg.models import Indicator, IndicatorValue
from tests.challenges.factories import make_challenge
from tests.conftest import Personas
from tests.events.factories import make_event, make_session
from tests.partnerships.factories import agreed, proposed
from tests.practices.factories import published_practice
from tests.publications.factories import make_exhibition, make_publication

ANONYMOUS, FOCAL_A, FOCAL_B, SECRETARIAT = "anonymous", "focal_a", "focal_b", "secretariat"

# What imported records really contain and what once made phone pages 450 to 2,800 pixels wide: a long address,
# a long compound word, a table, and text indented with spaces (read as code by plain Markdown).
AWKWARD_TEXT = (
    "Read more at https://www.undp.org/acceleratorlabs/solutions-mapping/a-very-long-address-without-any-breaks"
    "-in-it-at-all-2023\n\nThe Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
    " took part.\n\n| Indicator | Baseline | Result | Source | Year |\n|---|---|---|---|---|\n"
    "| Households reached in the first year | 1200 | 5400 | Municipal statistics office | 2022 |\n\n"
    "    (1) Stationery in newly opened tertiary schools, indented with spaces in the source text, long enough"
    " to run past the edge of a phone when it is not wrapped.\n"
)

FRAGMENT = "an htmx fragment drawn inside a page that is visited"
POST_ONLY = "an action (POST only), its form is on a page that is visited"
FILE = "a file or data download, not a page"

# Patterns that are not pages, by route, with the reason. The API's JSON endpoints are one prefix.
NOT_PAGES = {
    "favicon.ico": "a redirect to the site's mark",
    "media/<path:path>": FILE,
    "language/<str:code>/": "the language switcher's redirect (tests/core/test_language.py)",
    "api/v1/openapi.json": FILE,
    "cities/export.<str:format>": FILE,
    "practices/feed.atom": FILE,
    "practices/export.<str:format>": FILE,
    "practices/<slug:slug>.jsonld": FILE,
    "practices/autosave/<str:step>/": FRAGMENT,
    "practices/discard/<str:step>/": POST_ONLY,
    "practices/<slug:slug>/edit/images/<int:image_id>/delete/": POST_ONLY,
    "practices/<slug:slug>/autosave/<str:step>/": FRAGMENT,
    "practices/<slug:slug>/discard/<str:step>/": POST_ONLY,
    "practices/<slug:slug>/sdg-suggestions/": FRAGMENT,
    "practices/<slug:slug>/act/": POST_ONLY,
    "practices/<slug:slug>/history/<int:number>/restore/": POST_ONLY,
    "practices/<slug:slug>/delete/": POST_ONLY,
    "practices/<slug:slug>/undelete/": POST_ONLY,
    "challenges/<slug:slug>/clinic/": POST_ONLY,
    "challenges/<slug:slug>/respond/": POST_ONLY,
    "challenges/<slug:slug>/practices/": FRAGMENT,
    "challenges/<slug:slug>/conclude/": POST_ONLY,
    "challenges/<slug:slug>/invite/": POST_ONLY,
    "challenges/<slug:slug>/responses/<int:response_id>/second/": POST_ONLY,
    "challenges/<slug:slug>/responses/<int:response_id>/helped/": POST_ONLY,
    "cooperation/partnerships/<slug:slug>/milestones/": POST_ONLY,
    "cooperation/partnerships/<slug:slug>/milestones/<int:pk>/done/": POST_ONLY,
    "cooperation/partnerships/<slug:slug>/documents/": POST_ONLY,
    "cooperation/partnerships/<slug:slug>/documents/<int:pk>/": FILE,
    "cooperation/partnerships/<slug:slug>/<str:action>/": POST_ONLY,
    "events/calendar/<str:token>.ics": FILE,
    "events/<slug:slug>/programme.ics": FILE,
    "events/<slug:slug>/programme.<str:format>": FILE,
    "events/<slug:slug>/sessions/<int:session_id>/delete/": POST_ONLY,
    "events/<slug:slug>/sessions/<int:session_id>/star/": POST_ONLY,
    "events/<slug:slug>/register/": POST_ONLY,
    "events/<slug:slug>/cancel/": POST_ONLY,
    "events/<slug:slug>/agenda/renew/": POST_ONLY,
    "events/<slug:slug>/participants/<int:registration_id>/<str:action>/": POST_ONLY,
    "events/<slug:slug>/outcomes/<int:outcome_id>/sign/": POST_ONLY,
    "publications/exhibitions/<slug:slug>/add/": POST_ONLY,
    "publications/exhibitions/<slug:slug>/order/": POST_ONLY,
    "publications/exhibitions/<slug:slug>/<slug:practice_slug>/locator.svg": FILE,
    "publications/<slug:slug>/build/": POST_ONLY,
    "publications/<slug:slug>/builds/<int:build_id>/": FRAGMENT,
    "publications/<slug:slug>/builds/<int:build_id>.<str:format>": FILE,
    "publications/<slug:slug>/chapters/order/": POST_ONLY,
    "publications/<slug:slug>/chapters/<int:chapter_id>/add/": POST_ONLY,
    "publications/<slug:slug>/chapters/<int:chapter_id>/order/": POST_ONLY,
    "publications/<slug:slug>/chapters/<int:chapter_id>/delete/": POST_ONLY,
    "accounts/logout/": POST_ONLY,
    "accounts/invitations/<int:pk>/revoke/": POST_ONLY,
    "accounts/tokens/<int:pk>/revoke/": POST_ONLY,
    "sitemap.xml": FILE,
    "sitemap-<section>.xml": FILE,
    "robots.txt": FILE,
    "healthz": "a health check answering JSON (tests/core/test_site_conventions.py)",
    "cooperation/network-<str:table>.csv": FILE,
    "cooperation/partnerships/<slug:slug>/record/<str:step>/": POST_ONLY,
    "progress/board/rule/": POST_ONLY,
    "progress/cities/<slug:slug>/reports/start/": POST_ONLY,
    "progress/cities/<slug:slug>/reports/due/": POST_ONLY,
    "progress/cities/<slug:slug>/sdg/values/<int:pk>/delete/": POST_ONLY,
    "progress/cities/<slug:slug>/sdg/summary/": POST_ONLY,
    "progress/reports/<int:pk>/autosave/": FRAGMENT,
    "progress/reports/<int:pk>/discard/": POST_ONLY,
    "progress/reports/<int:pk>/act/": POST_ONLY,
    "progress/reports/<int:pk>/build/": POST_ONLY,
    "progress/builds/<int:build_id>/": FRAGMENT,
}
NOT_PAGE_PREFIXES = {
    "admin/": "Django's own admin, not this site's templates",
    "api/v1/": "the JSON API (tests/api); its documentation page is visited",
}
API_DOCS = "api/v1/docs"


@dataclass(frozen=True)
class Visit:
    route: str
    path: str
    persona: str


def routes_and_views() -> list[tuple[str, Callable[..., Any]]]:
    """Every URL pattern's route (language prefix left out) and its view, in the resolver's order."""
    found: list[tuple[str, Callable[..., Any]]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            route = "" if route.endswith("/") and route.strip("/") in {"fr", "zh-hans", "en"} else route
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            else:
                found.append((prefix + route, pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def every_route() -> list[str]:
    """The route of every URL pattern, language prefix left out."""
    return [route for route, _view in routes_and_views()]


def is_page(route: str) -> bool:
    if route == API_DOCS:
        return True
    return route not in NOT_PAGES and not any(route.startswith(prefix) for prefix in NOT_PAGE_PREFIXES)


def representatives(personas: Personas) -> list[Visit]:
    """Real records behind every page, made through the domain functions, and who opens each page."""
    secretariat, focal_a, focal_b = personas.secretariat_user, personas.focal_a_user, personas.focal_b_user
    city_a, city_b = personas.city_a, personas.city_b
    practice = published_practice(
        focal_a,
        secretariat,
        city_a,
        "Night markets for local crafts",
        tagline="Markets that stay open late",
        description=AWKWARD_TEXT,
    )
    update_practice(practice, focal_a, {"summary": "A second version of the summary, so that history has two."})
    challenge = make_challenge(focal_a, city_a, context=AWKWARD_TEXT)
    clinic.open_clinic(challenge, focal_a)
    clinic.respond(challenge, focal_b, ResponseKind.ADVICE, "Ask the landlords for short leases first.")
    partnership = agreed(focal_a, city_a, focal_b, city_b, title="Craft and food exchange")
    in_discussion = proposed(focal_a, city_a, city_b, title="Festival twinning")
    partnership_workflow.add_milestone(partnership, focal_a, date.today() + timedelta(days=30), "First visit")
    transfer = record_transfer(focal_b, practice, city_b, TransferDetails("The market format.", "implemented"))
    event = make_event(host_city=city_b)
    event.organiser_users.set([secretariat])
    session = make_session(event)
    speaker = Speaker.objects.create(event=event, slug="qin", name="Qin Weizhong", city=city_b)
    speaker.appearances.create(session=session)
    outcome = Outcome.objects.create(event=event, kind="declaration", title="Summit declaration")
    register(event, secretariat, "online")
    publication, chapter = make_publication(secretariat, [practice], is_published=True)
    build = builds.create_build(publication, "en", ["epub"], secretariat)
    exhibition = make_exhibition(secretariat, [practice])
    uid = urlsafe_base64_encode(force_bytes(focal_b.pk))
    token = default_token_generator.make_token(User.objects.get(pk=focal_b.pk))
    del build
    invitation_link = invite_focal_point(city_b, "new-focal-point@example.org", secretariat, "Lena Park").link
    invitation_path = "/accounts/" + invitation_link.split("/accounts/", 1)[1]
    report = start_report(city_a, focal_a)
    value = IndicatorValue.objects.create(
        city=city_a, indicator=Indicator.objects.get(code="11.6.2"), year=2020, value=20, unit="µg/m³", source="Test"
    )

    p, c, e, pub = practice.slug, challenge.slug, event.slug, publication.slug
    pages = {
        "": ("/", ANONYMOUS),
        "about/data/": ("/about/data/", ANONYMOUS),
        API_DOCS: ("/api/v1/docs", ANONYMOUS),
        "cities/": ("/cities/", ANONYMOUS),
        "cities/map/": ("/cities/map/", ANONYMOUS),
        "cities/data-quality/": ("/cities/data-quality/", SECRETARIAT),
        "cities/<slug:slug>/": (f"/cities/{city_a.slug}/", SECRETARIAT),
        "cities/<slug:slug>/edit/": (f"/cities/{city_a.slug}/edit/", FOCAL_A),
        "sdg/": ("/sdg/", ANONYMOUS),
        "sdg/<int:number>/": ("/sdg/11/", ANONYMOUS),
        "practices/": ("/practices/", ANONYMOUS),
        "practices/new/": ("/practices/new/", FOCAL_A),
        "practices/find-solutions/": ("/practices/find-solutions/?q=empty+shops+in+the+old+town", ANONYMOUS),
        "practices/mine/": ("/practices/mine/", FOCAL_A),
        "practices/review/": ("/practices/review/", SECRETARIAT),
        "practices/<slug:slug>/": (f"/practices/{p}/", SECRETARIAT),
        "practices/<slug:slug>/edit/images/": (f"/practices/{p}/edit/images/", FOCAL_A),
        "practices/<slug:slug>/edit/<str:step>/": (f"/practices/{p}/edit/basics/", FOCAL_A),
        "practices/<slug:slug>/preview/": (f"/practices/{p}/preview/", FOCAL_A),
        "practices/<slug:slug>/history/": (f"/practices/{p}/history/", FOCAL_A),
        "challenges/": ("/challenges/", ANONYMOUS),
        "challenges/new/": ("/challenges/new/", FOCAL_A),
        "challenges/mine/": ("/challenges/mine/", FOCAL_A),
        "challenges/<slug:slug>/": (f"/challenges/{c}/", FOCAL_B),
        "challenges/<slug:slug>/edit/": (f"/challenges/{c}/edit/", FOCAL_A),
        "cooperation/": ("/cooperation/", ANONYMOUS),
        "cooperation/partnerships/": ("/cooperation/partnerships/", FOCAL_A),
        "cooperation/partnerships/new/": ("/cooperation/partnerships/new/", FOCAL_A),
        "cooperation/partnerships/<slug:slug>/": (f"/cooperation/partnerships/{partnership.slug}/", FOCAL_A),
        "cooperation/partnerships/<slug:slug>/terms/": (
            f"/cooperation/partnerships/{in_discussion.slug}/terms/",
            FOCAL_A,
        ),
        "cooperation/transfers/<int:pk>/": (f"/cooperation/transfers/{transfer.pk}/", ANONYMOUS),
        "cooperation/transfers/<int:pk>/edit/": (f"/cooperation/transfers/{transfer.pk}/edit/", FOCAL_B),
        "cooperation/practices/<slug:slug>/adapted/": (f"/cooperation/practices/{p}/adapted/", FOCAL_B),
        "cooperation/peers/": ("/cooperation/peers/", FOCAL_A),
        "cooperation/peers/<slug:slug>/": (f"/cooperation/peers/{city_a.slug}/", ANONYMOUS),
        "events/": ("/events/", ANONYMOUS),
        "events/new/": ("/events/new/", SECRETARIAT),
        "events/<slug:slug>/": (f"/events/{e}/", SECRETARIAT),
        "events/<slug:slug>/edit/": (f"/events/{e}/edit/", SECRETARIAT),
        "events/<slug:slug>/programme/": (f"/events/{e}/programme/", ANONYMOUS),
        "events/<slug:slug>/speakers/": (f"/events/{e}/speakers/", ANONYMOUS),
        "events/<slug:slug>/speakers/new/": (f"/events/{e}/speakers/new/", SECRETARIAT),
        "events/<slug:slug>/speakers/<slug:speaker_slug>/": (f"/events/{e}/speakers/{speaker.slug}/", ANONYMOUS),
        "events/<slug:slug>/speakers/<slug:speaker_slug>/edit/": (
            f"/events/{e}/speakers/{speaker.slug}/edit/",
            SECRETARIAT,
        ),
        "events/<slug:slug>/sessions/new/": (f"/events/{e}/sessions/new/", SECRETARIAT),
        "events/<slug:slug>/sessions/<int:session_id>/edit/": (
            f"/events/{e}/sessions/{session.pk}/edit/",
            SECRETARIAT,
        ),
        "events/<slug:slug>/agenda/": (f"/events/{e}/agenda/", SECRETARIAT),
        "events/<slug:slug>/participants/": (f"/events/{e}/participants/", SECRETARIAT),
        "events/<slug:slug>/outcomes/new/": (f"/events/{e}/outcomes/new/", SECRETARIAT),
        "events/<slug:slug>/outcomes/<int:outcome_id>/edit/": (
            f"/events/{e}/outcomes/{outcome.pk}/edit/",
            SECRETARIAT,
        ),
        "publications/": ("/publications/", ANONYMOUS),
        "publications/new/": ("/publications/new/", SECRETARIAT),
        "publications/exhibitions/new/": ("/publications/exhibitions/new/", SECRETARIAT),
        "publications/exhibitions/<slug:slug>/": (f"/publications/exhibitions/{exhibition.slug}/", ANONYMOUS),
        "publications/exhibitions/<slug:slug>/edit/": (
            f"/publications/exhibitions/{exhibition.slug}/edit/",
            SECRETARIAT,
        ),
        "publications/exhibitions/<slug:slug>/<slug:practice_slug>/": (
            f"/publications/exhibitions/{exhibition.slug}/{p}/",
            ANONYMOUS,
        ),
        "publications/<slug:slug>/": (f"/publications/{pub}/", SECRETARIAT),
        "publications/<slug:slug>/edit/": (f"/publications/{pub}/edit/", SECRETARIAT),
        "publications/<slug:slug>/read/<str:language>/": (f"/publications/{pub}/read/en/", ANONYMOUS),
        "publications/<slug:slug>/report/<str:language>/": (f"/publications/{pub}/report/fr/", SECRETARIAT),
        "publications/<slug:slug>/chapters/new/": (f"/publications/{pub}/chapters/new/", SECRETARIAT),
        "publications/<slug:slug>/chapters/<int:chapter_id>/": (
            f"/publications/{pub}/chapters/{chapter.pk}/",
            SECRETARIAT,
        ),
        "accounts/login/": ("/accounts/login/", ANONYMOUS),
        "accounts/": ("/accounts/", FOCAL_A),
        "accounts/notifications/": ("/accounts/notifications/", FOCAL_A),
        "accounts/password-reset/": ("/accounts/password-reset/", ANONYMOUS),
        "accounts/password-reset/sent/": ("/accounts/password-reset/sent/", ANONYMOUS),
        "accounts/password-reset/<uidb64>/<token>/": (f"/accounts/password-reset/{uid}/{token}/", ANONYMOUS),
        "accounts/password-reset/done/": ("/accounts/password-reset/done/", ANONYMOUS),
        "accounts/password/": ("/accounts/password/", FOCAL_A),
        "accounts/cities/<slug:slug>/invite/": (f"/accounts/cities/{city_b.slug}/invite/", SECRETARIAT),
        "accounts/invitation/<str:token>/": (invitation_path, ANONYMOUS),
        "accounts/tokens/": ("/accounts/tokens/", FOCAL_A),
        "progress/board/": ("/progress/board/", SECRETARIAT),
        "progress/glance/": ("/progress/glance/?goal=11", SECRETARIAT),
        "progress/glance/reporting/": ("/progress/glance/reporting/", SECRETARIAT),
        "progress/glance/ties/": ("/progress/glance/ties/", SECRETARIAT),
        "progress/cities/<slug:slug>/reports/": (f"/progress/cities/{city_a.slug}/reports/", FOCAL_A),
        "progress/cities/<slug:slug>/sdg/": (f"/progress/cities/{city_a.slug}/sdg/", ANONYMOUS),
        "progress/cities/<slug:slug>/sdg/values/new/": (f"/progress/cities/{city_a.slug}/sdg/values/new/", FOCAL_A),
        "progress/cities/<slug:slug>/sdg/values/<int:pk>/": (
            f"/progress/cities/{city_a.slug}/sdg/values/{value.pk}/",
            FOCAL_A,
        ),
        "progress/reports/<int:pk>/": (f"/progress/reports/{report.pk}/", FOCAL_A),
        "progress/reports/<int:pk>/edit/": (f"/progress/reports/{report.pk}/edit/", FOCAL_A),
        "progress/reports/<int:pk>/history/": (f"/progress/reports/{report.pk}/history/", SECRETARIAT),
    }
    visits = [Visit(route, path, persona) for route, (path, persona) in pages.items()]
    # One pattern, several forms: every step of the practice form.
    step_route = "practices/<slug:slug>/edit/<str:step>/"
    visits += [Visit(step_route, f"/practices/{p}/edit/{step}/", FOCAL_A) for step in STEP_NAMES[1:]]
    return visits
