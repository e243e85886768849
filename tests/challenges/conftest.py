from collections.abc import Iterator

import pytest

from ccx.practices.models import Practice
from ccx.search.index import index_practices, live_index
from tests.conftest import Personas
from tests.practices.factories import published_practice

LIBRARY = [
    ("Pop-up studios in empty shops", "Young designers rent empty shops in the historic centre for a symbolic rent."),
    ("Clean rivers with citizen science", "Volunteers measure river pollution with low-cost sensors and open data."),
]


@pytest.fixture
def library(personas: Personas) -> Iterator[dict[str, Practice]]:
    """Two published practices of Gangneung (city B), indexed for search and matching."""
    live_index.reset()
    practices = {
        title: published_practice(
            personas.focal_b_user, personas.secretariat_user, personas.city_b, title, summary=text, description=text
        )
        for title, text in LIBRARY
    }
    index_practices(Practice.objects.all())
    yield practices
    live_index.reset()
