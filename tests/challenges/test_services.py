"""The challenge and clinic domain functions: who may do what, what is checked, who is told (once)."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ccx.accounts.models import Notification, NotificationKind, User
from ccx.challenges import clinic
from ccx.challenges.models import Challenge, ChallengeStatus, ClinicInvitation, ResponseKind, Second, Visibility
from ccx.challenges.services import matches_for, obstacles_from_lines, post_challenge, update_challenge
from ccx.cities.models import City
from ccx.practices.models import Practice, Theme
from tests.challenges.factories import STATEMENT, make_challenge
from tests.conftest import Personas, make_user
from tests.practices.factories import make_practice, published_practice

pytestmark = pytest.mark.django_db


def other_city() -> City:
    return City.objects.get(slug="dundee-gb")


def in_clinic(personas: Personas, **values: Any) -> Challenge:
    challenge = make_challenge(personas.focal_a_user, personas.city_a, **values)
    return clinic.open_clinic(challenge, personas.focal_a_user)


def notified(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("key", flat=True))


# Posting and editing -----------------------------------------------------------------------------------------


def test_a_focal_point_posts_for_their_own_city_only(personas: Personas) -> None:
    challenge = make_challenge(
        personas.focal_a_user,
        personas.city_a,
        obstacles=["Landlords keep units empty", "  ", "No budget line"],
        themes=list(Theme.objects.filter(slug="economy").values_list("pk", flat=True)),
        budget_band="10k_100k",
        time_frame_months=24,
    )
    assert (challenge.city, challenge.country, challenge.owner) == (
        personas.city_a,
        personas.city_a.country,
        personas.focal_a_user,
    )
    assert (challenge.slug, challenge.status, challenge.visibility) == (
        "empty-shops-in-the-old-town",
        "open",
        "network",
    )
    assert challenge.obstacles == ["Landlords keep units empty", "No budget line"]
    assert [theme.slug for theme in challenge.themes.all()] == ["economy"]
    with pytest.raises(PermissionDenied):
        make_challenge(personas.focal_a_user, personas.city_b)
    with pytest.raises(PermissionDenied):
        make_challenge(make_user("visitor"), personas.city_a)
    with pytest.raises(PermissionDenied):
        post_challenge(AnonymousUser(), {"city": personas.city_a, "title": "x", "statement": STATEMENT})
    by_secretariat = make_challenge(personas.secretariat_user, personas.city_b, title="Posted for a city")
    assert by_secretariat.city == personas.city_b
    assert Challenge.objects.count() == 2


def test_bad_values_name_each_field_and_save_nothing(personas: Personas) -> None:
    with pytest.raises(ValidationError) as raised:
        post_challenge(
            personas.focal_a_user,
            {
                "city": personas.city_a,
                "title": " ",
                "statement": "",
                "budget_band": "a lot",
                "time_frame_months": 0,
                "language": "xx",
                "visibility": "secret",
                "obstacles": "not a list",
            },
        )
    assert sorted(raised.value.message_dict) == [
        "budget_band",
        "language",
        "obstacles",
        "statement",
        "time_frame_months",
        "title",
        "visibility",
    ]
    with pytest.raises(ValidationError) as raised:
        post_challenge(personas.secretariat_user, {"city": None, "title": "No city", "statement": STATEMENT})
    assert raised.value.message_dict == {"city": ["Name the city that meets this challenge."]}
    assert Challenge.objects.count() == 0


def test_only_the_city_and_the_secretariat_edit(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    assert update_challenge(challenge, personas.focal_a_user, {"title": "Vacant shops"}) == ["title"]
    assert update_challenge(challenge, personas.secretariat_user, {"goals": "Fill 20 units"}) == ["goals"]
    assert update_challenge(challenge, personas.secretariat_user, {"goals": "Fill 20 units"}) == []
    for user in (personas.focal_b_user, make_user("visitor"), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            update_challenge(challenge, user, {"title": "Taken over"})
    with pytest.raises(PermissionDenied):  # moving it to a city that is not theirs
        update_challenge(challenge, personas.focal_a_user, {"city": personas.city_b})
    challenge.refresh_from_db()
    assert (challenge.title, challenge.goals, challenge.city) == ("Vacant shops", "Fill 20 units", personas.city_a)
    assert challenge.edited_fields == []  # posted on the site, not imported


def test_anonymous_sees_public_challenges_only(personas: Personas) -> None:
    network = make_challenge(personas.focal_a_user, personas.city_a, title="For members")
    public = make_challenge(personas.focal_a_user, personas.city_a, title="For all", visibility=Visibility.PUBLIC)
    assert list(Challenge.objects.visible_to(AnonymousUser())) == [public]
    assert set(Challenge.objects.visible_to(make_user("visitor"))) == {network, public}


def test_obstacles_are_read_one_per_line() -> None:
    assert obstacles_from_lines("- Landlords\n\n2. No budget\n  • Rules on signs  \n") == [
        "Landlords",
        "No budget",
        "Rules on signs",
    ]


def test_the_matches_follow_each_edit(personas: Personas, library: dict[str, Practice]) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    first = matches_for(challenge)
    assert first is not None
    assert first.matches[0].practice.title == "Pop-up studios in empty shops"
    assert first.matches[0].reasons[0].startswith("addresses the same problem")
    assert [peer.city for peer in first.peers] == [personas.city_b]
    update_challenge(
        challenge,
        personas.focal_a_user,
        {"title": "Polluted rivers", "statement": "Our rivers are polluted and nobody measures how much."},
    )
    second = matches_for(challenge)
    assert second is not None
    assert second.matches[0].practice.title == "Clean rivers with citizen science"
    update_challenge(challenge, personas.focal_a_user, {"title": "Too", "statement": "short"})
    assert matches_for(challenge) is None


# The clinic --------------------------------------------------------------------------------------------------


def test_only_the_city_and_the_secretariat_open_and_close_the_clinic(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    for user in (personas.focal_b_user, make_user("visitor"), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            clinic.open_clinic(challenge, user)
    clinic.open_clinic(challenge, personas.focal_a_user)
    assert challenge.status == ChallengeStatus.CLINIC
    with pytest.raises(ValidationError):
        clinic.open_clinic(challenge, personas.focal_a_user)
    with pytest.raises(PermissionDenied):
        clinic.close_clinic(challenge, personas.focal_b_user)
    clinic.close_clinic(challenge, personas.secretariat_user)
    assert Challenge.objects.get().status == ChallengeStatus.CLOSED
    clinic.open_clinic(challenge, personas.secretariat_user)
    assert Challenge.objects.get().status == ChallengeStatus.CLINIC


def test_members_of_other_cities_respond_and_the_city_is_told_once(personas: Personas) -> None:
    challenge = in_clinic(personas)
    practice = published_practice(personas.focal_b_user, personas.secretariat_user, personas.city_b, "Pop-up studios")
    response = clinic.respond(
        challenge, personas.focal_b_user, ResponseKind.PRACTICE, "We did this in Gangneung.", practice
    )
    assert (response.city, response.practice, response.author) == (personas.city_b, practice, personas.focal_b_user)
    by_secretariat = clinic.respond(challenge, personas.secretariat_user, ResponseKind.ADVICE, "Ask the landlords.")
    assert by_secretariat.city is None
    assert notified(personas.focal_a_user) == [f"clinic-response:{response.pk}", f"clinic-response:{by_secretariat.pk}"]
    notification = Notification.objects.filter(user=personas.focal_a_user).order_by("pk").first()
    assert notification is not None
    assert (notification.kind, notification.url) == (
        NotificationKind.CHALLENGES,
        f"/challenges/{challenge.slug}/#response-{response.pk}",
    )
    # One e-mail per response, to the focal point of Ashgabat only.
    told = [message.to for message in mail.outbox if "New response in the clinic" in message.subject]
    assert told == [[personas.focal_a_user.email], [personas.focal_a_user.email]]


def test_who_may_not_respond(personas: Personas) -> None:
    challenge = in_clinic(personas)
    for user in (personas.focal_a_user, make_user("visitor"), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            clinic.respond(challenge, user, ResponseKind.ADVICE, "Our own advice")
    both = make_user("focal-both", cities=(personas.city_a, other_city()))
    response = clinic.respond(challenge, both, ResponseKind.ADVICE, "From Dundee")  # speaks for their other city
    assert response.city == other_city()
    with pytest.raises(ValidationError):
        clinic.respond(challenge, both, ResponseKind.ADVICE, "As Ashgabat", city=personas.city_a)
    clinic.close_clinic(challenge, personas.focal_a_user)
    with pytest.raises(ValidationError, match="does not take responses"):
        clinic.respond(challenge, personas.focal_b_user, ResponseKind.ADVICE, "Too late")
    assert challenge.responses.count() == 1


def test_a_response_is_checked(personas: Personas) -> None:
    challenge = in_clinic(personas)
    draft = make_practice(personas.focal_b_user, personas.city_b, "Not published yet")
    cases = [
        (("unknown", "text", None), "kind"),
        ((ResponseKind.ADVICE, "   ", None), "text"),
        ((ResponseKind.PRACTICE, "Take this", None), "practice"),
        ((ResponseKind.PRACTICE, "Take this", draft), "practice"),
        ((ResponseKind.ADVICE, "Advice with a practice", draft), "practice"),
        ((ResponseKind.ADVICE, "x" * 5001, None), "text"),
    ]
    for (kind, text, practice), field in cases:
        with pytest.raises(ValidationError) as raised:
            clinic.respond(challenge, personas.focal_b_user, kind, text, practice)
        assert list(raised.value.message_dict) == [field]
    assert challenge.responses.count() == 0


def test_nobody_seconds_their_own_response_or_twice(personas: Personas) -> None:
    challenge = in_clinic(personas)
    response = clinic.respond(challenge, personas.focal_b_user, ResponseKind.OBSTACLE, "Landlords wait for buyers.")
    with pytest.raises(ValidationError, match="your own"):
        clinic.second(response, personas.focal_b_user)
    clinic.second(response, personas.focal_a_user)  # the city that asked may agree
    clinic.second(response, personas.secretariat_user)
    with pytest.raises(ValidationError, match="already"):
        clinic.second(response, personas.secretariat_user)
    for user in (make_user("visitor"), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            clinic.second(response, user)
    third = make_user("focal-dundee", cities=(other_city(),))
    clinic.close_clinic(challenge, personas.focal_a_user)
    response.refresh_from_db()
    with pytest.raises(ValidationError, match="does not take responses"):
        clinic.second(response, third)
    assert Second.objects.filter(response=response).count() == 2


def test_the_city_marks_what_helped_and_concludes(personas: Personas) -> None:
    challenge = in_clinic(personas)
    response = clinic.respond(challenge, personas.focal_b_user, ResponseKind.ADVICE, "Start with one street.")
    for user in (personas.focal_b_user, make_user("visitor")):
        with pytest.raises(PermissionDenied):
            clinic.mark_helped(response, user)
        with pytest.raises(PermissionDenied):
            clinic.conclude(challenge, user, "Rents", "Pop-up leases")
    clinic.mark_helped(response, personas.focal_a_user)
    clinic.mark_helped(response, personas.focal_a_user, False)
    clinic.mark_helped(response, personas.focal_a_user)
    response.refresh_from_db()
    assert response.helped is True
    assert notified(personas.focal_b_user) == [f"clinic-helped:{response.pk}"]  # told once, however often marked
    with pytest.raises(ValidationError) as raised:
        clinic.conclude(challenge, personas.focal_a_user, " ", "")
    assert sorted(raised.value.message_dict) == ["conclusion_ideas", "conclusion_obstacles"]
    clinic.conclude(challenge, personas.focal_a_user, "High rents", "Pop-up leases for one street")
    clinic.conclude(challenge, personas.secretariat_user, "High rents; owners abroad", "Pop-up leases")
    challenge.refresh_from_db()
    assert (challenge.status, challenge.conclusion_obstacles, challenge.conclusion_ideas) == (
        ChallengeStatus.CONCLUDED,
        "High rents; owners abroad",
        "Pop-up leases",
    )
    assert challenge.concluded_at is not None
    assert notified(personas.focal_b_user) == [f"clinic-helped:{response.pk}", f"clinic-concluded:{challenge.pk}"]


def test_a_challenge_that_was_never_a_clinic_cannot_be_concluded(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    with pytest.raises(ValidationError, match="Open the clinic"):
        clinic.conclude(challenge, personas.focal_a_user, "Rents", "Leases")


def test_inviting_a_city_opens_the_clinic_and_tells_its_focal_points_once(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    with pytest.raises(PermissionDenied):
        clinic.invite_to_clinic(challenge, personas.city_b, personas.focal_b_user)
    with pytest.raises(ValidationError):
        clinic.invite_to_clinic(challenge, personas.city_a, personas.focal_a_user)
    invitation = clinic.invite_to_clinic(challenge, personas.city_b, personas.focal_a_user)
    again = clinic.invite_to_clinic(challenge, personas.city_b, personas.secretariat_user)
    assert (again, invitation.invited_by) == (invitation, personas.focal_a_user)
    assert ClinicInvitation.objects.count() == 1
    assert Challenge.objects.get().status == ChallengeStatus.CLINIC
    notification = Notification.objects.get(user=personas.focal_b_user)
    assert (notification.key, notification.url) == (
        f"clinic-invitation:{invitation.pk}",
        f"/challenges/{challenge.slug}/#clinic",
    )
    assert notification.subject == "Ashgabat invites you to a case clinic"
    assert [message.to for message in mail.outbox] == [[personas.focal_b_user.email]]
