import re

import pytest
from django.test import Client

from ccx.cities.models import City

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def test_home_shows_the_network_at_a_glance(client: Client) -> None:
    html = client.get("/").content.decode()
    stats = re.findall(r'<div class="stat"><strong>([^<]+)</strong>', html)
    assert stats == ["350", "105", "0", "2023"]
    assert re.findall(r'<text class="value" [^>]*>(\d+)</text>', html)[:7] == ["75", "66", "56", "53", "49", "26", "25"]
    newest = City.objects.members().filter(designation_year=2023).count()
    assert f"See all {newest} cities" in html


@pytest.mark.parametrize(
    "path",
    ["/", "/cities/", "/cities/ashgabat-tm/", "/cities/map/", "/sdg/", "/sdg/11/", "/about/data/", "/accounts/login/"],
)
def test_every_page_has_a_strict_csp_and_no_inline_code(client: Client, path: str) -> None:
    response = client.get(path)
    html = response.content.decode()
    assert sorted(response["Content-Security-Policy"].split("; ")) == sorted(CSP.split("; "))
    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html) == []
    assert re.findall(r"\sstyle=", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []
    assert "<style" not in html


@pytest.mark.parametrize(
    ("prefix", "lang", "word"), [("", "en", "Cities"), ("/fr", "fr", "Villes"), ("/zh-hans", "zh-hans", "城市")]
)
def test_the_interface_speaks_three_languages(client: Client, prefix: str, lang: str, word: str) -> None:
    html = client.get(f"{prefix}/cities/").content.decode()
    assert f'<html lang="{lang}">' in html
    assert f">{word}</a>" in html


def test_the_language_switcher_keeps_the_page_and_the_query(client: Client) -> None:
    html = client.get("/cities/?field=music").content.decode()
    assert 'href="/language/fr/?next=/fr/cities/%3Ffield%3Dmusic"' in html
    assert 'href="/language/zh-hans/?next=/zh-hans/cities/%3Ffield%3Dmusic"' in html


def test_about_the_data_names_sources_and_gaps(client: Client) -> None:
    html = client.get("/about/data/").content.decode()
    assert "GeoNames" in html
    assert "open-sdg/sdg-translations" in html
    assert "28 members have no known year of designation." in html
