import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccx.cities.models import CreativeField
from ccx.practices.models import FormDraft, Practice, Status, Theme
from tests.conftest import Personas
from tests.practices.factories import make_practice, published_practice

pytestmark = pytest.mark.django_db


def count_of(html: str) -> int:
    match = re.search(r'id="results-heading"[^>]*data-count="(\d+)"', html)
    assert match
    return int(match.group(1))


def test_visibility_of_drafts_and_published_practices(personas: Personas) -> None:
    draft = make_practice(personas.focal_a_user, personas.city_a, "A draft")
    public = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "A public one")
    expected = {"anonymous": (404, 200), "focal_a": (200, 200), "focal_b": (404, 200), "secretariat": (200, 200)}
    seen = {
        name: (client.get(draft.get_absolute_url()).status_code, client.get(public.get_absolute_url()).status_code)
        for name, client in personas.all().items()
    }
    assert seen == expected
    assert count_of(personas.anonymous.get("/practices/").content.decode()) == 1


def test_the_contact_is_for_signed_in_members_only(personas: Personas) -> None:
    practice = published_practice(
        personas.focal_a_user,
        personas.secretariat_user,
        personas.city_a,
        contact_name="Aylar",
        contact_email="aylar@ashgabat.example",
    )
    assert "aylar@ashgabat.example" not in personas.anonymous.get(practice.get_absolute_url()).content.decode()
    assert "aylar@ashgabat.example" in personas.focal_b.get(practice.get_absolute_url()).content.decode()


def test_facets_filter_and_count(personas: Personas) -> None:
    tourism = Theme.objects.get(slug="tourism").pk
    design = CreativeField.objects.get(slug="design").pk
    published_practice(
        personas.focal_a_user, personas.secretariat_user, personas.city_a, "One", themes=[tourism], fields=[design]
    )
    published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Two", themes=[tourism])
    published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b, "Three")
    client = personas.anonymous
    assert count_of(client.get("/practices/?theme=tourism").content.decode()) == 2
    assert count_of(client.get("/practices/?theme=tourism&field=design").content.decode()) == 1
    assert count_of(client.get("/practices/?country=KR").content.decode()) == 1
    assert count_of(client.get(f"/practices/?city={personas.city_a.slug}").content.decode()) == 2
    html = client.get("/practices/?theme=tourism").content.decode()
    assert re.search(r'value="tourism" checked>\s*<span>Tourism</span><span class="count">2</span>', html)
    api = client.get("/api/v1/practices?theme=tourism").json()
    assert api["count"] == 2


def test_bad_filters_are_explained(personas: Personas) -> None:
    html = personas.anonymous.get("/practices/?theme=knitting&stage=zzz").content.decode()
    assert "Unknown theme &#x27;knitting&#x27;." in html
    assert "Unknown stage &#x27;zzz&#x27;." in html


@pytest.mark.parametrize("rows", [3, 300])
def test_the_library_runs_the_same_queries_for_3_and_300_practices(personas: Personas, rows: int) -> None:
    design = CreativeField.objects.get(slug="design")
    now = timezone.now()
    practices = Practice.objects.bulk_create(
        Practice(
            slug=f"p-{n}",
            title=f"Practice {n}",
            lead_city=personas.city_a,
            country=personas.city_a.country,
            status=Status.PUBLISHED,
            published_at=now,
            start_year=2000 + n % 20,
        )
        for n in range(rows)
    )
    for practice in practices:
        practice.fields.add(design)
    with CaptureQueriesContext(connection) as queries:
        html = personas.anonymous.get("/practices/").content.decode()
    assert count_of(html) == rows
    # once per data version: the facet table (5 of them) and the recommended order; then the page's cards
    assert len(queries) == 18
    with CaptureQueriesContext(connection) as queries:
        html = personas.anonymous.get("/practices/?field=design&sort=title").content.decode()
    assert count_of(html) == rows
    # no COUNT and no ORDER BY over the filtered library: the title order, read once, then the cards not yet
    # rendered (with 3 practices the first page showed them all already)
    assert [query["sql"] for query in queries if "COUNT(" in query["sql"]] == []
    assert len(queries) == (1 if rows == 3 else 3)


def test_the_multi_step_form_creates_a_draft_and_saves_each_step(personas: Personas) -> None:
    client = personas.focal_a
    response = client.post(
        "/practices/new/",
        {
            "title": "Design week in the old bazaar",
            "tagline": "",
            "summary": "Short.",
            "original_language": "en",
            "lead_city": personas.city_a.pk,
            "then": "next",
        },
    )
    practice = Practice.objects.get(title="Design week in the old bazaar")
    assert response["Location"] == f"/practices/{practice.slug}/edit/story/"
    assert (practice.owner, practice.lead_city, practice.status) == (
        personas.focal_a_user,
        personas.city_a,
        Status.DRAFT,
    )
    client.post(
        f"/practices/{practice.slug}/edit/story/",
        {"description": "We opened the bazaar to designers.", "results": "", "obstacles": "", "lessons": ""},
    )
    people = {
        "actors-TOTAL_FORMS": "3",
        "actors-INITIAL_FORMS": "0",
        "actors-0-name": "Ashgabat City Hall",
        "actors-0-kind": "city_government",
        "actors-0-role": "host",
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Visitors",
        "indicators-0-value": "12000",
        "indicators-0-unit": "people",
        "indicators-0-year": "2023",
    }
    assert client.post(f"/practices/{practice.slug}/edit/people/", people).status_code == 302
    assert list(practice.indicators.values_list("name", "value")) == [("Visitors", Decimal(12000))]
    assert practice.revisions.count() == 3


def test_form_errors_are_shown_and_nothing_is_saved(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    response = personas.focal_a.post(
        f"/practices/{practice.slug}/edit/basics/",
        {
            "title": "",
            "summary": "word " * 151,
            "original_language": "en",
            "start_date": "2024-05-01",
            "end_date": "2023-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "151 words: shorten the summary to 150 words at most." in html
    assert "The end date is before the start date." in html
    assert "This field is required." in html
    assert practice.revisions.count() == 1


def test_other_cities_cannot_open_the_form(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    url = f"/practices/{practice.slug}/edit/basics/"
    statuses = {name: client.get(url).status_code for name, client in personas.all().items()}
    assert statuses == {"anonymous": 302, "focal_a": 200, "focal_b": 404, "secretariat": 200}


def test_typed_text_is_autosaved_and_restored(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    client = personas.focal_a
    response = client.post(
        f"/practices/{practice.slug}/autosave/story/", {"description": "Half-written thought", "results": ""}
    )
    assert response.status_code == 200
    assert "Unsaved changes kept at" in response.content.decode()
    html = client.get(f"/practices/{practice.slug}/edit/story/").content.decode()
    assert "Half-written thought" in html
    assert "Your unsaved changes from" in html
    client.post(f"/practices/{practice.slug}/discard/story/")
    assert FormDraft.objects.count() == 0
    assert personas.focal_b.post(f"/practices/{practice.slug}/autosave/story/", {"description": "x"}).status_code == 404


def test_review_actions_through_the_page(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    url = f"/practices/{practice.slug}/act/"
    personas.focal_a.post(url, {"action": "submit"})
    assert personas.focal_b.post(url, {"action": "publish"}).status_code == 404
    personas.focal_a.post(url, {"action": "publish"})
    assert Practice.objects.get(pk=practice.pk).status == Status.SUBMITTED
    personas.secretariat.post(url, {"action": "request_changes", "comment": "Please add a photo."})
    assert Practice.objects.get(pk=practice.pk).status == Status.CHANGES_REQUESTED
    assert "Please add a photo." in personas.focal_a.get(practice.get_absolute_url()).content.decode()


def test_history_shows_differences_and_restores(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a, tagline="Version one")
    client = personas.focal_a
    client.post(
        f"/practices/{practice.slug}/edit/basics/",
        {
            "title": practice.title,
            "tagline": "Version two",
            "summary": practice.summary,
            "original_language": "en",
            "lead_city": personas.city_a.pk,
        },
    )
    client.post(
        f"/practices/{practice.slug}/edit/basics/",
        {
            "title": practice.title,
            "tagline": "Version three",
            "summary": practice.summary,
            "original_language": "en",
            "lead_city": personas.city_a.pk,
        },
    )
    html = client.get(f"/practices/{practice.slug}/history/").content.decode()
    assert 'class="removed">Version two</td><td class="added">Version three</td>' in html
    client.post(f"/practices/{practice.slug}/history/1/restore/")
    assert "Version one" in client.get(practice.get_absolute_url()).content.decode()
    assert personas.focal_b.get(f"/practices/{practice.slug}/history/").status_code == 404


def test_the_secretariat_deletes_and_restores(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a)
    assert personas.focal_a.post(f"/practices/{practice.slug}/delete/").status_code == 403
    assert Practice.objects.get(pk=practice.pk).deleted_at is None
    personas.secretariat.post(f"/practices/{practice.slug}/delete/")
    assert personas.anonymous.get(practice.get_absolute_url()).status_code == 404
    assert practice.title in personas.secretariat.get("/practices/review/").content.decode()
    personas.secretariat.post(f"/practices/{practice.slug}/undelete/")
    assert personas.anonymous.get(practice.get_absolute_url()).status_code == 200


def test_description_markdown_is_sanitised(personas: Personas) -> None:
    practice = published_practice(
        personas.focal_a_user,
        personas.secretariat_user,
        personas.city_a,
        description="**Bold** <script>alert('x')</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    html = personas.anonymous.get(practice.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "alert(" not in html
    assert "javascript:" not in html


def test_the_city_page_lists_its_practices(personas: Personas) -> None:
    published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Carpet weaving school")
    html = personas.anonymous.get(personas.city_a.get_absolute_url()).content.decode()
    assert "Carpet weaving school" in html


def test_feed_and_exports(personas: Personas) -> None:
    published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Feed item")
    feed = personas.anonymous.get("/practices/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "<title>Feed item</title>" in feed.content.decode()


def test_every_facet_count_equals_the_api_count_for_that_filter(personas: Personas) -> None:
    tourism, energy = Theme.objects.get(slug="tourism").pk, Theme.objects.get(slug="energy").pk
    design = CreativeField.objects.get(slug="design").pk
    a, b, secretariat = personas.focal_a_user, personas.focal_b_user, personas.secretariat_user
    published_practice(a, secretariat, personas.city_a, "One", themes=[tourism, energy], fields=[design], stage="pilot")
    published_practice(a, secretariat, personas.city_a, "Two", themes=[tourism], start_date="2021-03-01")
    published_practice(b, secretariat, personas.city_b, "Three", stage="scaled", original_language="fr")
    html = personas.anonymous.get("/practices/").content.decode()
    shown = re.findall(r'name="(\w+)" value="([^"]+)"\s*>.*?<span class="count">(\d+)</span>', html, re.S)
    assert len(shown) >= 10
    for parameter, value, count in shown:
        api = personas.anonymous.get(f"/api/v1/practices?{parameter}={value}").json()
        assert (parameter, value, api["count"]) == (parameter, value, int(count))


def test_the_lead_city_is_preselected_for_the_focal_point_of_one_city(personas: Personas) -> None:
    html = personas.focal_a.get("/practices/new/").content.decode()
    assert f'<option value="{personas.city_a.pk}" selected>' in html
    personas.focal_a_user.focal_point_of.add(personas.city_b)
    html = personas.focal_a.get("/practices/new/").content.decode()
    assert '<option value="" selected>' in html.split('name="lead_city"')[1].split("</select>")[0]
    html = personas.secretariat.get("/practices/new/").content.decode()
    assert '<option value="" selected>' in html.split('name="lead_city"')[1].split("</select>")[0]


def selected_options(html: str, name: str) -> list[str]:
    """The values chosen in the form's select called `name`."""
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)" selected>', select)


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/fr", "fr"), ("/zh-hans", "zh-hans")])
def test_the_language_of_the_texts_defaults_to_the_interface_language(
    personas: Personas, prefix: str, language: str
) -> None:
    html = personas.focal_a.get(f"{prefix}/practices/new/").content.decode()
    assert selected_options(html, "original_language") == [language]
    html = personas.focal_a.get(f"{prefix}/challenges/new/").content.decode()
    assert selected_options(html, "language") == [language]
