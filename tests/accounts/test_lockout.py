"""Sign-in lockout (django-axes): after the configured failures, even the right password is refused."""

import pytest
from django.test import Client

from ccx.accounts.models import User

PASSWORD = "a-long-test-password-31"


@pytest.fixture
def account(db: None) -> User:
    return User.objects.create_user("locked", "locked@example.org", PASSWORD)


def sign_in(client: Client, password: str, username: str = "locked") -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def test_five_wrong_passwords_lock_the_account(account: User, settings: object) -> None:
    attacker = Client(REMOTE_ADDR="10.1.1.1")
    assert [sign_in(attacker, "wrong") for _ in range(4)] == [200] * 4
    response = attacker.post("/accounts/login/", {"username": "locked", "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert sign_in(attacker, PASSWORD) == 429
    # The account is locked from any address, not only the attacker's.
    assert sign_in(Client(REMOTE_ADDR="10.2.2.2"), PASSWORD) == 429


def test_one_address_trying_many_accounts_is_locked(account: User) -> None:
    attacker = Client(REMOTE_ADDR="10.3.3.3")
    assert [sign_in(attacker, "wrong", f"guess-{n}") for n in range(5)] == [200, 200, 200, 200, 429]
    assert sign_in(attacker, PASSWORD) == 429
    assert sign_in(Client(REMOTE_ADDR="10.4.4.4"), PASSWORD) == 302


def test_a_successful_sign_in_resets_the_count(account: User) -> None:
    client = Client(REMOTE_ADDR="10.5.5.5")
    assert [sign_in(client, "wrong") for _ in range(4)] == [200] * 4
    assert sign_in(client, PASSWORD) == 302
    client.logout()
    assert [sign_in(client, "wrong") for _ in range(4)] == [200] * 4
