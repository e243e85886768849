"""The life cycle of a partnership: every step by the right person only, recorded, and told once."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db.models import F

from ccx.accounts.models import EmailDelivery, Notification, NotificationSetting, Organisation, OrganisationType
from ccx.cities.models import City
from ccx.partnerships import workflow
from ccx.partnerships.models import PartnershipEvent, PartnershipStatus
from ccx.partnerships.workflow import PartnershipError
from tests.conftest import Personas, make_user
from tests.partnerships.factories import agreed, proposed, terms

Status = PartnershipStatus


@pytest.fixture
def third(db: None) -> tuple[City, object]:
    city = City.objects.get(slug="bilbao-es")
    return city, make_user("focal-c", cities=(city,))


def test_a_proposal_confirms_the_proposer_and_tells_the_other_party(personas: Personas) -> None:
    mail.outbox.clear()
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    parties = {str(p.city_slug): p.confirmed for p in partnership.parties.annotate(city_slug=F("city__slug"))}
    assert partnership.status == Status.PROPOSED
    assert parties == {"ashgabat-tm": True, "gangneung-kr": False}
    assert [n.user.username for n in Notification.objects.filter(kind="partnerships")] == ["focal-b"]
    assert [message.to for message in mail.outbox] == [["focal-b@example.org"]]


def test_the_other_partys_confirmation_makes_it_agreed_through_discussion(personas: Personas) -> None:
    partnership = agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b)
    steps = list(
        PartnershipEvent.objects.filter(partnership=partnership).values_list("action", "from_status", "to_status")
    )
    assert partnership.status == Status.AGREED
    assert partnership.agreed_at is not None
    assert steps == [
        ("proposed", "", ""),
        ("confirmed", "proposed", "in_discussion"),
        ("agreed", "in_discussion", "agreed"),
    ]


def test_a_third_city_cannot_confirm_on_another_partys_behalf(personas: Personas, third: tuple[City, object]) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    party_b = partnership.parties.get(city=personas.city_b)
    _city, focal_c = third
    for outsider in (focal_c, personas.secretariat_user, personas.focal_a_user):
        with pytest.raises(PermissionDenied):
            workflow.confirm(partnership, party_b, outsider)  # type: ignore[arg-type]
    party_b.refresh_from_db()
    assert party_b.confirmed_at is None


def test_agreed_only_when_every_party_confirmed(personas: Personas, third: tuple[City, object]) -> None:
    city_c, focal_c = third
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b, city_c)
    workflow.confirm(partnership, partnership.parties.get(city=personas.city_b), personas.focal_b_user)
    partnership.refresh_from_db()
    assert partnership.status == Status.IN_DISCUSSION
    workflow.confirm(partnership, partnership.parties.get(city=city_c), focal_c)  # type: ignore[arg-type]
    partnership.refresh_from_db()
    assert partnership.status == Status.AGREED


def test_amending_the_terms_asks_everyone_else_to_confirm_again(personas: Personas, third: tuple[City, object]) -> None:
    city_c, focal_c = third
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b, city_c)
    workflow.confirm(partnership, partnership.parties.get(city=personas.city_b), personas.focal_b_user)
    workflow.amend(partnership, focal_c, terms("Craft, food and music exchange"))  # type: ignore[arg-type]
    partnership.refresh_from_db()
    confirmed = {str(p.city_slug): p.confirmed for p in partnership.parties.annotate(city_slug=F("city__slug"))}
    assert partnership.title == "Craft, food and music exchange"
    assert confirmed == {"ashgabat-tm": False, "gangneung-kr": False, "bilbao-es": True}
    assert partnership.status == Status.IN_DISCUSSION


@pytest.mark.parametrize(
    ("step", "status"),
    [
        (workflow.activate, Status.PROPOSED),
        (workflow.complete, Status.PROPOSED),
        (workflow.complete, Status.AGREED),
    ],
)
def test_no_step_can_be_skipped(personas: Personas, step: object, status: str) -> None:
    if status == Status.AGREED:
        partnership = agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b)
    else:
        partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    with pytest.raises(PartnershipError):
        step(partnership, personas.focal_a_user)  # type: ignore[operator]
    partnership.refresh_from_db()
    assert partnership.status == status


def test_a_confirmed_party_cannot_confirm_twice(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    with pytest.raises(PartnershipError):
        workflow.confirm(partnership, partnership.parties.get(city=personas.city_a), personas.focal_a_user)


def test_the_whole_life_with_who_and_when(personas: Personas) -> None:
    partnership = agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b)
    workflow.activate(partnership, personas.focal_b_user)
    workflow.complete(partnership, personas.focal_a_user, "All done.")
    partnership.refresh_from_db()
    events = PartnershipEvent.objects.filter(partnership=partnership, to_status__gt="").select_related("actor")
    assert partnership.status == Status.COMPLETED
    assert [(e.to_status, e.actor.username if e.actor else "") for e in events] == [
        ("in_discussion", "focal-b"),
        ("agreed", "focal-b"),
        ("active", "focal-b"),
        ("completed", "focal-a"),
    ]


def test_only_invited_parties_decline_and_only_the_proposer_withdraws(personas: Personas) -> None:
    partnership = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    with pytest.raises(PartnershipError):
        workflow.decline(partnership, personas.focal_a_user)
    with pytest.raises(PartnershipError):
        workflow.withdraw(partnership, personas.focal_b_user)
    with pytest.raises(PermissionDenied):
        workflow.withdraw(partnership, personas.secretariat_user)
    workflow.decline(partnership, personas.focal_b_user, "Not this year.")
    partnership.refresh_from_db()
    assert partnership.status == Status.DECLINED
    with pytest.raises(PartnershipError):
        workflow.confirm(partnership, partnership.parties.get(city=personas.city_b), personas.focal_b_user)


def test_one_cannot_propose_for_someone_elses_city(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        workflow.propose(
            personas.focal_a_user, terms(), proposer=personas.city_b, cities=[personas.city_a], organisations=[]
        )
    with pytest.raises(PermissionDenied):
        proposed(personas.secretariat_user, personas.city_a, personas.city_b)


def test_a_proposal_needs_two_parties_and_terms(personas: Personas) -> None:
    with pytest.raises(PartnershipError) as error:
        workflow.propose(
            personas.focal_a_user, terms(title=" ", goals=""), proposer=personas.city_a, cities=[], organisations=[]
        )
    assert error.value.problems == [
        "Give the partnership a title.",
        "Say what the partnership is for (its goals).",
        "A partnership needs at least two parties.",
    ]


def test_an_organisation_confirms_through_its_members_or_the_secretariat_records_it(personas: Personas) -> None:
    university = Organisation.objects.create(name="Tongji University", kind=OrganisationType.UNIVERSITY)
    agency = Organisation.objects.create(name="City Design Agency", kind=OrganisationType.ENTERPRISE)
    member = make_user("tongji-1")
    member.organisation = university
    member.save()
    partnership = workflow.propose(
        personas.focal_a_user, terms(), proposer=personas.city_a, cities=[], organisations=[university, agency]
    )
    university_party = partnership.parties.get(organisation=university)
    with pytest.raises(PermissionDenied):  # the university has a member account: it confirms itself
        workflow.confirm(partnership, university_party, personas.secretariat_user)
    workflow.confirm(partnership, university_party, member)
    workflow.confirm(partnership, partnership.parties.get(organisation=agency), personas.secretariat_user)
    partnership.refresh_from_db()
    assert partnership.status == Status.AGREED


def test_a_person_representing_two_parties_is_told_once_per_event(
    personas: Personas, third: tuple[City, object]
) -> None:
    city_c, _focal_c = third
    personas.focal_b_user.focal_point_of.add(city_c)
    mail.outbox.clear()
    proposed(personas.focal_a_user, personas.city_a, personas.city_b, city_c)
    assert Notification.objects.filter(user=personas.focal_b_user).count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["focal-b@example.org", "focal-c@example.org"]


def test_daily_digest_preference_holds_the_email(personas: Personas) -> None:
    NotificationSetting.objects.create(user=personas.focal_b_user, kind="partnerships", email=EmailDelivery.DAILY)
    mail.outbox.clear()
    proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    assert mail.outbox == []
    assert Notification.objects.get(user=personas.focal_b_user).email_status == "digest"
