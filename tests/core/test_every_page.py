"""Every page answers for its persona, every URL pattern has a representative, and no form shows an English
label in French or Chinese when the catalogue has its translation."""

import html as html_lib
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.conftest import Personas
from tests.site_pages import NOT_PAGES, every_route, is_page, representatives

pytestmark = pytest.mark.django_db

LABEL = re.compile(r"<(label|option|legend|summary|button)\b[^>]*>(.*?)</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def clients(personas: Personas) -> dict[str, Client]:
    return personas.all()


def test_every_url_pattern_has_a_representative(personas: Personas) -> None:
    pages = {route for route in every_route() if is_page(route)}
    visited = {visit.route for visit in representatives(personas)}
    assert sorted(pages - visited) == [], "a page without a representative: add one in tests/site_pages.py"
    assert sorted(visited - pages) == [], "a representative for a pattern that no longer exists"
    assert sorted(set(NOT_PAGES) - set(every_route())) == []


def test_every_page_answers_for_its_persona(personas: Personas) -> None:
    answers = {}
    for visit in representatives(personas):
        answers[visit.route] = clients(personas)[visit.persona].get(visit.path, follow=True).status_code
    assert {route: status for route, status in answers.items() if status != 200} == {}


# Language names in a language menu are written in their own language ("English", "Français"), on purpose.
ENDONYMS = {name for _code, name in settings.CONTENT_LANGUAGES}


def english_labels_with_a_translation(page: str, language: str) -> list[str]:
    """Labels, options, legends and buttons still in English although the catalogue translates them."""
    found = []
    with translation.override(language):
        for _tag, inner in LABEL.findall(page):
            text = " ".join(html_lib.unescape(TAG.sub(" ", inner)).split())
            if len(text) > 2 and text not in ENDONYMS and translation.gettext(text) != text:
                found.append(text)
    return sorted(set(found))


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_forms_show_no_english_label_in_french_or_chinese(personas: Personas, language: str) -> None:
    english = {}
    for visit in representatives(personas):
        if is_page(visit.route) and visit.route != "api/v1/docs":
            page = clients(personas)[visit.persona].get(f"/{language}{visit.path}", follow=True).content.decode()
            if "<form" in page:
                english[visit.route] = english_labels_with_a_translation(page, language)
    left = {route: labels for route, labels in english.items() if labels}
    assert left == {}, "\n".join(f"{route}: {labels}" for route, labels in left.items())
