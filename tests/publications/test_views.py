import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccx.cities.models import Country, CreativeField
from ccx.practices.models import Practice, Status, Theme
from ccx.publications import services
from ccx.publications.demo import ensure_demo_content
from ccx.publications.models import Build, BuildStatus, ChapterPractice, Exhibition, Publication
from tests.conftest import Personas
from tests.publications.factories import book_practice, make_exhibition, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def statuses(personas: Personas, url: str) -> dict[str, int]:
    return {name: client.get(url).status_code for name, client in personas.all().items()}


def test_unpublished_publications_are_for_the_secretariat_only(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Masks")
    publication, chapter = make_publication(personas.secretariat_user, [practice])
    url = publication.get_absolute_url()
    everyone = {"anonymous": 200, "focal_a": 200, "focal_b": 200, "secretariat": 200}
    only_secretariat = {"anonymous": 404, "focal_a": 404, "focal_b": 404, "secretariat": 200}
    assert statuses(personas, url) == only_secretariat
    assert statuses(personas, f"{url}read/fr/") == only_secretariat
    services.save_publication(personas.secretariat_user, {"is_published": True}, publication)
    assert statuses(personas, url) == everyone
    assert statuses(personas, f"{url}read/zh-hans/") == everyone
    assert personas.anonymous.get(f"{url}read/xx/").status_code == 404
    curator_pages = [f"{url}edit/", f"{url}report/fr/", f"{url}chapters/{chapter.pk}/", "/publications/new/"]
    for page in curator_pages:
        seen = dict(statuses(personas, page).items())
        assert seen == {"anonymous": 302, "focal_a": 403, "focal_b": 403, "secretariat": 200}, page


def test_the_web_edition_marks_texts_in_another_language(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Masks from the theatre workshops")
    publication, _chapter = make_publication(personas.secretariat_user, [practice], is_published=True)
    html = personas.anonymous.get(f"{publication.get_absolute_url()}read/fr/").content.decode()
    assert "Les villes créatives face à la COVID-19" in html
    assert '<span lang="en" dir="ltr">Masks from the theatre workshops</span>' in html
    # subtitle, foreword, introduction, practice title (its tagline shares the mark), summary, description
    assert html.count('class="lang-mark"') == 6
    assert 'alt="Carte\xa0: Ashgabat"' in html  # the map's alt text in the edition's language


def test_the_secretariat_builds_and_everyone_downloads_a_published_edition(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Masks")
    publication, _chapter = make_publication(personas.secretariat_user, [practice], is_published=True)
    build_url = f"{publication.get_absolute_url()}build/"
    assert personas.focal_a.post(build_url, {"language": "fr", "formats": ["epub"]}).status_code == 403
    assert Build.objects.count() == 0  # refused: nothing built
    response = personas.secretariat.post(build_url, {"language": "fr", "formats": ["epub"]})
    build = Build.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#build-{build.pk}")
    assert build.status == BuildStatus.DONE
    download = f"{publication.get_absolute_url()}builds/{build.pk}.epub"
    response = personas.anonymous.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == f'attachment; filename="{publication.slug}-fr-v1.epub"'
    assert b"".join(response.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    assert personas.anonymous.get(f"{publication.get_absolute_url()}builds/{build.pk}.pdf").status_code == 404
    status = personas.secretariat.get(f"{publication.get_absolute_url()}builds/{build.pk}/").content.decode()
    assert '<progress id="build-progress-' in status
    assert 'value="100"' in status
    assert "hx-trigger" not in status  # finished: the page stops polling
    page = personas.secretariat.get(publication.get_absolute_url()).content.decode()
    assert "Up to date" in page


def test_a_bad_build_request_changes_nothing(personas: Personas) -> None:
    publication, _chapter = make_publication(personas.secretariat_user, [])
    response = personas.secretariat.post(f"{publication.get_absolute_url()}build/", {"language": "xx"}, follow=True)
    assert "Choose an edition and at least one format." in response.content.decode()
    assert Build.objects.count() == 0


def test_the_editor_adds_orders_and_removes_practices(personas: Personas) -> None:
    practices = [book_practice(personas.secretariat_user, personas.city_a, f"Practice {n}") for n in (1, 2, 3)]
    publication, chapter = make_publication(personas.secretariat_user, practices[:2])
    url = f"/publications/{publication.slug}/chapters/{chapter.pk}/"
    found = personas.secretariat.get(f"{url}?q=Practice").content.decode()
    assert "Practice 3" in found
    assert f'name="practice" value="{practices[0].pk}"' not in found
    personas.secretariat.post(f"{url}add/", {"practice": [practices[2].pk]})
    entries = {entry.practice.title: entry.pk for entry in chapter.entries.select_related("practice")}
    personas.secretariat.post(
        f"{url}order/",
        {
            f"position-{entries['Practice 1']}": "3",
            f"position-{entries['Practice 2']}": "1",
            f"position-{entries['Practice 3']}": "2",
        },
    )
    ordered = list(chapter.entries.order_by("position").values_list("practice__title", "position"))
    assert ordered == [("Practice 2", 1), ("Practice 3", 2), ("Practice 1", 3)]
    personas.secretariat.post(f"{url}order/", {"remove": practices[2].pk})
    assert list(chapter.entries.order_by("position").values_list("practice__title", flat=True)) == [
        "Practice 2",
        "Practice 1",
    ]
    assert personas.focal_a.post(f"{url}add/", {"practice": [practices[2].pk]}).status_code == 403
    assert chapter.entries.count() == 2


def test_the_publication_form_saves_translations_and_checks_the_isbn(personas: Personas) -> None:
    data = {
        "title": "Creative answers",
        "licence": "CC-BY-SA-3.0-IGO",
        "isbn": "978-0-306-40615-8",
        "title__zh-hans": "创意的回答",
    }
    response = personas.secretariat.post("/publications/new/", data)
    assert response.status_code == 200
    assert "not a valid ISBN" in response.content.decode()
    assert Publication.objects.count() == 0
    response = personas.secretariat.post("/publications/new/", {**data, "isbn": "978-0-306-40615-7"})
    publication = Publication.objects.get()
    assert response["Location"] == publication.get_absolute_url()
    assert (publication.slug, publication.translations) == ("creative-answers", {"zh-hans": {"title": "创意的回答"}})


def test_the_exhibition_filters_by_field_theme_and_region(personas: Personas) -> None:
    design = CreativeField.objects.get(slug="design").pk
    heritage = Theme.objects.get(slug="heritage").pk
    one = book_practice(personas.secretariat_user, personas.city_a, "Carpet museum", fields=[design], themes=[heritage])
    two = book_practice(personas.secretariat_user, personas.city_b, "Temple food", themes=[heritage])
    exhibition = make_exhibition(personas.secretariat_user, [one, two])
    url = exhibition.get_absolute_url()

    def shown(query: str) -> list[str]:
        html = personas.anonymous.get(url + query).content.decode()
        return re.findall(r'<h3 lang="en"><a class="stretched-link" href="[^"]+">([^<]+)</a>', html)

    assert shown("") == ["Carpet museum", "Temple food"]
    assert shown("?field=design") == ["Carpet museum"]
    assert shown("?theme=heritage&region=AS") == ["Carpet museum", "Temple food"]
    assert shown("?region=EU") == []
    story = personas.anonymous.get(f"{url}{two.slug}/").content.decode()
    assert "Initiative 2 of 2" in story
    assert f'href="{url}{one.slug}/"' in story
    assert personas.anonymous.get(f"{url}not-there/").status_code == 404


def test_unpublished_exhibitions_and_their_stories_are_hidden(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Carpet museum")
    exhibition = make_exhibition(personas.secretariat_user, [practice], is_published=False)
    hidden = {"anonymous": 404, "focal_a": 404, "focal_b": 404, "secretariat": 200}
    assert statuses(personas, exhibition.get_absolute_url()) == hidden
    assert statuses(personas, f"{exhibition.get_absolute_url()}{practice.slug}/") == hidden


def test_cards_without_photos_show_a_locator_map_in_their_fields_colour(personas: Personas) -> None:
    design = CreativeField.objects.get(slug="design")
    carpets = book_practice(personas.secretariat_user, personas.city_a, "Carpet museum", fields=[design.pk])
    food = book_practice(personas.secretariat_user, personas.city_b, "Temple food")
    elsewhere = book_practice(personas.secretariat_user, personas.city_b, "Not exhibited")
    exhibition = make_exhibition(personas.secretariat_user, [carpets, food])
    url = exhibition.get_absolute_url()
    html = personas.anonymous.get(url).content.decode()
    assert f'src="{url}{carpets.slug}/locator.svg" alt=""' in html
    assert f'src="{url}{food.slug}/locator.svg" alt=""' in html

    response = personas.anonymous.get(f"{url}{carpets.slug}/locator.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "max-age=86400"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert f'fill="{design.colour}"' in svg  # the point, in the field's colour
    assert "<title>Map of Ashgabat</title>" in svg
    assert "<text" not in svg  # the card's text names the place
    plain = personas.anonymous.get(f"{url}{food.slug}/locator.svg").content.decode()
    assert 'fill="#0b5e6b"' in plain  # no field: the site's colour
    assert personas.anonymous.get(f"{url}{elsewhere.slug}/locator.svg").status_code == 404


def test_a_card_known_only_by_its_country_shows_the_country(personas: Personas) -> None:
    national = book_practice(personas.secretariat_user, personas.city_a, "National crafts week")
    nowhere = book_practice(personas.secretariat_user, personas.city_b, "Somewhere")
    france = Country.objects.get_or_create(code="FR", defaults={"name": "France", "region": "EU"})[0]
    Practice.objects.filter(pk=national.pk).update(lead_city=None, country=france, latitude=None, longitude=None)
    Practice.objects.filter(pk=nowhere.pk).update(lead_city=None, country=None, latitude=None, longitude=None)
    exhibition = make_exhibition(personas.secretariat_user, [national, nowhere])
    url = exhibition.get_absolute_url()
    html = personas.anonymous.get(url).content.decode()
    assert f'src="{url}{national.slug}/locator.svg" alt=""' in html
    assert f"{nowhere.slug}/locator.svg" not in html  # nothing to draw: the coloured panel
    svg = personas.anonymous.get(f"{url}{national.slug}/locator.svg").content.decode()
    assert "<title>Map of France</title>" in svg
    assert "<circle" not in svg  # a country, not a point
    view = [float(number) for number in re.findall(r'viewBox="([^"]+)"', svg)[0].split()]
    assert -12 < view[0] < -4  # framed on metropolitan France, not on French Guiana too
    assert view[2] < 25
    assert personas.anonymous.get(f"{url}{nowhere.slug}/locator.svg").status_code == 404


def test_the_locator_of_a_hidden_exhibition_is_hidden(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Carpet museum")
    exhibition = make_exhibition(personas.secretariat_user, [practice], is_published=False)
    hidden = {"anonymous": 404, "focal_a": 404, "focal_b": 404, "secretariat": 200}
    assert statuses(personas, f"{exhibition.get_absolute_url()}{practice.slug}/locator.svg") == hidden


def test_the_home_page_features_one_exhibition(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Carpet museum")
    first = make_exhibition(personas.secretariat_user, [practice], title="First", is_featured=True)
    second = make_exhibition(personas.secretariat_user, [practice], title="Second", is_featured=True)
    first.refresh_from_db()
    assert (first.is_featured, second.is_featured) == (False, True)
    html = personas.anonymous.get("/").content.decode()
    assert 'id="featured-heading" lang="en">Second</h2>' in html
    assert f"/publications/exhibitions/{second.slug}/{practice.slug}/" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_gallery_and_lists_run_the_same_queries_for_3_and_30_initiatives(personas: Personas, rows: int) -> None:
    now = timezone.now()
    practices = Practice.objects.bulk_create(
        Practice(
            slug=f"p-{n}",
            title=f"Practice {n}",
            lead_city=personas.city_a,
            country=personas.city_a.country,
            status=Status.PUBLISHED,
            published_at=now,
        )
        for n in range(rows)
    )
    design = CreativeField.objects.get(slug="design")
    for practice in practices:
        practice.fields.add(design)
    exhibition = make_exhibition(personas.secretariat_user, practices)
    publication, _chapter = make_publication(personas.secretariat_user, practices, is_published=True)
    with CaptureQueriesContext(connection) as gallery:
        assert personas.anonymous.get(exhibition.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as reader:
        assert personas.anonymous.get(f"{publication.get_absolute_url()}read/en/").status_code == 200
    with CaptureQueriesContext(connection) as listing:
        assert personas.anonymous.get("/publications/").status_code == 200
    assert (len(gallery), len(reader), len(listing)) == (7, 10, 2)


def test_the_demo_is_created_once(personas: Personas) -> None:
    heritage = Theme.objects.get(slug="heritage").pk
    book_practice(personas.secretariat_user, personas.city_a, "Masks")
    book_practice(personas.secretariat_user, personas.city_b, "Temple food", themes=[heritage])
    first = ensure_demo_content()
    assert (first.publication_created, first.exhibition_created) == (True, True)
    assert (first.practices_in_publication, first.practices_in_exhibition) == (2, 1)
    again = ensure_demo_content()
    assert (again.publication_created, again.exhibition_created) == (False, False)
    assert (Publication.objects.count(), Exhibition.objects.count(), ChapterPractice.objects.count()) == (1, 1, 2)
    publication = Publication.objects.get()
    assert publication.localized("title", "zh-hans").text == "创意城市应对新冠肺炎疫情（演示）"


def test_the_api_lists_publications_and_builds_for_the_secretariat(personas: Personas) -> None:
    practice = book_practice(personas.secretariat_user, personas.city_a, "Masks")
    publication, _chapter = make_publication(personas.secretariat_user, [practice], is_published=True)
    make_publication(personas.secretariat_user, [], title="Hidden draft")
    listed = personas.anonymous.get("/api/v1/publications").json()["items"]
    assert [row["slug"] for row in listed] == [publication.slug]
    url = f"/api/v1/publications/{publication.slug}/builds"
    body = json.dumps({"language": "zh-hans", "formats": ["epub"]})
    assert personas.focal_a.post(url, body, content_type="application/json").status_code == 403
    bad = personas.secretariat.post(url, json.dumps({"language": "xx"}), content_type="application/json")
    assert bad.status_code == 422
    assert "no edition" in bad.json()["detail"]
    response = personas.secretariat.post(url, body, content_type="application/json")
    assert response.status_code == 202
    build = response.json()
    assert (build["status"], build["percent"], build["version"]) == ("done", 100, 1)
    assert build["downloads"] == {"epub": f"/publications/{publication.slug}/builds/{build['id']}.epub"}
    detail = personas.anonymous.get(f"/api/v1/publications/{publication.slug}").json()
    chinese = next(edition for edition in detail["editions"] if edition["language"] == "zh-hans")
    assert (chinese["latest"]["id"], chinese["out_of_date"]) == (build["id"], False)
    assert personas.anonymous.get("/api/v1/publications/hidden-draft").status_code == 404
