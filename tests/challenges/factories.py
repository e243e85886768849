"""Challenges for tests, made through the same domain functions as the site."""

from typing import Any

from ccx.accounts.models import User
from ccx.challenges.models import Challenge
from ccx.challenges.services import post_challenge
from ccx.cities.models import City

STATEMENT = "Our challenge is that a third of the shops in the historic centre stand empty since the pandemic."


def make_challenge(author: User, city: City, title: str = "Empty shops in the old town", **values: Any) -> Challenge:
    return post_challenge(author, {"city": city, "title": title, "statement": STATEMENT, **values})
