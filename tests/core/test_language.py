"""The interface language: the browser's on a first visit, the visitor's own choice after that."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("fr", "/fr/"),
        ("fr-CA,fr;q=0.9,en;q=0.5", "/fr/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("zh-Hans", "/zh-hans/"),
    ],
)
def test_a_first_visit_gets_the_browsers_language(client: Client, accept: str, location: str) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert (response.status_code, response["Location"]) == (302, location)
    assert "Accept-Language" in response["Vary"]
    page = client.get(location, HTTP_ACCEPT_LANGUAGE=accept)
    assert f'<html lang="{location.strip("/")}">' in page.content.decode()


@pytest.mark.parametrize("accept", ["en-GB,en;q=0.9", "de-DE,de;q=0.9", ""])
def test_english_and_unsupported_browsers_stay_on_the_english_page(client: Client, accept: str) -> None:
    response = client.get("/cities/?field=music", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_page_and_query_are_kept(client: Client) -> None:
    response = client.get("/cities/?field=music", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/fr/cities/?field=music"


def test_a_prefixed_address_is_served_as_asked(client: Client) -> None:
    response = client.get("/zh-hans/cities/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/cities", "/favicon.ico", "/accounts/no-such-page/"])
def test_addresses_without_a_translated_version_are_not_redirected(client: Client, path: str) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert not response.get("Location", "").startswith("/fr/")


def test_forms_posted_to_an_unprefixed_address_are_not_redirected(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200


def test_the_visitors_choice_sticks_over_the_browsers_language(client: Client) -> None:
    chosen = client.get("/language/en/", {"next": "/fr/cities/?field=music"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert chosen["Location"] == "/cities/?field=music"
    assert chosen.cookies["django_language"].value == "en"
    for path in ("/", "/cities/", "/practices/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.content.decode()


def test_choosing_chinese_sends_later_unprefixed_visits_to_chinese(client: Client) -> None:
    chosen = client.get("/language/zh-hans/", {"next": "/cities/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert chosen["Location"] == "/zh-hans/cities/"
    assert client.get("/practices/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/zh-hans/practices/"


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/"])
def test_the_switcher_never_sends_visitors_to_another_site(client: Client, next_url: str) -> None:
    assert client.get("/language/fr/", {"next": next_url})["Location"] == "/fr/"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/password-reset/done/",
        "/accounts/password-reset/MQ/bad-token/",
    ],
)
def test_the_site_name_shows_on_the_sign_in_pages(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    assert "<span>Creative Cities Exchange</span>" in html
    assert "testserver" not in html
