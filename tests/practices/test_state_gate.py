"""One state gate: a submitted practice cannot be edited by its authors through any page or API call."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from ccx.practices import workflow
from ccx.practices.models import Practice, Status
from tests.conftest import Personas
from tests.practices.factories import make_practice


def submitted(personas: Personas) -> Practice:
    practice = make_practice(personas.focal_a_user, personas.city_a, "Under review")
    workflow.submit(practice, personas.focal_a_user)
    return practice


def test_the_step_urls_refuse_edits_while_submitted(personas: Personas) -> None:
    practice = submitted(personas)
    for step in ("basics", "story"):
        response = personas.focal_a.post(f"/practices/{practice.slug}/edit/{step}/", {"title": "Changed"}, follow=True)
        assert response.redirect_chain == [(practice.get_absolute_url(), 302)]
        assert "This practice is submitted for review. Withdraw it to edit it." in response.content.decode()
    assert Practice.objects.get(pk=practice.pk).title == "Under review"
    image = SimpleUploadedFile("x.png", b"\x89PNG\r\n", content_type="image/png")
    response = personas.focal_a.post(f"/practices/{practice.slug}/edit/images/", {"image": image, "alt_text": "x"})
    assert response.status_code == 302
    assert not practice.images.exists()


def test_the_api_refuses_edits_while_submitted_with_409(personas: Personas) -> None:
    practice = submitted(personas)
    response = personas.focal_a.patch(
        f"/api/v1/practices/{practice.slug}", json.dumps({"title": "Changed"}), content_type="application/json"
    )
    assert (response.status_code, response.json()["detail"]) == (
        409,
        "This practice is submitted for review. Withdraw it to edit it.",
    )
    assert Practice.objects.get(pk=practice.pk).title == "Under review"


def test_withdrawing_unlocks_and_the_secretariat_may_correct_during_review(personas: Personas) -> None:
    practice = submitted(personas)
    response = personas.secretariat.patch(
        f"/api/v1/practices/{practice.slug}", json.dumps({"tagline": "Typo fixed"}), content_type="application/json"
    )
    assert response.status_code == 200
    workflow.withdraw(practice, personas.focal_a_user)
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT
    response = personas.focal_a.patch(
        f"/api/v1/practices/{practice.slug}", json.dumps({"title": "Changed"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert Practice.objects.get(pk=practice.pk).title == "Changed"
