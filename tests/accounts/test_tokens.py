"""Personal API tokens: made by `ccx api-token` or the account page, shown once, scoped, revocable."""

import io
import json
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ccx.accounts.models import ApiToken
from ccx.accounts.tokens import digest_of
from ccx.practices.models import Practice
from tests.conftest import Personas
from tests.practices.factories import make_practice


def command_token(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("api-token", username, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", enforce_csrf_checks=True)


def test_a_script_reads_and_writes_with_a_command_token_until_it_is_revoked(personas: Personas) -> None:
    draft = make_practice(personas.focal_a_user, personas.city_a, "Draft seen through a token")
    secret = command_token("focal-a", "--scope", "read-write", "--name", "sync script")
    token = ApiToken.objects.get()
    assert (token.digest, token.name, token.scope) == (digest_of(secret), "sync script", "read-write")
    assert secret not in {token.digest, token.prefix}  # only a digest and a recognisable prefix are kept
    script = bearer(secret)
    assert script.get(f"/api/v1/practices/{draft.slug}").status_code == 200  # a draft its owner may see
    changed = script.patch(
        f"/api/v1/practices/{draft.slug}",
        json.dumps({"tagline": "Changed by a script"}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert Practice.objects.get(pk=draft.pk).tagline == "Changed by a script"
    assert ApiToken.objects.get().last_used_at is not None
    command_token("focal-a", "--revoke", token.prefix[:8])
    refused = script.get(f"/api/v1/practices/{draft.slug}")
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("The API token is unknown, expired or revoked.")


def test_a_read_token_cannot_write(personas: Personas) -> None:
    draft = make_practice(personas.focal_a_user, personas.city_a, "Read only")
    script = bearer(command_token("focal-a"))
    response = script.patch(
        f"/api/v1/practices/{draft.slug}", json.dumps({"tagline": "No"}), content_type="application/json"
    )
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "This API token may only read. Create a read-write token to change records.",
    )
    assert Practice.objects.get(pk=draft.pk).tagline == ""


def test_an_expired_token_stops_working(personas: Personas) -> None:
    secret = command_token("focal-a", "--days", "1")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(secret).get("/api/v1/practices").status_code == 401


def test_a_token_acts_only_as_its_owner(personas: Personas) -> None:
    draft_of_b = make_practice(personas.focal_b_user, personas.city_b, "B's draft")
    script = bearer(command_token("focal-a", "--scope", "read-write"))
    assert script.get(f"/api/v1/practices/{draft_of_b.slug}").status_code in {403, 404}
    response = script.patch(
        f"/api/v1/practices/{draft_of_b.slug}", json.dumps({"tagline": "Taken"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert Practice.objects.get(pk=draft_of_b.pk).tagline == ""


def test_anonymous_writes_get_401_with_a_clear_message(personas: Personas) -> None:
    response = Client(enforce_csrf_checks=True).post("/api/v1/practices", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("Authentication required: send a personal API token")


def test_a_session_keeps_its_csrf_check(personas: Personas) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.focal_a_user)
    response = browser.post("/api/v1/practices", json.dumps({"title": "Forged"}), content_type="application/json")
    assert response.status_code == 403
    assert not Practice.objects.exists()


def test_the_account_page_shows_a_new_token_once_and_revokes_it(personas: Personas) -> None:
    page = personas.focal_a.post("/accounts/tokens/", {"name": "Dashboard sync", "scope": "read", "days": "30"})
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    secret = page.context["created"].secret
    assert digest_of(secret) == token.digest
    assert secret in page.content.decode()
    again = personas.focal_a.get("/accounts/tokens/").content.decode()
    assert secret not in again
    assert "Dashboard sync" in again
    assert personas.focal_b.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404  # not B's token
    assert personas.focal_a.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert bearer(secret).get("/api/v1/practices").status_code == 401


def test_tokens_are_documented_in_openapi(personas: Personas) -> None:
    document = personas.anonymous.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["BearerToken"]["description"],
    }
    assert "ccx api-token" in schemes["BearerToken"]["description"]
    post = document["paths"]["/api/v1/practices"]["post"]
    assert post["security"] == [{"BearerToken": []}, {"SignedInSession": []}]
