import pytest

from ccx.practices import workflow
from ccx.practices.models import Practice, Status
from tests.conftest import Personas
from tests.practices.factories import make_practice, published_practice

pytestmark = pytest.mark.django_db


def test_the_admin_publishes_through_the_workflow(personas: Personas) -> None:
    submitted = make_practice(personas.focal_a_user, personas.city_a, "Submitted one")
    workflow.submit(submitted, personas.focal_a_user)
    draft = make_practice(personas.focal_a_user, personas.city_a, "Still a draft")
    response = personas.secretariat.post(
        "/admin/practices/practice/",
        {"action": "publish_selected", "_selected_action": [submitted.pk, draft.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Still a draft: A practice that is draft cannot become published." in html
    assert Practice.objects.get(pk=submitted.pk).status == Status.PUBLISHED
    assert Practice.objects.get(pk=draft.pk).status == Status.DRAFT
    assert list(submitted.events.values_list("to_status", flat=True)) == ["published", "submitted"]


def test_the_admin_deletes_reversibly(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a)
    personas.secretariat.post(
        "/admin/practices/practice/", {"action": "delete_selected_reversibly", "_selected_action": [practice.pk]}
    )
    assert Practice.objects.get(pk=practice.pk).deleted_at is not None
    personas.secretariat.post(
        "/admin/practices/practice/", {"action": "restore_selected", "_selected_action": [practice.pk]}
    )
    assert Practice.objects.get(pk=practice.pk).deleted_at is None


def test_the_practice_page_links_its_json_ld(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Linked data")
    document = personas.anonymous.get(f"/practices/{practice.slug}.jsonld").json()
    assert (document["@type"], document["name"]) == ("CreativeWork", "Linked data")
    assert (
        f'href="/practices/{practice.slug}.jsonld"'
        in personas.anonymous.get(practice.get_absolute_url()).content.decode()
    )
    draft = make_practice(personas.focal_a_user, personas.city_a, "Draft data")
    assert personas.anonymous.get(f"/practices/{draft.slug}.jsonld").status_code == 404
