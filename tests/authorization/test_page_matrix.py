"""The authorization matrix of the pages, generated from the URL configuration: every URL pattern whose view
accepts POST × the six personas, against records owned by city A, with foreign ids and flags in the form data.

The patterns come from `tests.site_pages.every_route()` (the resolver walked, the language prefix left out);
a pattern's view accepts writes when it is a class-based view with a `post` method (not a redirect), a function
view that `require_http_methods` limits to methods including POST, or one whose own code reads `request.POST`
or `request.method` (every decorator layer followed). The JSON API is the other matrix's
(tests/authorization/test_matrix.py) and Django's admin has its own staff permissions; both are left out.

- Each accepting pattern has an expectation: who may change the record behind it (`EXPECTED`). A pattern
  without one fails, so a new form cannot slip in unexamined; a stale expectation fails too.
- The form data is what the page's own form sends (read from the page as the record's editor would see it,
  so a missing check would really change something), plus foreign ids (city B, C's party, B's practice) and
  flags (`status`, `is_staff`, `owner`). Where the form itself has a field for a foreign id, a second case
  sends B's or C's id in that field.
- A refused persona must change nothing (every table's rows are fingerprinted before and after) and get a
  refusal status, never a server error. No persona but city B's focal point and the secretariat may change
  anything that belongs to city B, whatever they send. A pattern whose view does not accept writes is posted
  to by the two most powerful personas and must change nothing.
- The summary says how many patterns an allowed persona's post did change: there, the refused personas were
  sent data that would have changed something. (Checked once by hand: with `update_city`'s permission check
  removed, the matrix fails for the city edit page as anonymous, member, partner and focal point B.)
"""

import copy
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.generic import RedirectView
from PIL import Image

from ccx.accounts.invitations import invite_focal_point
from ccx.accounts.models import Organisation, OrganisationType, User
from ccx.accounts.tokens import create_token
from ccx.challenges.clinic import open_clinic, respond
from ccx.cities.models import City
from ccx.events.models import Outcome, Speaker
from ccx.partnerships import workflow as partnership_workflow
from ccx.partnerships.documents import add_document
from ccx.partnerships.transfers import TransferDetails, record_transfer
from ccx.practices import workflow as practice_workflow
from ccx.practices.images import attach_image
from ccx.publications import builds
from ccx.sdg.models import Indicator, IndicatorValue
from tests.authorization.test_matrix import PERSONAS, SIGNED_IN, fingerprint
from tests.challenges.factories import make_challenge
from tests.conftest import PASSWORD, Personas, client_for, make_user
from tests.events.factories import confirmed, make_event, make_session
from tests.monitoring.factories import complete_report
from tests.partnerships.factories import agreed, proposed
from tests.practices.factories import make_practice, published_practice
from tests.publications.factories import make_exhibition, make_publication
from tests.site_pages import routes_and_views as site_routes_and_views

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(PERSONAS)
EDITORS_OF_A = frozenset({"focal_a", "secretariat"})
SECRETARIAT = frozenset({"secretariat"})
FOCAL_A = frozenset({"focal_a"})
FOCAL_POINTS = frozenset({"focal_a", "focal_b", "secretariat"})
# Personas who may change what belongs to city B: its focal point and the secretariat.
B_KEEPERS = frozenset({"focal_b", "secretariat"})
# A refused form post: sign in first (302 to the sign-in page, or back to the record with a message),
# forbidden, not found (one may not even see the record), method not allowed, conflict, or invalid.
REFUSALS = {200, 302, 400, 401, 403, 404, 405, 409, 422}
LEFT_OUT = {
    "admin/": "Django's admin: staff only, its own model permissions",
    "api/v1/": "the JSON API: tests/authorization/test_matrix.py, generated from the OpenAPI document",
}
# Form fields that name another record or a flag, and what each case injects into them.
FOREIGN_FIELDS = (
    "city",
    "cities",
    "lead_city",
    "partner_cities",
    "proposer_city",
    "to_city",
    "host_city",
    "party",
    "practice",
    "adapted_practice",
    "adapted_from",
    "owner",
    "author",
    "user",
    "status",
    "is_staff",
    "is_superuser",
)

# Who may change the records of city A (or A's event, the network's publication) through each pattern.
EXPECTED: dict[str, frozenset[str]] = {
    # Accounts: signing in and out, one's own settings, capability links (a reset or invitation token).
    "accounts/login/": EVERYONE,
    "accounts/logout/": EVERYONE,
    "accounts/notifications/": SIGNED_IN,
    "accounts/password/": SIGNED_IN,
    "accounts/password-reset/": EVERYONE,
    "accounts/password-reset/<uidb64>/<token>/": EVERYONE,
    "accounts/invitation/<str:token>/": EVERYONE,
    "accounts/cities/<slug:slug>/invite/": SECRETARIAT,
    "accounts/invitations/<int:pk>/revoke/": SECRETARIAT,
    "accounts/tokens/": SIGNED_IN,
    "accounts/tokens/<int:pk>/revoke/": frozenset({"focal_a"}),  # only the token's owner
    # Cities.
    "cities/<slug:slug>/edit/": EDITORS_OF_A,
    # Practices: A's draft.
    "practices/new/": FOCAL_POINTS,
    "practices/find-solutions/": EVERYONE,  # a challenge posted for matching: computes, changes nothing
    "practices/autosave/<str:step>/": FOCAL_POINTS,
    "practices/discard/<str:step>/": SIGNED_IN,  # one's own unsaved form drafts
    "practices/<slug:slug>/edit/images/": EDITORS_OF_A,
    "practices/<slug:slug>/edit/images/<int:image_id>/delete/": EDITORS_OF_A,
    "practices/<slug:slug>/edit/<str:step>/": EDITORS_OF_A,
    "practices/<slug:slug>/autosave/<str:step>/": EDITORS_OF_A,
    "practices/<slug:slug>/discard/<str:step>/": EDITORS_OF_A,
    "practices/<slug:slug>/act/": EDITORS_OF_A,
    "practices/<slug:slug>/history/<int:number>/restore/": EDITORS_OF_A,
    "practices/<slug:slug>/delete/": SECRETARIAT,  # hiding a practice is the secretariat's
    "practices/<slug:slug>/undelete/": SECRETARIAT,
    # Challenges: A's open clinic, with a response from city C.
    "challenges/new/": FOCAL_POINTS,
    "challenges/<slug:slug>/edit/": EDITORS_OF_A,
    "challenges/<slug:slug>/clinic/": EDITORS_OF_A,
    "challenges/<slug:slug>/respond/": FOCAL_POINTS,
    "challenges/<slug:slug>/conclude/": EDITORS_OF_A,
    "challenges/<slug:slug>/invite/": EDITORS_OF_A,
    "challenges/<slug:slug>/responses/<int:response_id>/second/": FOCAL_POINTS,
    "challenges/<slug:slug>/responses/<int:response_id>/helped/": EDITORS_OF_A,
    # Cooperation: A's proposal to C, A's adaptation of C's practice.
    "cooperation/partnerships/new/": FOCAL_POINTS,
    # A partnership's parties act on it (the secretariat records ties from public sources only).
    "cooperation/partnerships/<slug:slug>/terms/": FOCAL_A,
    "cooperation/partnerships/<slug:slug>/milestones/": FOCAL_A,
    "cooperation/partnerships/<slug:slug>/milestones/<int:pk>/done/": FOCAL_A,
    "cooperation/partnerships/<slug:slug>/documents/": FOCAL_A,
    "cooperation/partnerships/<slug:slug>/record/<str:step>/": FOCAL_A,
    "cooperation/partnerships/<slug:slug>/<str:action>/": FOCAL_A,
    "cooperation/transfers/<int:pk>/edit/": EDITORS_OF_A,
    "cooperation/practices/<slug:slug>/adapted/": FOCAL_POINTS,
    # Events: organised by A's focal point; the member is registered.
    "events/new/": SECRETARIAT,
    "events/<slug:slug>/edit/": EDITORS_OF_A,
    "events/<slug:slug>/speakers/new/": EDITORS_OF_A,
    "events/<slug:slug>/speakers/<slug:speaker_slug>/edit/": EDITORS_OF_A,
    "events/<slug:slug>/sessions/new/": EDITORS_OF_A,
    "events/<slug:slug>/sessions/<int:session_id>/edit/": EDITORS_OF_A,
    "events/<slug:slug>/sessions/<int:session_id>/delete/": EDITORS_OF_A,
    "events/<slug:slug>/sessions/<int:session_id>/star/": SIGNED_IN,  # a personal agenda
    "events/<slug:slug>/register/": SIGNED_IN,  # each person registers themself
    "events/<slug:slug>/cancel/": SIGNED_IN,
    "events/<slug:slug>/agenda/renew/": SIGNED_IN,
    "events/<slug:slug>/participants/<int:registration_id>/<str:action>/": EDITORS_OF_A,
    "events/<slug:slug>/outcomes/new/": EDITORS_OF_A,
    "events/<slug:slug>/outcomes/<int:outcome_id>/edit/": EDITORS_OF_A,
    "events/<slug:slug>/outcomes/<int:outcome_id>/sign/": FOCAL_POINTS,  # each city signs for itself
    # Publications and exhibitions: the secretariat's.
    "publications/new/": SECRETARIAT,
    "publications/<slug:slug>/edit/": SECRETARIAT,
    "publications/<slug:slug>/build/": SECRETARIAT,
    "publications/<slug:slug>/chapters/new/": SECRETARIAT,
    "publications/<slug:slug>/chapters/order/": SECRETARIAT,
    "publications/<slug:slug>/chapters/<int:chapter_id>/": SECRETARIAT,
    "publications/<slug:slug>/chapters/<int:chapter_id>/add/": SECRETARIAT,
    "publications/<slug:slug>/chapters/<int:chapter_id>/order/": SECRETARIAT,
    "publications/<slug:slug>/chapters/<int:chapter_id>/delete/": SECRETARIAT,
    "publications/exhibitions/new/": SECRETARIAT,
    "publications/exhibitions/<slug:slug>/edit/": SECRETARIAT,
    "publications/exhibitions/<slug:slug>/add/": SECRETARIAT,
    "publications/exhibitions/<slug:slug>/order/": SECRETARIAT,
    # Progress: A's report and indicator values, the reporting rules.
    "progress/board/rule/": SECRETARIAT,
    "progress/cities/<slug:slug>/reports/start/": EDITORS_OF_A,
    "progress/cities/<slug:slug>/reports/due/": SECRETARIAT,
    "progress/cities/<slug:slug>/sdg/values/new/": EDITORS_OF_A,
    "progress/cities/<slug:slug>/sdg/values/<int:pk>/": EDITORS_OF_A,
    "progress/cities/<slug:slug>/sdg/values/<int:pk>/delete/": EDITORS_OF_A,
    "progress/cities/<slug:slug>/sdg/summary/": EDITORS_OF_A,
    "progress/reports/<int:pk>/edit/": EDITORS_OF_A,
    "progress/reports/<int:pk>/autosave/": EDITORS_OF_A,
    "progress/reports/<int:pk>/discard/": EDITORS_OF_A,
    "progress/reports/<int:pk>/act/": EDITORS_OF_A,
    "progress/reports/<int:pk>/build/": EDITORS_OF_A,
}

# Pages that change something by being opened, and for whom: it must be the visitor's own.
READS_THAT_WRITE = {"accounts/": SIGNED_IN}  # opening the dashboard marks one's own notifications as read
# References to city B that anyone who may edit a record may make: naming B there changes nothing of B's.
ANYONE_MAY_NAME_B = {
    "events.Speaker.city",  # a speaker of A's event may come from any city
    "events.Event.host_city",  # an event's organisers say where it is held and which cities take part
    "events.Event_cities.city",
    "partnerships.Party.city",  # a proposal names the other cities, who then confirm or decline
    "challenges.ClinicInvitation.city",  # a city asking for advice invites another city to its clinic
}

# Form data for the patterns whose form is on another page (POST only), by route.
BODIES: dict[str, Callable[["World"], dict[str, Any]]] = {
    "practices/<slug:slug>/act/": lambda w: {"action": "submit", "comment": "Ready."},
    "challenges/<slug:slug>/clinic/": lambda w: {"action": "close"},
    "challenges/<slug:slug>/respond/": lambda w: {
        "kind": "advice",
        "text": "Try a night market first.",
        "practice": "",
        "city": "",
    },
    "challenges/<slug:slug>/conclude/": lambda w: {"conclusion_obstacles": "Rents.", "conclusion_ideas": "Markets."},
    "challenges/<slug:slug>/invite/": lambda w: {"city": w.b.slug},
    "challenges/<slug:slug>/responses/<int:response_id>/helped/": lambda w: {"helped": "true"},
    "cooperation/partnerships/<slug:slug>/milestones/": lambda w: {
        "due_on": (date.today() + timedelta(days=40)).isoformat(),
        "title": "Second visit",
    },
    "cooperation/partnerships/<slug:slug>/documents/": lambda w: {
        "title": "Planted document",
        "url": "https://example.org/mou.pdf",
    },
    "cooperation/partnerships/<slug:slug>/record/<str:step>/": lambda w: {
        "end-end_year": "2020",
        "end-comment": "Ended.",
    },
    "cooperation/partnerships/<slug:slug>/<str:action>/": lambda w: {"comment": "No."},
    "events/<slug:slug>/register/": lambda w: {"mode": "online"},
    "events/<slug:slug>/sessions/new/": lambda w: {"day": w.event_day, "start": "10:00", "end": "11:00"},
    "progress/cities/<slug:slug>/sdg/values/new/": lambda w: {"year": "2024", "value": "12.5"},
    "accounts/cities/<slug:slug>/invite/": lambda w: {"email": "new-focal@example.org", "name": "New Focal"},
    "accounts/login/": lambda w: {"username": "focal-a", "password": PASSWORD},
    "accounts/password/": lambda w: {
        "old_password": PASSWORD,
        "new_password1": "another-long-password-42",
        "new_password2": "another-long-password-42",
    },
    "accounts/invitation/<str:token>/": lambda w: {
        "username": "new-focal",
        "password1": "another-long-password-42",
        "password2": "another-long-password-42",
    },
    "events/<slug:slug>/sessions/<int:session_id>/star/": lambda w: {"star": "1"},
    "events/<slug:slug>/outcomes/<int:outcome_id>/sign/": lambda w: {f"outcome-{w.outcome.pk}-city": w.a.pk},
    "publications/<slug:slug>/build/": lambda w: {"language": "en", "formats": "epub"},
    "publications/<slug:slug>/chapters/order/": lambda w: {f"position-{w.chapter.pk}": "2"},
    "publications/<slug:slug>/chapters/<int:chapter_id>/add/": lambda w: {"practice": w.published.pk},
    "publications/<slug:slug>/chapters/<int:chapter_id>/order/": lambda w: {
        "remove": w.published.pk,
    },
    "publications/exhibitions/<slug:slug>/add/": lambda w: {"practice": w.of_c.pk},
    "publications/exhibitions/<slug:slug>/order/": lambda w: {"remove": w.published.pk},
    "progress/board/rule/": lambda w: {"cycle_years": "3"},
    "progress/cities/<slug:slug>/reports/due/": lambda w: {"due_year": "2030"},
    "progress/cities/<slug:slug>/sdg/summary/": lambda w: {"language": "en"},
    "progress/reports/<int:pk>/autosave/": lambda w: {"achievements": "Planted text."},
    "progress/reports/<int:pk>/act/": lambda w: {"action": "submit", "comment": "Ready."},
    "progress/reports/<int:pk>/build/": lambda w: {"language": "en"},
    "practices/autosave/<str:step>/": lambda w: {"title": "Planted draft"},
    "practices/<slug:slug>/edit/images/": lambda w: {"image": photo, "alt_text": "Stalls at night"},  # a new file each
    "practices/<slug:slug>/autosave/<str:step>/": lambda w: {"title": "Planted title"},
}


@dataclass
class World:
    a: City
    b: City
    c: City
    users: dict[str, User]
    clients: dict[str, Client]
    paths: dict[str, list[str]]
    of_b: Any
    of_c: Any
    published: Any
    outcome: Any
    chapter: Any
    party_of_c: int
    event_day: str
    before: dict[str, str] = field(default_factory=dict)
    b_before: dict[str, str] = field(default_factory=dict)


def routes_and_views() -> dict[str, Callable[..., Any]]:
    """Every URL pattern's route (as in `every_route`) and its view, the first pattern of a route winning."""
    found: dict[str, Callable[..., Any]] = {}
    for route, view in site_routes_and_views():
        found.setdefault(route, view)
    return {route: view for route, view in found.items() if not route.startswith(tuple(LEFT_OUT))}


def accepts_writes(view: Callable[..., Any]) -> bool:
    """Whether a view takes writes: a class-based view with a `post` method; a function view limited by
    require_http_methods to methods including POST; or one whose own code reads `request.POST` or
    `request.method` (every decorator layer is followed, through `__wrapped__` and closures)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        if issubclass(view_class, RedirectView):  # answers every method with the same redirect
            return False
        return any(hasattr(view_class, method) for method in ("post", "put", "patch", "delete"))
    methods: list[str] | None = None
    sources: list[str] = []
    layers, seen = [view], set()
    while layers:
        layer = layers.pop()
        if id(layer) in seen or not inspect.isfunction(layer):
            if not inspect.isfunction(layer) and callable(layer) and id(layer) not in seen:  # a callable object
                seen.add(id(layer))
                sources.append(inspect.getsource(type(layer)))
            continue
        seen.add(id(layer))
        contents = (cell.cell_contents for cell in layer.__closure__ or ())
        cells = dict(zip(layer.__code__.co_freevars, contents, strict=True))
        if "request_method_list" in cells:  # require_http_methods, require_POST, require_GET, require_safe
            methods = list(cells["request_method_list"])
        elif layer.__module__.startswith("ccx."):
            sources.append(inspect.getsource(layer))
        layers += [getattr(layer, "__wrapped__", view), *(value for value in cells.values() if callable(value))]
    if methods is not None:
        return bool({"POST", "PUT", "PATCH", "DELETE"} & set(methods))
    return any("request.POST" in source or "request.method" in source for source in sources)


FILLERS = {
    "date": (date.today() + timedelta(days=40)).isoformat(),
    "number": "3",
    "url": "https://example.org/planted",
    "email": "planted@example.org",
    "time": "10:00",
    "datetime-local": (date.today() + timedelta(days=40)).isoformat() + "T10:00",
}


class Forms(HTMLParser):
    """The POST forms of a page: each form's action and what it would send, required blanks filled in."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.current: dict[str, list[str]] | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.textarea_required = False
        self.select_required = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("method", "").lower() == "post":
            self.current = {}
            self.forms.append((attributes.get("action", ""), self.current))
        if self.current is None:
            return
        name, kind = attributes.get("name", ""), attributes.get("type", "text")
        if tag == "input" and name and kind not in {"submit", "button", "file", "image", "reset"}:
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.current.setdefault(name, []).append(attributes.get("value", "on"))
                return
            value = attributes.get("value", "")
            if not value and "required" in attributes:
                value = FILLERS.get(kind, "Planted text")
            self.current.setdefault(name, []).append(value)
        elif tag == "textarea" and name:
            self.textarea, self.textarea_required = name, "required" in attributes
            self.current.setdefault(name, [""])
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
            self.select_required = "required" in attributes
        elif tag == "option" and self.select:
            value = attributes.get("value", "")
            if self.select_first is None and value:
                self.select_first = value
            if "selected" in attributes and (value or not self.select_required):
                self.current.setdefault(self.select, []).append(value)
                self.select_chosen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea" and self.textarea and self.current is not None:
            text = self.current[self.textarea][-1].removeprefix("\n")
            self.current[self.textarea][-1] = text or ("Planted text." if self.textarea_required else "")
            self.textarea = None
        elif tag == "select" and self.select and self.current is not None:
            if not self.select_chosen and self.select_first is not None:
                self.current[self.select] = [self.select_first]
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None:
            self.current[self.textarea][-1] += data


def changed_text(form: dict[str, list[str]]) -> None:
    """Change one text of the form, so that posting it back is a real change, not a no-op."""
    for name in ("title", "name", "about", "statement", "summary", "what_adapted", "goals"):
        if form.get(name, [""])[0]:
            form[name] = [form[name][0] + " (changed)"]
            return


def page_form(client: Client, path: str) -> dict[str, list[str]]:
    """What the page's own form (the one posting back to the page) sends as it stands."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():  # opening a page may change something (notifications read): undone
        response = client.get(path)
        transaction.set_rollback(True)
    client.cookies = cookies
    if response.status_code != 200:
        return {}
    parser = Forms()
    parser.feed(response.content.decode())
    for action, values in parser.forms:
        if urlsplit(action).path in {"", path}:
            values.pop("csrfmiddlewaretoken", None)
            changed_text(values)
            return values
    return {}


def b_footprint(b: City) -> dict[str, str]:
    """Every row that names city B (a foreign key or a many-to-many link to it), by model and field."""
    rows: dict[str, str] = {"cities.City": repr(City.objects.filter(pk=b.pk).values().first())}
    for model in apps.get_models(include_auto_created=True):
        for model_field in model._meta.concrete_fields:
            if f"{model._meta.label}.{model_field.name}" in ANYONE_MAY_NAME_B:
                continue
            if isinstance(model_field, models.ForeignKey) and model_field.related_model is City:
                found = model._default_manager.filter(**{model_field.name: b}).order_by("pk").values()
                rows[f"{model._meta.label}.{model_field.name}"] = repr(list(found))
    return rows


@pytest.fixture
def world(personas: Personas, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False
    a, b = personas.city_a, personas.city_b
    c = City.objects.get(slug="bilbao-es")
    fa, fb, sec = personas.focal_a_user, personas.focal_b_user, personas.secretariat_user
    focal_c = make_user("focal-c", cities=(c,))
    member = make_user("member-1")
    partner = make_user("partner-1")
    partner.organisation = Organisation.objects.create(name="Crafts Council", kind=OrganisationType.CIVIL_SOCIETY)
    partner.save()
    draft = make_practice(fa, a, "A's draft")
    published = published_practice(fa, sec, a, "A's published practice")
    image = attach_image(published, photo(), "Stalls at night")
    deleted = make_practice(fa, a, "A's deleted draft")
    practice_workflow.delete(deleted, sec)
    of_b = make_practice(fb, b, "B's draft")
    of_c = published_practice(focal_c, sec, c, "C's published practice")
    not_adapted = published_practice(focal_c, sec, c, "C's other practice")
    challenge = open_clinic(make_challenge(fa, a, "A's challenge", visibility="public"), fa)
    response = respond(challenge, focal_c, "advice", "Try a night market.", city=c)
    partnership = proposed(fa, a, c, title="A's proposal with C")
    in_force = agreed(fa, a, focal_c, c, title="A's agreement with C")  # milestones are marked done once agreed
    milestone = partnership_workflow.add_milestone(in_force, fa, date.today() + timedelta(days=30), "First visit")
    document = add_document(partnership, fa, "Draft MoU", url="https://example.org/mou.pdf")
    transfer = record_transfer(fa, of_c, a, TransferDetails(what_adapted="The market.", status="adapting"))
    event = make_event("Summit of A")
    event.organiser_users.set([fa])
    session = make_session(event)
    speaker = Speaker.objects.create(event=event, slug="qin", name="Qin Weizhong", city=a)
    speaker.appearances.create(session=session)
    outcome = Outcome.objects.create(event=event, kind="declaration", title="Declaration", open_for_signature=True)
    registration = confirmed(event, member)
    publication, chapter = make_publication(sec, [published], is_published=True)
    build = builds.create_build(publication, "en", ["epub"], sec)
    exhibition = make_exhibition(sec, [published])
    report = complete_report(fa, a)
    value = IndicatorValue.objects.create(
        city=a, indicator=Indicator.objects.get(code="11.6.2"), year=2020, value=20, unit="µg/m³", source="Test"
    )
    invitation = invite_focal_point(a, "new-focal-point@example.org", sec, "Lena Park")
    token = create_token(fa, "script", "read", 30)
    uid = urlsafe_base64_encode(force_bytes(fa.pk))
    reset = default_token_generator.make_token(User.objects.get(pk=fa.pk))

    p, ch, e, pub, ex = draft.slug, challenge.slug, event.slug, publication.slug, exhibition.slug
    ps = f"/cooperation/partnerships/{partnership.slug}"
    paths = {
        "favicon.ico": ["/favicon.ico"],
        "language/<str:code>/": ["/language/fr/"],
        "sitemap.xml": ["/sitemap.xml"],
        "sitemap-<section>.xml": ["/sitemap-practices.xml"],
        "robots.txt": ["/robots.txt"],
        "healthz": ["/healthz"],
        "media/<path:path>": [f"/media/{image.image.name}"],
        "": ["/"],
        "about/data/": ["/about/data/"],
        "cities/": ["/cities/"],
        "cities/map/": ["/cities/map/"],
        "cities/data-quality/": ["/cities/data-quality/"],
        "cities/export.<str:format>": ["/cities/export.csv"],
        "cities/<slug:slug>/": [f"/cities/{a.slug}/"],
        "cities/<slug:slug>/edit/": [f"/cities/{a.slug}/edit/"],
        "sdg/": ["/sdg/"],
        "sdg/<int:number>/": ["/sdg/11/"],
        "practices/find-solutions/": ["/practices/find-solutions/?q=empty+shops"],
        "practices/<slug:slug>/sdg-suggestions/": [f"/practices/{p}/sdg-suggestions/"],
        "practices/": ["/practices/"],
        "practices/new/": ["/practices/new/"],
        "practices/mine/": ["/practices/mine/"],
        "practices/review/": ["/practices/review/"],
        "practices/feed.atom": ["/practices/feed.atom"],
        "practices/export.<str:format>": ["/practices/export.csv"],
        "practices/autosave/<str:step>/": ["/practices/autosave/basics/"],
        "practices/discard/<str:step>/": ["/practices/discard/basics/"],
        "practices/<slug:slug>/": [f"/practices/{p}/"],
        "practices/<slug:slug>.jsonld": [f"/practices/{published.slug}.jsonld"],
        "practices/<slug:slug>/edit/images/": [f"/practices/{published.slug}/edit/images/"],
        "practices/<slug:slug>/edit/images/<int:image_id>/delete/": [
            f"/practices/{published.slug}/edit/images/{image.pk}/delete/"
        ],
        "practices/<slug:slug>/edit/<str:step>/": [f"/practices/{p}/edit/basics/", f"/practices/{p}/edit/story/"],
        "practices/<slug:slug>/autosave/<str:step>/": [f"/practices/{p}/autosave/basics/"],
        "practices/<slug:slug>/discard/<str:step>/": [f"/practices/{p}/discard/basics/"],
        "practices/<slug:slug>/preview/": [f"/practices/{p}/preview/"],
        "practices/<slug:slug>/act/": [f"/practices/{p}/act/"],
        "practices/<slug:slug>/history/": [f"/practices/{published.slug}/history/"],
        "practices/<slug:slug>/history/<int:number>/restore/": [f"/practices/{published.slug}/history/1/restore/"],
        "practices/<slug:slug>/delete/": [f"/practices/{p}/delete/"],
        "practices/<slug:slug>/undelete/": [f"/practices/{deleted.slug}/undelete/"],
        "challenges/": ["/challenges/"],
        "challenges/new/": ["/challenges/new/"],
        "challenges/mine/": ["/challenges/mine/"],
        "challenges/<slug:slug>/": [f"/challenges/{ch}/"],
        "challenges/<slug:slug>/edit/": [f"/challenges/{ch}/edit/"],
        "challenges/<slug:slug>/clinic/": [f"/challenges/{ch}/clinic/"],
        "challenges/<slug:slug>/respond/": [f"/challenges/{ch}/respond/"],
        "challenges/<slug:slug>/practices/": [f"/challenges/{ch}/practices/"],
        "challenges/<slug:slug>/conclude/": [f"/challenges/{ch}/conclude/"],
        "challenges/<slug:slug>/invite/": [f"/challenges/{ch}/invite/"],
        "challenges/<slug:slug>/responses/<int:response_id>/second/": [
            f"/challenges/{ch}/responses/{response.pk}/second/"
        ],
        "challenges/<slug:slug>/responses/<int:response_id>/helped/": [
            f"/challenges/{ch}/responses/{response.pk}/helped/"
        ],
        "cooperation/": ["/cooperation/"],
        "cooperation/network-<str:table>.csv": ["/cooperation/network-ties.csv"],
        "cooperation/partnerships/": ["/cooperation/partnerships/"],
        "cooperation/partnerships/new/": ["/cooperation/partnerships/new/"],
        "cooperation/partnerships/<slug:slug>/": [f"{ps}/"],
        "cooperation/partnerships/<slug:slug>/terms/": [f"{ps}/terms/"],
        "cooperation/partnerships/<slug:slug>/milestones/": [f"{ps}/milestones/"],
        "cooperation/partnerships/<slug:slug>/milestones/<int:pk>/done/": [
            f"/cooperation/partnerships/{in_force.slug}/milestones/{milestone.pk}/done/"
        ],
        "cooperation/partnerships/<slug:slug>/documents/": [f"{ps}/documents/"],
        "cooperation/partnerships/<slug:slug>/documents/<int:pk>/": [f"{ps}/documents/{document.pk}/"],
        "cooperation/partnerships/<slug:slug>/record/<str:step>/": [f"{ps}/record/end/"],
        "cooperation/partnerships/<slug:slug>/<str:action>/": [f"{ps}/withdraw/", f"{ps}/discuss/"],
        "cooperation/transfers/<int:pk>/": [f"/cooperation/transfers/{transfer.pk}/"],
        "cooperation/transfers/<int:pk>/edit/": [f"/cooperation/transfers/{transfer.pk}/edit/"],
        "cooperation/practices/<slug:slug>/adapted/": [f"/cooperation/practices/{not_adapted.slug}/adapted/"],
        "cooperation/peers/": ["/cooperation/peers/"],
        "cooperation/peers/<slug:slug>/": [f"/cooperation/peers/{a.slug}/"],
        "events/": ["/events/"],
        "events/new/": ["/events/new/"],
        "events/calendar/<str:token>.ics": ["/events/calendar/not-a-token.ics"],
        "events/<slug:slug>/": [f"/events/{e}/"],
        "events/<slug:slug>/edit/": [f"/events/{e}/edit/"],
        "events/<slug:slug>/programme/": [f"/events/{e}/programme/"],
        "events/<slug:slug>/programme.ics": [f"/events/{e}/programme.ics"],
        "events/<slug:slug>/programme.<str:format>": [f"/events/{e}/programme.csv"],
        "events/<slug:slug>/speakers/": [f"/events/{e}/speakers/"],
        "events/<slug:slug>/speakers/new/": [f"/events/{e}/speakers/new/"],
        "events/<slug:slug>/speakers/<slug:speaker_slug>/": [f"/events/{e}/speakers/{speaker.slug}/"],
        "events/<slug:slug>/speakers/<slug:speaker_slug>/edit/": [f"/events/{e}/speakers/{speaker.slug}/edit/"],
        "events/<slug:slug>/sessions/new/": [f"/events/{e}/sessions/new/"],
        "events/<slug:slug>/sessions/<int:session_id>/edit/": [f"/events/{e}/sessions/{session.pk}/edit/"],
        "events/<slug:slug>/sessions/<int:session_id>/delete/": [f"/events/{e}/sessions/{session.pk}/delete/"],
        "events/<slug:slug>/sessions/<int:session_id>/star/": [f"/events/{e}/sessions/{session.pk}/star/"],
        "events/<slug:slug>/register/": [f"/events/{e}/register/"],
        "events/<slug:slug>/cancel/": [f"/events/{e}/cancel/"],
        "events/<slug:slug>/agenda/": [f"/events/{e}/agenda/"],
        "events/<slug:slug>/agenda/renew/": [f"/events/{e}/agenda/renew/"],
        "events/<slug:slug>/participants/": [f"/events/{e}/participants/"],
        "events/<slug:slug>/participants/<int:registration_id>/<str:action>/": [
            f"/events/{e}/participants/{registration.pk}/cancel/"
        ],
        "events/<slug:slug>/outcomes/new/": [f"/events/{e}/outcomes/new/"],
        "events/<slug:slug>/outcomes/<int:outcome_id>/edit/": [f"/events/{e}/outcomes/{outcome.pk}/edit/"],
        "events/<slug:slug>/outcomes/<int:outcome_id>/sign/": [f"/events/{e}/outcomes/{outcome.pk}/sign/"],
        "publications/": ["/publications/"],
        "publications/new/": ["/publications/new/"],
        "publications/exhibitions/new/": ["/publications/exhibitions/new/"],
        "publications/exhibitions/<slug:slug>/": [f"/publications/exhibitions/{ex}/"],
        "publications/exhibitions/<slug:slug>/edit/": [f"/publications/exhibitions/{ex}/edit/"],
        "publications/exhibitions/<slug:slug>/add/": [f"/publications/exhibitions/{ex}/add/"],
        "publications/exhibitions/<slug:slug>/order/": [f"/publications/exhibitions/{ex}/order/"],
        "publications/exhibitions/<slug:slug>/<slug:practice_slug>/": [
            f"/publications/exhibitions/{ex}/{published.slug}/"
        ],
        "publications/exhibitions/<slug:slug>/<slug:practice_slug>/locator.svg": [
            f"/publications/exhibitions/{ex}/{published.slug}/locator.svg"
        ],
        "publications/<slug:slug>/": [f"/publications/{pub}/"],
        "publications/<slug:slug>/edit/": [f"/publications/{pub}/edit/"],
        "publications/<slug:slug>/read/<str:language>/": [f"/publications/{pub}/read/en/"],
        "publications/<slug:slug>/report/<str:language>/": [f"/publications/{pub}/report/en/"],
        "publications/<slug:slug>/build/": [f"/publications/{pub}/build/"],
        "publications/<slug:slug>/builds/<int:build_id>/": [f"/publications/{pub}/builds/{build.pk}/"],
        "publications/<slug:slug>/builds/<int:build_id>.<str:format>": [f"/publications/{pub}/builds/{build.pk}.epub"],
        "publications/<slug:slug>/chapters/new/": [f"/publications/{pub}/chapters/new/"],
        "publications/<slug:slug>/chapters/order/": [f"/publications/{pub}/chapters/order/"],
        "publications/<slug:slug>/chapters/<int:chapter_id>/": [f"/publications/{pub}/chapters/{chapter.pk}/"],
        "publications/<slug:slug>/chapters/<int:chapter_id>/add/": [f"/publications/{pub}/chapters/{chapter.pk}/add/"],
        "publications/<slug:slug>/chapters/<int:chapter_id>/order/": [
            f"/publications/{pub}/chapters/{chapter.pk}/order/"
        ],
        "publications/<slug:slug>/chapters/<int:chapter_id>/delete/": [
            f"/publications/{pub}/chapters/{chapter.pk}/delete/"
        ],
        "progress/board/": ["/progress/board/"],
        "progress/board/rule/": ["/progress/board/rule/"],
        "progress/glance/": ["/progress/glance/?goal=11"],
        "progress/glance/reporting/": ["/progress/glance/reporting/"],
        "progress/glance/ties/": ["/progress/glance/ties/"],
        "progress/cities/<slug:slug>/reports/": [f"/progress/cities/{a.slug}/reports/"],
        "progress/cities/<slug:slug>/reports/start/": [f"/progress/cities/{a.slug}/reports/start/"],
        "progress/cities/<slug:slug>/reports/due/": [f"/progress/cities/{a.slug}/reports/due/"],
        "progress/cities/<slug:slug>/sdg/": [f"/progress/cities/{a.slug}/sdg/"],
        "progress/cities/<slug:slug>/sdg/values/new/": [f"/progress/cities/{a.slug}/sdg/values/new/"],
        "progress/cities/<slug:slug>/sdg/values/<int:pk>/": [f"/progress/cities/{a.slug}/sdg/values/{value.pk}/"],
        "progress/cities/<slug:slug>/sdg/values/<int:pk>/delete/": [
            f"/progress/cities/{a.slug}/sdg/values/{value.pk}/delete/"
        ],
        "progress/cities/<slug:slug>/sdg/summary/": [f"/progress/cities/{a.slug}/sdg/summary/"],
        "progress/reports/<int:pk>/": [f"/progress/reports/{report.pk}/"],
        "progress/reports/<int:pk>/edit/": [f"/progress/reports/{report.pk}/edit/"],
        "progress/reports/<int:pk>/autosave/": [f"/progress/reports/{report.pk}/autosave/"],
        "progress/reports/<int:pk>/discard/": [f"/progress/reports/{report.pk}/discard/"],
        "progress/reports/<int:pk>/act/": [f"/progress/reports/{report.pk}/act/"],
        "progress/reports/<int:pk>/history/": [f"/progress/reports/{report.pk}/history/"],
        "progress/reports/<int:pk>/build/": [f"/progress/reports/{report.pk}/build/"],
        "progress/builds/<int:build_id>/": [f"/progress/builds/{build.pk}/"],
        "accounts/login/": ["/accounts/login/"],
        "accounts/logout/": ["/accounts/logout/"],
        "accounts/": ["/accounts/"],
        "accounts/notifications/": ["/accounts/notifications/"],
        "accounts/cities/<slug:slug>/invite/": [f"/accounts/cities/{a.slug}/invite/"],
        "accounts/invitations/<int:pk>/revoke/": [f"/accounts/invitations/{invitation.invitation.pk}/revoke/"],
        "accounts/invitation/<str:token>/": ["/accounts/" + invitation.link.split("/accounts/", 1)[1]],
        "accounts/tokens/": ["/accounts/tokens/"],
        "accounts/tokens/<int:pk>/revoke/": [f"/accounts/tokens/{token.token.pk}/revoke/"],
        "accounts/password-reset/": ["/accounts/password-reset/"],
        "accounts/password-reset/sent/": ["/accounts/password-reset/sent/"],
        "accounts/password-reset/<uidb64>/<token>/": [f"/accounts/password-reset/{uid}/{reset}/"],
        "accounts/password-reset/done/": ["/accounts/password-reset/done/"],
        "accounts/password/": ["/accounts/password/"],
    }
    users = {
        "member": member,
        "partner": partner,
        "focal_a": fa,
        "focal_b": fb,
        "secretariat": sec,
    }
    clients = {"anonymous": Client(), **{name: client_for(user) for name, user in users.items()}}
    return World(
        a=a,
        b=b,
        c=c,
        users=users,
        clients=clients,
        paths=paths,
        of_b=of_b,
        of_c=of_c,
        published=published,
        outcome=outcome,
        chapter=chapter,
        party_of_c=partnership.parties.get(city=c).pk,
        event_day=event.starts_on.isoformat(),
    )


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def foreign_values(world: World) -> dict[str, str]:
    """A foreign id (city B, C's party, B's practice, B's focal point) or a flag for each injectable name."""
    b, practice, intruder = str(world.b.pk), str(world.of_b.pk), str(world.users["focal_b"].pk)
    values = dict.fromkeys(("city", "cities", "lead_city", "partner_cities", "proposer_city", "to_city"), b)
    values |= {"host_city": b, "party": str(world.party_of_c), "practice": practice}
    values |= {"adapted_practice": practice, "adapted_from": practice, "owner": intruder, "author": intruder}
    values |= {"user": intruder, "status": "published", "is_staff": "on", "is_superuser": "on"}
    assert set(values) == set(FOREIGN_FIELDS)
    return values


def bodies(world: World, route: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The cases' form data: the page's own form (or the route's body) with foreign ids and flags added; and,
    where the form has fields for foreign ids, the same form with B's or C's ids in them."""
    foreign = foreign_values(world)
    editor = next(world.clients[name] for name in ("focal_a", "secretariat") if name in EXPECTED[route])
    form: dict[str, Any] = page_form(editor, path)
    if route in BODIES:
        form |= BODIES[route](world)
    form = {name: value[0] if isinstance(value, list) and len(value) == 1 else value for name, value in form.items()}
    plain = {**{name: value for name, value in foreign.items() if name not in form}, **form}
    cases = [("form", plain)]
    named = [name for name in FOREIGN_FIELDS if name in form]
    if named:
        cases.append(("injected " + ",".join(named), {**form, **{name: foreign[name] for name in named}}))
    return cases


@dataclass
class Tally:
    cases: int = 0
    surprises: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)  # patterns where an allowed persona's post changed something


def test_every_writing_pattern_has_an_expectation() -> None:
    writing = {route for route, view in routes_and_views().items() if accepts_writes(view)}
    assert sorted(writing - set(EXPECTED)) == [], "patterns that accept POST without an expectation"
    assert sorted(set(EXPECTED) - writing) == [], "expectations for patterns that do not accept POST"


def test_the_pages_authorization_matrix(world: World) -> None:
    views = routes_and_views()
    assert sorted(set(views) - set(world.paths)) == [], "patterns without an address in the world fixture"
    # Every case is rolled back, so every case starts from this same database.
    world.before, world.b_before = fingerprint(), b_footprint(world.b)
    tally = Tally()
    read_only = 0
    for route, view in sorted(views.items()):
        if not accepts_writes(view):
            read_only += 1
            for path in world.paths[route]:
                for persona in ("focal_a", "secretariat"):
                    allowed = READS_THAT_WRITE.get(route, NOBODY)
                    check(world, Case(route, path, persona, "read-only", foreign_values(world)), allowed, tally)
            continue
        for path in world.paths[route]:
            for variant, body in bodies(world, route, path):
                for persona in PERSONAS:
                    check(world, Case(route, path, persona, variant, body), EXPECTED[route], tally)
    writing = len(views) - read_only
    print(  # noqa: T201
        f"\npages authorization matrix: {tally.cases} cases ({writing} patterns accepting POST, their forms "
        f"with and without foreign ids × {len(PERSONAS)} personas; {read_only} read-only patterns × 2 personas)"
    )
    # Where no allowed persona's post changed anything (a no-op such as signing out, a step the record's state
    # does not allow, an upload), the refusals there are checked with data that would not have changed it.
    unreached = sorted(set(EXPECTED) - tally.reached)
    print(f"{len(EXPECTED) - len(unreached)} patterns changed by an allowed post; not by any: {unreached}")  # noqa: T201
    assert tally.surprises == [], "\n".join(tally.surprises)


@dataclass
class Case:
    route: str
    path: str
    persona: str
    variant: str
    body: dict[str, Any]


def check(world: World, case: Case, allowed: frozenset[str], tally: Tally) -> None:
    tally.cases += 1
    client = world.clients[case.persona]
    cookies = copy.deepcopy(client.cookies)  # signing in or out changes the session, which is rolled back
    with transaction.atomic():  # every case starts from the same world: what it did is undone after
        data = {name: value() if callable(value) else value for name, value in case.body.items()}  # a new file
        response = client.post(case.path, data)
        changed = sorted(table for table, digest in fingerprint().items() if world.before.get(table) != digest)
        b_after = b_footprint(world.b) if changed else world.b_before
        b_changed = sorted(key for key, rows in b_after.items() if world.b_before.get(key) != rows)
        transaction.set_rollback(True)
    client.cookies = cookies
    where = f"POST {case.path} ({case.route}, {case.variant}) as {case.persona}"
    refused = case.persona not in allowed
    if changed and not refused:
        tally.reached.add(case.route)
    if response.status_code >= 500:
        tally.surprises.append(f"{where}: server error {response.status_code}")
    elif refused and changed:
        tally.surprises.append(f"{where}: {response.status_code}, changed {changed}")
    elif refused and case.variant != "read-only" and response.status_code not in REFUSALS:
        tally.surprises.append(f"{where}: {response.status_code}, not a refusal")
    elif b_changed and case.persona not in B_KEEPERS:
        tally.surprises.append(f"{where}: changed what belongs to city B ({b_changed})")
