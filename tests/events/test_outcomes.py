import pytest

from ccx.events.models import Outcome, Signature
from tests.conftest import Personas
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def test_focal_points_sign_for_their_city_and_the_city_page_shows_it(personas: Personas) -> None:
    event = make_event("Innovative Cities Forum")
    event.cities.set([personas.city_a])
    initiative = Outcome.objects.create(event=event, kind="initiative", title="Shenzhen initiative",
                                        open_for_signature=True)  # fmt: skip
    url = f"/events/{event.slug}/outcomes/{initiative.pk}/sign/"
    field = f"outcome-{initiative.pk}-city"
    assert personas.anonymous.post(url, {field: personas.city_a.pk}).status_code == 302  # to the sign-in page
    assert personas.focal_b.post(url, {field: personas.city_a.pk}).status_code == 403
    assert personas.secretariat.post(url, {field: personas.city_a.pk}).status_code == 403
    assert personas.focal_a.post(url, {field: personas.city_a.pk}).status_code == 302
    assert list(Signature.objects.values_list("city__slug", "signed_by__username")) == [("ashgabat-tm", "focal-a")]
    assert personas.focal_a.post(url, {field: personas.city_a.pk}).status_code == 403  # already signed

    html = personas.anonymous.get(personas.city_a.get_absolute_url()).content.decode()
    assert 'id="events-heading"' in html
    assert "Innovative Cities Forum" in html
    assert "Shenzhen initiative" in html
    assert 'id="events-heading"' not in personas.anonymous.get(personas.city_b.get_absolute_url()).content.decode()
    detail = personas.anonymous.get(event.get_absolute_url()).content.decode()
    assert "Signed by" in detail
    assert personas.city_a.name in detail


def test_organisers_record_outcomes(personas: Personas) -> None:
    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    data = {"kind": "declaration", "title": "Beijing declaration", "summary": "", "url": "", "open_for_signature": "on"}
    assert personas.focal_a.post(f"/events/{event.slug}/outcomes/new/", data).status_code == 403
    assert personas.focal_b.post(f"/events/{event.slug}/outcomes/new/", data).status_code == 302
    assert list(event.outcomes.values_list("title", "open_for_signature")) == [("Beijing declaration", True)]
