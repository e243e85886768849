import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from ccx.accounts.models import Notification
from ccx.practices import workflow
from ccx.practices.models import Practice, Status, WorkflowEvent
from ccx.practices.revisions import snapshot
from ccx.practices.services import restore_revision, update_practice
from tests.conftest import Personas
from tests.practices.factories import make_practice

pytestmark = pytest.mark.django_db


def test_the_full_review_cycle(personas: Personas) -> None:
    author, reviewer = personas.focal_a_user, personas.secretariat_user
    practice = make_practice(author, personas.city_a)
    workflow.submit(practice, author)
    workflow.start_review(practice, reviewer)
    workflow.request_changes(practice, reviewer, "Add measured results, please.")
    update_practice(practice, author, {"results": "Visitors doubled."})
    workflow.submit(practice, author)
    workflow.publish(practice, reviewer, "Thank you.")
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED
    assert practice.published_at is not None
    steps = list(WorkflowEvent.objects.filter(practice=practice).order_by("pk").values_list("from_status", "to_status"))
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "published"),
    ]
    author_messages = list(Notification.objects.filter(user=author).order_by("pk").values_list("subject", flat=True))
    assert author_messages == [
        "Changes requested on Night markets for local crafts",
        "Published: Night markets for local crafts",
    ]
    assert [m.subject for m in mail.outbox if author.email in m.to] == [
        "[Creative Cities Exchange] Changes requested on Night markets for local crafts",
        "[Creative Cities Exchange] Published: Night markets for local crafts",
    ]


def test_an_incomplete_practice_cannot_be_submitted(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a, summary="", description="")
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.submit(practice, personas.focal_a_user)
    assert error.value.problems == ["Write a summary.", "Describe the practice."]
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT


def test_a_chinese_summary_over_the_limit_cannot_be_submitted(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    # saved before the rule counted Chinese words: 320 characters without a space were one word
    Practice.objects.filter(pk=practice.pk).update(summary="城市文化" * 80)  # 160 words
    practice.refresh_from_db()
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.submit(practice, personas.focal_a_user)
    assert error.value.problems == ["The summary has more than 150 words."]
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT


@pytest.mark.parametrize("action", ["publish", "start_review", "reject"])
def test_no_one_can_skip_a_step(personas: Personas, action: str) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)

    def attempt() -> object:
        if action == "start_review":
            return workflow.start_review(practice, personas.secretariat_user)
        return getattr(workflow, action)(practice, personas.secretariat_user, "because")

    with pytest.raises(workflow.WorkflowError):
        attempt()
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT


def test_only_the_secretariat_reviews(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    workflow.submit(practice, personas.focal_a_user)
    for user in (personas.focal_a_user, personas.focal_b_user):
        with pytest.raises(PermissionDenied):
            workflow.publish(practice, user)
    with pytest.raises(PermissionDenied):
        workflow.submit(make_practice(personas.focal_a_user, personas.city_a, "Other"), personas.focal_b_user)


def test_rejection_and_change_requests_need_a_reason(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    workflow.submit(practice, personas.focal_a_user)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.reject(practice, personas.secretariat_user, "  ")
    assert error.value.problems == ["Say why the practice is not accepted."]


def test_deleting_is_reversible_and_hides_the_practice(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    workflow.delete(practice, personas.secretariat_user)
    assert not Practice.objects.alive().filter(pk=practice.pk).exists()
    workflow.undelete(practice, personas.secretariat_user)
    assert Practice.objects.alive().filter(pk=practice.pk).exists()
    with pytest.raises(PermissionDenied):
        workflow.delete(practice, personas.focal_a_user)


def test_every_save_is_a_revision_and_any_can_be_restored(personas: Personas) -> None:
    author = personas.focal_a_user
    practice = make_practice(author, personas.city_a, tagline="First tagline")
    first = snapshot(practice)
    update_practice(
        practice,
        author,
        {
            "tagline": "Second tagline",
            "indicators": [
                {"name": "Visitors", "value": "10", "unit": "", "baseline": None, "year": 2020, "source": ""}
            ],
        },
    )
    update_practice(practice, author, {"tagline": "Third tagline"})
    assert list(practice.revisions.values_list("number", "changed_fields")) == [
        (3, ["tagline"]),
        (2, ["indicators", "tagline"]),
        (1, sorted(first)),
    ]
    assert update_practice(practice, author, {"tagline": "Third tagline"}) == []
    restore_revision(practice, practice.revisions.get(number=1), author)
    practice.refresh_from_db()
    assert practice.tagline == "First tagline"
    assert practice.indicators.count() == 0
    assert snapshot(practice) == first
    assert practice.revisions.first().comment == "restored revision 1"  # type: ignore[union-attr]


def test_focal_points_lead_only_their_own_cities(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        make_practice(personas.focal_a_user, personas.city_b)
    practice = make_practice(personas.focal_a_user, personas.city_a)
    with pytest.raises(PermissionDenied):
        update_practice(practice, personas.focal_a_user, {"lead_city_id": personas.city_b.pk})
    with pytest.raises(PermissionDenied):
        update_practice(practice, personas.focal_b_user, {"title": "Hijacked"})
    assert Practice.objects.get(pk=practice.pk).title == "Night markets for local crafts"
