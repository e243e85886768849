"""Publications and exhibitions for tests, built through the same services as the site."""

from typing import Any

from ccx.accounts.models import User
from ccx.cities.models import City
from ccx.practices.models import Practice
from ccx.publications import services
from ccx.publications.models import Chapter, Exhibition, Publication
from tests.practices.factories import published_practice

CHINESE_TITLE = "创意城市应对新冠肺炎疫情"


def book_practice(secretariat: User, city: City, title: str, **values: Any) -> Practice:
    values.setdefault("tagline", f"{title}: the tagline")
    values.setdefault(
        "indicators",
        [
            {
                "name": "People reached",
                "value": "1200",
                "unit": "people",
                "baseline": None,
                "year": 2021,
                "source": "City",
            }
        ],
    )
    return published_practice(secretariat, secretariat, city, title, crisis_response="COVID-19", **values)


def make_publication(secretariat: User, practices: list[Practice], **values: Any) -> tuple[Publication, Chapter]:
    publication = services.save_publication(
        secretariat,
        {
            "title": "Creative Cities Response to COVID-19",
            "subtitle": "Good urban practices",
            "editors": "Ana Editor, Li Editor",
            "foreword": "Cities answered the pandemic with **creativity**.",
            "translations": {
                "zh-hans": {"title": CHINESE_TITLE},
                "fr": {"title": "Les villes créatives face à la COVID-19"},
            },
            **values,
        },
    )
    chapter = services.save_chapter(
        secretariat,
        publication,
        {"title": "Health", "introduction": "How cities kept people safe.", "translations": {"fr": {"title": "Santé"}}},
    )
    services.add_practices(secretariat, chapter, [practice.pk for practice in practices])
    return publication, chapter


def make_exhibition(secretariat: User, practices: list[Practice], **values: Any) -> Exhibition:
    exhibition = services.save_exhibition(
        secretariat, {"title": "Living heritage", "introduction": "Heritage alive.", "is_published": True, **values}
    )
    services.add_to_exhibition(secretariat, exhibition, [practice.pk for practice in practices])
    return exhibition
