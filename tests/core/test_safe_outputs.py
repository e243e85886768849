"""Outputs other than HTML: a feed reader renders no markup, a spreadsheet runs no formula."""

import csv
import io

from django.test import Client

from ccx.cities.models import City
from ccx.core.spreadsheets import neutralise
from ccx.events.registration import register
from tests.conftest import Personas
from tests.events.factories import make_event, make_session
from tests.practices.factories import published_practice

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


def test_text_cells_that_start_a_formula_are_neutralised() -> None:
    assert [neutralise(text) for text in FORMULAS] == ["'" + text for text in FORMULAS]
    assert [neutralise(value) for value in (-3, 2.5, "Plain", "", None, "a=b")] == [-3, 2.5, "Plain", "", None, "a=b"]


def rows(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_practices_export_neutralises_formulas(personas: Personas) -> None:
    published_practice(
        personas.focal_a_user, personas.secretariat_user, personas.city_a, '=HYPERLINK("http://evil.example")'
    )
    exported = rows(personas.anonymous, "/practices/export.csv")
    title = exported[0].index("title")
    assert exported[1][title] == '\'=HYPERLINK("http://evil.example")'


def test_the_members_export_neutralises_formulas(personas: Personas) -> None:
    City.objects.filter(pk=personas.city_a.pk).update(designation_note="@SUM(A1:A9)")
    exported = rows(personas.anonymous, f"/cities/export.csv?q={personas.city_a.name}")
    note = exported[0].index("designation_note")
    assert [row[note] for row in exported[1:] if row[0] == personas.city_a.slug] == ["'@SUM(A1:A9)"]


def test_the_programme_and_participants_exports_neutralise_formulas(personas: Personas) -> None:
    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    make_session(event, "=cmd|' /C calc'!A0")
    personas.focal_a_user.first_name = "+Eve"
    personas.focal_a_user.save()
    register(event, personas.focal_a_user, "online")
    programme = rows(personas.anonymous, f"/events/{event.slug}/programme.csv")
    assert programme[1][1] == "'=cmd|' /C calc'!A0"
    participants = rows(personas.focal_b, f"/events/{event.slug}/participants/?format=csv")
    assert participants[1][0].startswith("'+Eve")


def test_the_feed_shows_typed_markup_as_text(personas: Personas) -> None:
    published_practice(
        personas.focal_a_user,
        personas.secretariat_user,
        personas.city_a,
        "Feed item",
        summary='Night markets <img src=x onerror="alert(1)"> & more',
    )
    feed = personas.anonymous.get("/practices/feed.atom").content.decode()
    # Once escaped by us (so the HTML is text), once by XML: a reader decodes XML and shows the text.
    assert (
        "&lt;p&gt;Night markets &amp;lt;img src=x onerror=&amp;quot;alert(1)&amp;quot;&amp;gt; &amp;amp; more" in feed
    )
    assert "<img" not in feed
    assert "&lt;img" not in feed
