"""Rate limits: over the limit, 429 with Retry-After; nothing is done for the refused request."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client

from ccx.accounts.models import User
from ccx.core.throttling import ThrottleMiddleware, parse_rate
from tests.conftest import Personas


@pytest.fixture
def tight_limits(settings: object) -> None:
    settings.RATE_LIMITS = {  # type: ignore[attr-defined]
        "api-writes": "3/m",
        "search": "2/m",
        "matching": "2/m",
        "password-reset": "2/h",
    }


def test_matching_is_throttled_per_address(personas: Personas, tight_limits: None) -> None:
    body = json.dumps({"text": "too many tourists in the old town"})
    statuses = [
        personas.anonymous.post("/api/v1/match", body, content_type="application/json").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    refused = personas.anonymous.post("/api/v1/match", body, content_type="application/json")
    assert refused.json()["detail"].startswith("Too many requests. Please wait")
    assert 1 <= int(refused["Retry-After"]) <= 60
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.post("/api/v1/match", body, content_type="application/json").status_code == 200


def test_search_pages_and_api_share_one_limit(personas: Personas, tight_limits: None) -> None:
    assert personas.anonymous.get("/api/v1/search?q=music").status_code == 200
    assert personas.anonymous.get("/practices/?q=music").status_code == 200
    page = personas.anonymous.get("/practices/?q=music")
    assert page.status_code == 429
    assert "Too many requests" in page.content.decode()
    assert personas.anonymous.get("/practices/").status_code == 200  # browsing without a query is not counted


def test_api_writes_are_throttled_per_account(personas: Personas, tight_limits: None) -> None:
    url = f"/api/v1/cities/{personas.city_a.slug}"
    statuses = [
        personas.focal_a.patch(url, json.dumps({}), content_type="application/json").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert personas.focal_b.patch(url, json.dumps({}), content_type="application/json").status_code == 403


def test_password_resets_are_throttled_per_address_and_per_email(personas: Personas, tight_limits: None) -> None:
    User.objects.create_user("reset-me", "reset@example.org", "a-long-test-password-31")
    statuses = [
        Client()
        .post("/accounts/password-reset/", {"email": "reset@example.org"}, REMOTE_ADDR=f"10.0.0.{n}")
        .status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]  # a new address each time: the e-mail's own limit holds
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("rate", "parsed"), [("60/m", (60, 60)), ("5/h", (5, 3600)), ("10/5m", (10, 300)), (" 2 / s ", (2, 1))]
)
def test_rates_are_read_as_requests_per_window(rate: str, parsed: tuple[int, int]) -> None:
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["60/min", "60", "/m", "-1/m", "sixty/m"])
def test_a_mistyped_rate_stops_the_server_as_it_starts(rate: str, settings: object) -> None:
    settings.RATE_LIMITS = {"search": rate}  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="60/m or 5/h"):
        ThrottleMiddleware(lambda request: HttpResponse())


@pytest.mark.django_db
def test_a_window_starts_again_on_the_clock(tight_limits: None, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_800_000_000.0 + 30]  # half-way through a clock minute
    monkeypatch.setattr("time.time", lambda: now[0])
    visitor = Client(REMOTE_ADDR="10.0.0.4")
    assert [visitor.get("/api/v1/search?q=music").status_code for _ in range(3)] == [200, 200, 429]
    assert visitor.get("/api/v1/search?q=music")["Retry-After"] == "30"
    now[0] += 30  # the next minute
    assert visitor.get("/api/v1/search?q=music").status_code == 200
