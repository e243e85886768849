"""Practices for tests, built through the same domain functions as the site."""

from typing import Any

from ccx.accounts.models import User
from ccx.cities.models import City
from ccx.practices import workflow
from ccx.practices.models import Practice
from ccx.practices.services import create_practice

COMPLETE = {
    "summary": "A short summary of what the city did.",
    "description": "The city did **this**, then that.",
}


def make_practice(author: User, city: City, title: str = "Night markets for local crafts", **values: Any) -> Practice:
    return create_practice(author, {"title": title, "lead_city_id": city.pk, **COMPLETE, **values})


def published_practice(
    author: User, reviewer: User, city: City, title: str = "Published practice", **values: Any
) -> Practice:
    practice = make_practice(author, city, title, **values)
    workflow.submit(practice, author)
    workflow.publish(practice, reviewer)
    return practice
