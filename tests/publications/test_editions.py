import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ccx.publications import services
from ccx.publications.editions import assemble_edition
from ccx.publications.models import Publication, isbn_is_valid
from tests.conftest import Personas
from tests.practices.factories import make_practice
from tests.publications.factories import CHINESE_TITLE, book_practice, make_publication

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [
        ("978-0-306-40615-7", True),
        ("9789231003981", True),
        ("978-0-306-40615-8", False),
        ("0-306-40615-2", True),
        ("0-306-40615-3", False),
        ("123", False),
    ],
)
def test_isbn_check_digits(isbn: str, valid: bool) -> None:
    assert isbn_is_valid(isbn) is valid


def test_a_bad_isbn_is_refused_and_nothing_is_saved(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.save_publication(personas.secretariat_user, {"title": "A book", "isbn": "978-0-306-40615-8"})
    assert Publication.objects.count() == 0


def test_each_text_is_in_the_edition_language_or_marked_and_reported(personas: Personas) -> None:
    translated = book_practice(
        personas.secretariat_user,
        personas.city_a,
        "Masks from the theatre workshops",
        translations=[
            {
                "language": "fr",
                "title": "Des masques des ateliers du théâtre",
                "tagline": "",
                "summary": "Résumé",
                "description": "",
            }
        ],
    )
    untranslated = book_practice(personas.secretariat_user, personas.city_b, "Kitchens that fed nurses")
    publication, _chapter = make_publication(personas.secretariat_user, [translated, untranslated])

    french = assemble_edition(publication, "fr")
    first, second = french.practices()
    assert (french.title.text, french.title.is_fallback) == ("Les villes créatives face à la COVID-19", False)
    assert (first.title.text, first.title.is_fallback) == ("Des masques des ateliers du théâtre", False)
    assert (first.summary.text, first.summary.is_fallback) == ("Résumé", False)
    assert (first.description.language, first.description.is_fallback) == ("en", True)
    assert (second.title.text, second.title.language, second.title.is_fallback) == (
        "Kitchens that fed nurses",
        "en",
        True,
    )
    report = [(fallback.where, fallback.field_label, fallback.shown_in) for fallback in french.fallbacks]
    assert report == [
        ("Publication", "Subtitle", "en"),
        ("Publication", "Foreword", "en"),
        ("Chapter 1", "Introduction", "en"),
        ("1.1 Masks from the theatre workshops", "Tagline", "en"),
        ("1.1 Masks from the theatre workshops", "Description", "en"),
        ("1.2 Kitchens that fed nurses", "Title", "en"),
        ("1.2 Kitchens that fed nurses", "Tagline", "en"),
        ("1.2 Kitchens that fed nurses", "Summary", "en"),
        ("1.2 Kitchens that fed nurses", "Description", "en"),
    ]
    chinese = assemble_edition(publication, "zh-hans")
    assert chinese.title.text == CHINESE_TITLE
    assert len(chinese.fallbacks) == 12  # everything but the title: 2 + 2 in the chapter + 4 per practice
    assert assemble_edition(publication, "en").fallbacks == []


def test_practices_are_numbered_in_their_chapter_order(personas: Personas) -> None:
    practices = [book_practice(personas.secretariat_user, personas.city_a, f"Practice {n}") for n in range(1, 4)]
    publication, chapter = make_publication(personas.secretariat_user, practices)
    entries = {entry.practice.title: entry.pk for entry in chapter.entries.select_related("practice")}
    services.reorder_practices(
        personas.secretariat_user,
        chapter,
        {entries["Practice 3"]: 1, entries["Practice 1"]: 2, entries["Practice 2"]: 2},
    )
    edition = assemble_edition(publication, "en")
    assert [(entry.number, entry.title.text) for entry in edition.practices()] == [
        ("1.1", "Practice 3"),
        ("1.2", "Practice 1"),
        ("1.3", "Practice 2"),
    ]


def test_only_published_practices_go_into_a_book(personas: Personas) -> None:
    draft = make_practice(personas.focal_a_user, personas.city_a, "Still a draft")
    _publication, chapter = make_publication(personas.secretariat_user, [])
    with pytest.raises(ValidationError, match="not published"):
        services.add_practices(personas.secretariat_user, chapter, [draft.pk])
    assert chapter.entries.count() == 0


@pytest.mark.parametrize("persona", ["focal_a_user", "focal_b_user"])
def test_only_the_secretariat_curates(personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.save_publication(getattr(personas, persona), {"title": "Mine"})
    with pytest.raises(PermissionDenied):
        services.save_exhibition(getattr(personas, persona), {"title": "Mine"})
