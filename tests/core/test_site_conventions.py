"""sitemap.xml, robots.txt and /healthz: what crawlers, balancers and monitors expect of a public site."""

import re
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from ccx.challenges.models import Visibility
from ccx.search.models import SearchDocument
from tests.challenges.factories import make_challenge
from tests.conftest import Personas
from tests.events.factories import make_event
from tests.practices.factories import make_practice, published_practice

pytestmark = pytest.mark.django_db


def addresses(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_sitemap_lists_public_records_in_every_language_and_nothing_private(personas: Personas) -> None:
    author, reviewer, city = personas.focal_a_user, personas.secretariat_user, personas.city_a
    published = published_practice(author, reviewer, city, "Sound walks in the old town")
    draft = make_practice(author, city, "A draft nobody should find")
    public = make_challenge(author, city, "Public challenge", visibility=Visibility.PUBLIC)
    network_only = make_challenge(author, city, "Members only challenge", visibility=Visibility.NETWORK)
    event = make_event("Open Summit")
    hidden_event = make_event("Draft Summit", is_published=False)

    sections = addresses(personas.anonymous, "/sitemap.xml")
    assert "http://testserver/sitemap-practices.xml" in sections
    assert "http://testserver/sitemap-cities.xml" in sections

    practices = addresses(personas.anonymous, "/sitemap-practices.xml")
    assert practices == [
        f"http://testserver/practices/{published.slug}/",
        f"http://testserver/fr/practices/{published.slug}/",
        f"http://testserver/zh-hans/practices/{published.slug}/",
    ]
    assert draft.slug not in "".join(practices)
    body = personas.anonymous.get("/sitemap-practices.xml").content.decode()
    assert 'hreflang="x-default"' in body
    assert "<lastmod>" in body

    challenges = "".join(addresses(personas.anonymous, "/sitemap-challenges.xml"))
    assert public.slug in challenges
    assert network_only.slug not in challenges
    events = "".join(addresses(personas.anonymous, "/sitemap-events.xml"))
    assert event.slug in events
    assert hidden_event.slug not in events
    cities = addresses(personas.anonymous, "/sitemap-cities.xml")
    assert len(cities) == 350 * 3
    assert "http://testserver/cities/rome-it/" in cities


def test_the_sitemap_does_not_grow_in_queries_with_records(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, f"Practice {number}")
    with django_assert_max_num_queries(2):
        personas.anonymous.get("/sitemap-practices.xml")


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for prefix in ("/admin/", "/accounts/", "/fr/accounts/", "/zh-hans/accounts/", "/api/", "/*?"):
        assert f"Disallow: {prefix}" in lines
    assert "Disallow: /" not in lines


def test_healthz_reports_every_check_in_json(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "search": "ok",
    }
    assert body["checks"]["search"]["published_practices"] == 0


def test_healthz_says_503_when_the_database_is_unreachable(client: Client) -> None:
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"
    assert "Connection refused" in body["checks"]["database"]["detail"]
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["search"]["status"] == "down"


def test_healthz_says_503_when_the_cache_loses_what_it_was_given(client: Client) -> None:
    with mock.patch.object(cache, "get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "status": "down",
        "detail": "a value written to the cache did not come back",
        "milliseconds": response.json()["checks"]["cache"]["milliseconds"],
    }


def test_healthz_says_503_when_published_practices_are_not_indexed(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a)
    SearchDocument.objects.filter(practice=practice).delete()  # indexing is a background task
    response = personas.anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["search"]["detail"] == "no published practice is indexed: run `ccx reindex`"


def meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[\w:]+)" content="([^"]*)"', html))


def test_city_and_practice_pages_have_link_previews(personas: Personas) -> None:
    rome = meta(personas.anonymous.get("/cities/rome-it/").content.decode())
    assert rome["og:title"] == rome["twitter:title"] == "Rome"
    assert rome["og:type"] == "profile"
    assert rome["og:url"] == "http://testserver/cities/rome-it/"
    assert rome["og:site_name"] == "Creative Cities Exchange"
    assert rome["twitter:card"] == "summary"
    assert len(rome["og:description"]) > 50

    practice = published_practice(
        personas.focal_a_user, personas.secretariat_user, personas.city_a, "Sound walks in the old town"
    )
    french = meta(personas.anonymous.get(f"/fr{practice.get_absolute_url()}").content.decode())
    assert french["og:title"] == "Sound walks in the old town"
    assert french["og:description"] == "A short summary of what the city did."
    assert french["og:locale"] == "fr"
    assert french["og:url"] == f"http://testserver/fr/practices/{practice.slug}/"


def test_event_pages_have_link_previews(client: Client) -> None:
    event = make_event("Open Summit", theme="Cities that share")
    tags = meta(client.get(event.get_absolute_url()).content.decode())
    expected = ("Open Summit", "Cities that share", "article")
    assert (tags["og:title"], tags["og:description"], tags["og:type"]) == expected
