"""What the home page shows first: practices with a summary, a place a reader knows and results."""

import pytest
from django.test import Client

from ccx.cities.models import City
from ccx.practices.models import Practice
from tests.conftest import Personas
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_practices_with_a_summary_a_known_place_and_results_first(
    personas: Personas, client: Client
) -> None:
    author, reviewer, city = personas.focal_a_user, personas.secretariat_user, personas.city_a
    complete = published_practice(author, reviewer, city, "Carpet school", results="120 weavers trained.")
    published_practice(author, reviewer, city, "No results yet")
    nowhere = published_practice(author, reviewer, city, "Somewhere in a country", results="Done.")
    Practice.objects.filter(pk=nowhere.pk).update(lead_city=None, place_name="")
    town = published_practice(author, reviewer, city, "In a named town", results="A market opened.")
    Practice.objects.filter(pk=town.pk).update(lead_city=None, place_name="Mary")

    assert sorted(practice.title for practice in Practice.objects.showcase()) == ["Carpet school", "In a named town"]
    picked = [practice.title for practice in Practice.objects.showcase_first(4)]
    assert picked[:2] == ["In a named town", "Carpet school"]  # the showcase ones, newest first
    assert sorted(picked[2:]) == ["No results yet", "Somewhere in a country"]  # then the others, to fill the row
    html = client.get("/").content.decode()
    assert html.index("In a named town") < html.index("Carpet school") < html.index("No results yet")
    assert complete.lead_city == City.objects.get(slug="ashgabat-tm")
