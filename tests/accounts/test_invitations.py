"""Focal point onboarding: the secretariat invites from the city page or the command line; a one-time link."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ccx.accounts.models import FocalPointInvitation, User
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lanterns-over-the-old-port-7"


def invite(personas: Personas, email: str = "amina@example.org", name: str = "Amina Diallo") -> str:
    response = personas.secretariat.post(
        f"/accounts/cities/{personas.city_a.slug}/invite/", {"email": email, "name": name}
    )
    assert (response.status_code, response["Location"]) == (302, f"/cities/{personas.city_a.slug}/#people")
    link = re.search(r"http://\S+/accounts/invitation/(\S+)/", str(mail.outbox[-1].body))
    assert link is not None
    return f"/accounts/invitation/{link.group(1)}/"


def test_the_secretariat_invites_by_e_mail_and_sees_the_invitation_on_the_city_page(personas: Personas) -> None:
    invite(personas)
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert message.subject == "You are invited to be the focal point of Ashgabat · Creative Cities Exchange"
    assert "Hello Amina Diallo," in str(message.body)
    page = personas.secretariat.get(f"/cities/{personas.city_a.slug}/").content.decode()
    assert "<strong>amina@example.org</strong> (Amina Diallo)" in page
    assert "Invite a focal point" in page
    invitation = FocalPointInvitation.objects.get()
    assert len(invitation.token_digest) == 64
    assert invitation.token_digest not in str(message.body)


def test_who_sees_the_people_of_a_city(personas: Personas) -> None:
    invite(personas)
    seen = {}
    for name, client in personas.all().items():
        page = client.get(f"/cities/{personas.city_a.slug}/").content.decode()
        seen[name] = ('id="people-heading"' in page, "amina@example.org" in page, "Invite a focal point" in page)
    assert seen == {
        "anonymous": (False, False, False),
        "focal_a": (True, False, False),
        "focal_b": (False, False, False),
        "secretariat": (True, True, True),
    }


def test_only_the_secretariat_invites_and_revokes(personas: Personas) -> None:
    url = f"/accounts/cities/{personas.city_a.slug}/invite/"
    assert personas.anonymous.post(url, {"email": "x@example.org"}).status_code == 302
    assert personas.focal_a.post(url, {"email": "x@example.org"}).status_code == 403
    assert FocalPointInvitation.objects.count() == 0
    invite(personas)
    invitation = FocalPointInvitation.objects.get()
    assert personas.focal_a.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 403
    assert FocalPointInvitation.objects.open().count() == 1


def test_a_bad_address_is_refused_on_the_form(personas: Personas) -> None:
    response = personas.secretariat.post(f"/accounts/cities/{personas.city_a.slug}/invite/", {"email": "not-mail"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert (FocalPointInvitation.objects.count(), len(mail.outbox)) == (0, 0)


def test_the_invitee_sets_a_password_becomes_focal_point_and_edits_the_city(personas: Personas) -> None:
    link = invite(personas)
    invitee = Client()
    assert "Become the focal point of Ashgabat" in invitee.get(link).content.decode()
    mismatch = invitee.post(link, {"username": "amina", "password1": NEW_PASSWORD, "password2": "other-one-123"})
    assert "The two passwords differ." in mismatch.content.decode()
    weak = invitee.post(link, {"username": "amina", "password1": "123", "password2": "123"})
    assert "This password is too short." in weak.content.decode()
    assert not User.objects.filter(username="amina").exists()
    response = invitee.post(link, {"username": "amina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, f"/cities/{personas.city_a.slug}/edit/")
    user = User.objects.get(username="amina")
    assert (user.email, user.get_full_name(), list(user.focal_point_of.all())) == (
        "amina@example.org",
        "Amina Diallo",
        [personas.city_a],
    )
    assert invitee.get(f"/cities/{personas.city_a.slug}/edit/").status_code == 200
    assert Client().post("/accounts/login/", {"username": "amina", "password": NEW_PASSWORD}).status_code == 302
    assert FocalPointInvitation.objects.get().accepted_by == user


def test_the_link_works_once(personas: Personas) -> None:
    link = invite(personas)
    Client().post(link, {"username": "amina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    again = Client().post(link, {"username": "amina2", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert again.status_code == 410
    assert "This invitation link is no longer valid" in again.content.decode()
    assert not User.objects.filter(username="amina2").exists()


def test_a_revoked_invitation_no_longer_opens(personas: Personas) -> None:
    link = invite(personas)
    invitation = FocalPointInvitation.objects.get()
    response = personas.secretariat.post(f"/accounts/invitations/{invitation.pk}/revoke/")
    assert response["Location"] == f"/cities/{personas.city_a.slug}/#people"
    assert Client().get(link).status_code == 410
    page = personas.secretariat.get(f"/cities/{personas.city_a.slug}/").content.decode()
    assert "<strong>amina@example.org</strong>" not in page


def test_inviting_again_replaces_the_earlier_link(personas: Personas) -> None:
    first = invite(personas)
    second = invite(personas)
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_an_existing_account_accepts_with_a_new_password_and_gains_the_city(personas: Personas) -> None:
    link = invite(personas, email="focal-b@example.org", name="")
    page = Client().get(link).content.decode()
    assert "You already have an account (focal-b, focal-b@example.org)" in page
    Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert set(personas.focal_b_user.focal_point_of.all()) == {personas.city_a, personas.city_b}


def test_the_command_makes_an_account_focal_point_or_invites_an_address(personas: Personas) -> None:
    User.objects.create_user("kofi", "kofi@example.org", PASSWORD)
    out = StringIO()
    call_command("make-focal-point", "kofi", "Ashgabat", stdout=out)
    assert out.getvalue() == "kofi is now a focal point of Ashgabat.\n"
    assert list(User.objects.get(username="kofi").focal_point_of.all()) == [personas.city_a]
    out = StringIO()
    call_command("make-focal-point", "lena@example.org", personas.city_b.slug, stdout=out)
    assert out.getvalue().startswith("Invitation to be a focal point of Gangneung sent to lena@example.org.\n")
    assert "/accounts/invitation/" in out.getvalue()
    assert mail.outbox[0].to == ["lena@example.org"]
    with pytest.raises(CommandError, match="No account named 'nobody'"):
        call_command("make-focal-point", "nobody", "ashgabat-tm")
    with pytest.raises(CommandError, match="No city 'Atlantis'"):
        call_command("make-focal-point", "kofi", "Atlantis")
