import re

import pytest
from django.core import mail
from django.test import Client

from ccx.accounts.models import Organisation, OrganisationType, Role, User
from ccx.accounts.services import ensure_demo_secretariat
from tests.conftest import PASSWORD, Personas, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login", ["focal-a", "focal-a@example.org", "FOCAL-A@example.org"])
def test_sign_in_with_user_name_or_email(personas: Personas, login: str) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/accounts/")
    assert "Ashgabat" in client.get("/accounts/").content.decode()


def test_a_wrong_password_is_refused_with_a_message(personas: Personas) -> None:
    response = Client().post("/accounts/login/", {"username": "focal-a", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_sign_out_needs_post(personas: Personas) -> None:
    assert personas.focal_a.get("/accounts/logout/").status_code == 405
    assert personas.focal_a.post("/accounts/logout/").status_code == 302
    assert personas.focal_a.get("/accounts/").status_code == 302


def test_password_reset_sends_a_working_link(personas: Personas) -> None:
    client = Client()
    client.post("/accounts/password-reset/", {"email": "focal-b@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new_password = "another-long-password-47"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert User.objects.get(username="focal-b").check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same() -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert (response.status_code, response["Location"], len(mail.outbox)) == (302, "/accounts/password-reset/sent/", 0)


def test_roles_follow_from_what_the_account_is_bound_to(personas: Personas) -> None:
    unesco = Organisation.objects.create(name="UNESCO", kind=OrganisationType.INTERNATIONAL_ORGANISATION)
    partner = make_user("partner")
    partner.organisation = unesco
    partner.save()
    visitor = make_user("visitor")
    roles = [user.role for user in (personas.secretariat_user, personas.focal_a_user, partner, visitor)]
    assert roles == [Role.SECRETARIAT, Role.FOCAL_POINT, Role.PARTNER, Role.MEMBER]


def test_the_dashboard_needs_an_account(personas: Personas) -> None:
    statuses = {name: client.get("/accounts/").status_code for name, client in personas.all().items()}
    assert statuses == {"anonymous": 302, "focal_a": 200, "focal_b": 200, "secretariat": 200}


def test_the_admin_is_for_the_secretariat(personas: Personas) -> None:
    statuses = {name: client.get("/admin/cities/city/").status_code for name, client in personas.all().items()}
    assert statuses == {"anonymous": 302, "focal_a": 302, "focal_b": 302, "secretariat": 200}


def test_admin_corrections_are_kept_across_imports(personas: Personas) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.force_login(admin)
    city = personas.city_b
    page = client.get(f"/admin/cities/city/{city.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name not in ("created_at", "updated_at")
    }
    data.update(
        {
            "designation_year": 2024,
            "about_translations": "{}",
            "commitments_translations": "{}",
            "corrected_fields": "[]",
        }
    )
    data = {key: value for key, value in data.items() if value is not False}
    response = client.post(f"/admin/cities/city/{city.pk}/change/", data)
    assert response.status_code == 302
    city.refresh_from_db()
    assert (city.designation_year, city.corrected_fields) == (2024, ["designation_year"])


def test_the_demo_secretariat_is_created_once(settings: object) -> None:
    first = ensure_demo_secretariat()
    second = ensure_demo_secretariat()
    assert (first.created, second.created, second.username) == (True, False, "secretariat")
    assert User.objects.filter(is_staff=True).count() == 1
    assert User.objects.get(username="secretariat").check_password(first.password)


def test_the_password_reset_e_mail_names_the_site(personas: Personas) -> None:
    personas.anonymous.post("/accounts/password-reset/", {"email": "focal-a@example.org"})
    assert mail.outbox[0].subject == "Reset your password · Creative Cities Exchange"
    assert "your account on Creative Cities Exchange." in str(mail.outbox[0].body)
