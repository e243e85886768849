"""The authorization matrix, generated from the code: every write operation of the API's OpenAPI document
× the six personas, against records owned by city A, with foreign ids and flags injected into each body.

For each case the expectation table says whether the persona may change the record. A refused persona
must change nothing in the database (every table's rows are fingerprinted before and after) and must get
a refusal status, never a server error. An operation that appears in the document without an expectation
fails the test, so a new endpoint cannot slip in unexamined.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from ccx.accounts.models import Organisation, OrganisationType
from ccx.api.urls import api
from ccx.challenges.clinic import open_clinic, respond
from ccx.cities.models import City
from ccx.events.models import Event, Session
from ccx.partnerships.transfers import TransferDetails, record_transfer
from tests.challenges.factories import make_challenge
from tests.conftest import Personas, client_for, make_user
from tests.events.factories import make_event, make_session
from tests.monitoring.factories import complete_report
from tests.partnerships.factories import proposed
from tests.practices.factories import make_practice, published_practice
from tests.publications.factories import make_publication

PERSONAS = ("anonymous", "member", "partner", "focal_a", "focal_b", "secretariat")
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
EDITORS_OF_A = frozenset({"focal_a", "secretariat"})
SECRETARIAT = frozenset({"secretariat"})
EVERYONE = frozenset(PERSONAS)
# Statuses a refusal may have: not signed in, forbidden, not found (one may not even see it), conflict
# with the record's state, or invalid (a foreign id injected into the body is refused as invalid).
REFUSALS = {302, 400, 401, 403, 404, 409, 422}
# Rows that change on every request whoever makes it (sessions, sign-in bookkeeping, throttling).
VOLATILE_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}

# Who may change records of city A through each operation (`EVERYONE` for operations that only compute).
EXPECTED: dict[str, frozenset[str]] = {
    "PATCH /api/v1/cities/{slug}": EDITORS_OF_A,
    "POST /api/v1/practices": EDITORS_OF_A,
    "PATCH /api/v1/practices/{slug}": EDITORS_OF_A,
    "POST /api/v1/practices/{slug}/workflow": EDITORS_OF_A,
    "POST /api/v1/match": EVERYONE,
    "POST /api/v1/sdg/suggest": EVERYONE,
    "POST /api/v1/challenges": EDITORS_OF_A,
    "PATCH /api/v1/challenges/{slug}": EDITORS_OF_A,
    "POST /api/v1/challenges/{slug}/clinic": EDITORS_OF_A,
    "POST /api/v1/challenges/{slug}/responses": frozenset({"focal_a", "focal_b", "secretariat"}),
    # Those who may respond (other cities' focal points, the secretariat) and the challenge's own focal points.
    "POST /api/v1/challenges/{slug}/responses/{response_id}/seconds": frozenset({"focal_a", "focal_b", "secretariat"}),
    "PUT /api/v1/challenges/{slug}/responses/{response_id}/helped": EDITORS_OF_A,
    "PUT /api/v1/challenges/{slug}/conclusion": EDITORS_OF_A,
    "POST /api/v1/challenges/{slug}/invitations": EDITORS_OF_A,
    "POST /api/v1/partnerships": EDITORS_OF_A,
    "POST /api/v1/partnerships/{slug}/steps": EDITORS_OF_A,
    "POST /api/v1/partnerships/{slug}/record": SECRETARIAT,
    "PUT /api/v1/partnerships/{slug}/terms": EDITORS_OF_A,
    "POST /api/v1/transfers": EDITORS_OF_A,
    "PATCH /api/v1/transfers/{transfer_id}": EDITORS_OF_A,
    "POST /api/v1/events/{slug}/registration": SIGNED_IN,  # each person registers themself
    "DELETE /api/v1/events/{slug}/registration": SIGNED_IN,
    "PUT /api/v1/events/{slug}/agenda/{session_id}": SIGNED_IN,  # a personal agenda
    "DELETE /api/v1/events/{slug}/agenda/{session_id}": SIGNED_IN,
    "POST /api/v1/publications/{slug}/builds": SECRETARIAT,
    "POST /api/v1/reports/{report_id}/workflow": EDITORS_OF_A,
    "POST /api/v1/cities/{slug}/indicator-values": EDITORS_OF_A,
}


@dataclass
class World:
    """Records owned by city A (and a third city C for the other end of a cooperation)."""

    clients: dict[str, Client]
    values: dict[str, Any]
    bodies: dict[str, dict[str, Any]]


@pytest.fixture
def world(personas: Personas, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RATELIMIT_ENABLE = False
    a, b = personas.city_a, personas.city_b
    c = City.objects.get(slug="bilbao-es")
    focal_c = make_user("focal-c", cities=(c,))
    member = make_user("member-1")
    partner = make_user("partner-1")
    partner.organisation = Organisation.objects.create(name="Crafts Council", kind=OrganisationType.CIVIL_SOCIETY)
    partner.save()
    fa, sec = personas.focal_a_user, personas.secretariat_user
    draft = make_practice(fa, a, "A's draft")
    own_published = published_practice(fa, sec, a, "A's published practice")
    of_c = published_practice(focal_c, sec, c, "C's published practice")
    challenge = open_clinic(make_challenge(fa, a, "A's challenge", visibility="public"), fa)
    response = respond(challenge, focal_c, "advice", "Try a night market.", city=c)
    partnership = proposed(fa, a, c, title="A's proposal with C")
    transfer = record_transfer(fa, of_c, a, TransferDetails(what_adapted="The market.", status="adapting"))
    event: Event = make_event("Summit of A")
    event.organiser_users.set([fa])
    session: Session = make_session(event)
    publication, _chapter = make_publication(sec, [own_published])
    report = complete_report(fa, a)
    values = {
        "cities": a.slug,
        "practices": draft.slug,
        "challenges": challenge.slug,
        "responses": response.pk,
        "partnerships": partnership.slug,
        "transfers": transfer.pk,
        "events": event.slug,
        "agenda": session.pk,
        "publications": publication.slug,
        "reports": report.pk,
    }
    # Each body carries foreign ids (B's city, C's party, another city's practice) and flags a caller must
    # not set (status, is_staff); an allowed caller may still be refused for them, a refused one always is.
    injected = {"status": "published", "is_staff": True, "owner": personas.focal_b_user.pk}
    bodies: dict[str, dict[str, Any]] = {
        "PATCH /api/v1/cities/{slug}": {"about": "Rewritten", **injected},
        "POST /api/v1/practices": {
            "title": "Planted in A",
            "lead_city": a.slug,
            "partner_cities": [b.slug],
            **injected,
        },
        "PATCH /api/v1/practices/{slug}": {
            "title": "Hijacked",
            "lead_city": b.slug,
            "adapted_from": of_c.slug,
            **injected,
        },
        "POST /api/v1/practices/{slug}/workflow": {"action": "submit"},
        "POST /api/v1/match": {"text": "Too many empty shops in the old town centre", "city": a.slug},
        "POST /api/v1/sdg/suggest": {"text": "Clean water for the old town"},
        "POST /api/v1/challenges": {
            "title": "Planted",
            "statement": "A long enough statement. " * 3,
            "city": a.slug,
            "visibility": "public",
            **injected,
        },
        "PATCH /api/v1/challenges/{slug}": {"title": "Hijacked", "city": b.slug, **injected},
        "POST /api/v1/challenges/{slug}/clinic": {"action": "close"},
        "POST /api/v1/challenges/{slug}/responses": {"kind": "advice", "text": "Our advice.", "city": a.slug},
        "POST /api/v1/challenges/{slug}/responses/{response_id}/seconds": {},
        "PUT /api/v1/challenges/{slug}/responses/{response_id}/helped": {"helped": True},
        "PUT /api/v1/challenges/{slug}/conclusion": {"key_obstacles": "Rents.", "ideas": "Markets."},
        "POST /api/v1/challenges/{slug}/invitations": {"city": b.slug},
        "POST /api/v1/partnerships": {
            "title": "Planted",
            "kind": "mou",
            "goals": "Goals.",
            "proposer_city": a.slug,
            "cities": [c.slug],
            **injected,
        },
        "POST /api/v1/partnerships/{slug}/steps": {"action": "withdraw", "party": partnership.parties.get(city=c).pk},
        "POST /api/v1/partnerships/{slug}/record": {"action": "end", "end_year": 2020},
        "PUT /api/v1/partnerships/{slug}/terms": {"title": "Changed terms", "kind": "mou", "goals": "New goals."},
        "POST /api/v1/transfers": {
            "practice": of_c.slug,
            "to_city": a.slug,
            "what_adapted": "X",
            "status": "exploring",
            "adapted_practice": draft.slug,
        },
        "PATCH /api/v1/transfers/{transfer_id}": {
            "what_adapted": "Changed",
            "status": "implemented",
            "adapted_practice": draft.slug,
        },
        "POST /api/v1/events/{slug}/registration": {"mode": "online"},
        "DELETE /api/v1/events/{slug}/registration": {},
        "PUT /api/v1/events/{slug}/agenda/{session_id}": {},
        "DELETE /api/v1/events/{slug}/agenda/{session_id}": {},
        "POST /api/v1/publications/{slug}/builds": {"language": "en", "formats": ["epub"]},
        "POST /api/v1/reports/{report_id}/workflow": {"action": "submit"},
        "POST /api/v1/cities/{slug}/indicator-values": {
            "indicator": "11.6.2",
            "year": 2024,
            "value": "12.5",
            "unit": "µg/m³",
            "source": "City office",
        },
    }
    clients = {
        "anonymous": Client(),
        "member": client_for(member),
        "partner": client_for(partner),
        "focal_a": client_for(fa),
        "focal_b": client_for(personas.focal_b_user),
        "secretariat": client_for(sec),
    }
    return World(clients, values, bodies)


def write_operations() -> list[str]:
    document = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    )


def fill(path: str, values: dict[str, Any]) -> str:
    """Put city A's records into the path: each {parameter} takes the record named by the segment before it."""

    def record(match: re.Match[str]) -> str:
        segment = match.group(1)
        if segment not in values:
            raise AssertionError(f"No record of city A for '{segment}' in {path}: add one to the world fixture.")
        return f"{segment}/{values[segment]}"

    return re.sub(r"(\w[\w-]*)/\{\w+\}", record, path)


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table (but the volatile ones): any insert, update or delete shows."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in VOLATILE_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            digests[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def test_every_write_operation_has_an_expectation() -> None:
    assert sorted(set(write_operations()) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(write_operations())) == []


def test_the_authorization_matrix(world: World) -> None:
    operations = write_operations()
    assert sorted(set(operations) - set(EXPECTED)) == [], "operations without an expectation"
    cases = 0
    surprises = []
    for operation in operations:
        method, path = operation.split(" ", 1)
        url = fill(path, world.values)
        body = world.bodies[operation]
        for persona in PERSONAS:
            cases += 1
            with transaction.atomic():  # every case starts from the same world: what it did is undone after
                before = fingerprint()
                client = world.clients[persona]
                response = client.generic(method, url, json.dumps(body), content_type="application/json")
                changed = sorted(table for table, digest in fingerprint().items() if before.get(table) != digest)
                transaction.set_rollback(True)
            allowed = persona in EXPECTED[operation]
            if response.status_code >= 500:
                surprises.append(f"{operation} as {persona}: server error {response.status_code}")
            elif not allowed and (changed or response.status_code not in REFUSALS):
                surprises.append(
                    f"{operation} as {persona}: {response.status_code}, changed {changed or 'nothing'} "
                    f"({response.content[:200]!r})"
                )
    print(f"\nauthorization matrix: {cases} cases ({len(operations)} write operations × {len(PERSONAS)} personas)")  # noqa: T201
    assert surprises == [], "\n".join(surprises)
