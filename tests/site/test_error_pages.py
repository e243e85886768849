"""No dead ends: styled error pages, a 403 (never a sign-in loop) for signed-in people without the role."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from ccx.core.public_url import RequestOriginMiddleware, public_url
from ccx.site.error_pages import server_error
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/practices/review/", "/cities/data-quality/", "/publications/new/"])
def test_a_signed_in_person_without_the_role_gets_a_styled_403_not_a_sign_in_loop(
    personas: Personas, path: str
) -> None:
    response = personas.focal_a.get(path)
    html = response.content.decode()
    assert response.status_code == 403
    assert '<link rel="stylesheet" href="/static/ccx/css/ccx.css">' in html
    assert "You are not allowed to do this" in html
    assert "You are signed in as focal-a" in html


@pytest.mark.parametrize("path", ["/practices/review/", "/cities/data-quality/"])
def test_an_anonymous_visitor_is_asked_to_sign_in(personas: Personas, path: str) -> None:
    response = personas.anonymous.get(path)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={path}")


def test_another_citys_practice_delete_is_refused_without_a_redirect(personas: Personas) -> None:
    from tests.practices.factories import published_practice

    practice = published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b)
    response = personas.focal_a.post(f"/practices/{practice.slug}/delete/")
    assert response.status_code == 403
    assert "Location" not in response


@override_settings(CCX_DEBUG=True, DEBUG=True)
def test_the_403_page_is_styled_in_development_too(personas: Personas) -> None:
    html = personas.focal_a.get("/practices/review/").content.decode()
    assert "You are not allowed to do this" in html


def test_the_404_page_is_in_the_site_design_and_language(client: Client) -> None:
    response = client.get("/fr/practices/no-such-practice/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr">' in html
    assert "Creative Cities Exchange" in html
    assert 'action="/fr/practices/"' in html


def test_the_500_page_is_in_the_site_design(rf: RequestFactory) -> None:
    request = rf.get("/")
    with translation.override("en"):  # no middleware here: the language an earlier test left active would apply
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "<title>Something went wrong · Creative Cities Exchange</title>" in html


@override_settings(SITE_URL="")
def test_links_in_e_mails_use_the_address_the_request_came_in_on(rf: RequestFactory) -> None:
    middleware = RequestOriginMiddleware(lambda request: HttpResponse(public_url("/cities/")))
    response = middleware(rf.get("/", HTTP_HOST="localhost:8123"))
    assert response.content.decode() == "http://localhost:8123/cities/"
    assert public_url("/cities/") == "http://127.0.0.1:8000/cities/"  # outside a request: the development address


@override_settings(SITE_URL="https://exchange.example.org/")
def test_the_configured_public_address_wins() -> None:
    assert public_url("/cities/") == "https://exchange.example.org/cities/"
