"""Unique slugs for every kind of record."""

from ccx.core.slugs import unique_slug
from ccx.partnerships.models import Partnership
from tests.conftest import Personas
from tests.partnerships.factories import proposed


def test_a_taken_slug_gets_the_next_number(personas: Personas) -> None:
    proposed(personas.focal_a_user, personas.city_a, personas.city_b, title="Food labs")
    proposed(personas.focal_a_user, personas.city_a, personas.city_b, title="Food labs")
    assert sorted(Partnership.objects.values_list("slug", flat=True)) == ["food-labs", "food-labs-2"]
    assert unique_slug(Partnership.objects.all(), "Food labs!", fallback="partnership") == "food-labs-3"


def test_text_without_letters_to_keep_gets_the_fallback_and_a_random_suffix(personas: Personas) -> None:
    slug = unique_slug(Partnership.objects.all(), "创意", fallback="partnership")
    assert slug.startswith("partnership-")
    assert len(slug) == len("partnership-") + 8
