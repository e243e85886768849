"""The challenge pages: every persona on every write, what each sees, and the queries the lists take."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccx.accounts.models import Notification, Organisation, OrganisationType
from ccx.challenges import clinic
from ccx.challenges.models import Challenge, ChallengeStatus, ClinicInvitation, ClinicResponse, Second, Visibility
from ccx.cities.models import City
from ccx.practices.models import Practice, Theme
from tests.challenges.factories import STATEMENT, make_challenge
from tests.conftest import Personas, client_for, make_user

pytestmark = pytest.mark.django_db


def count_of(html: str) -> int:
    found = re.search(r'data-count="(\d+)"', html)
    assert found is not None
    return int(found.group(1))


def in_clinic(personas: Personas, **values: Any) -> Challenge:
    challenge = make_challenge(personas.focal_a_user, personas.city_a, **values)
    return clinic.open_clinic(challenge, personas.focal_a_user)


def statuses(personas: Personas, url: str, data: dict[str, str], reset: object = None) -> dict[str, int]:
    """The status code of the same POST by each persona (the write reverted between them by `reset`)."""
    found = {}
    for name, client in personas.all().items():
        found[name] = client.post(url, data).status_code
        if callable(reset):
            reset()
    return found


# Reading -----------------------------------------------------------------------------------------------------


def test_anonymous_sees_public_challenges_only_in_the_list_the_page_and_search(personas: Personas) -> None:
    network = make_challenge(personas.focal_a_user, personas.city_a, title="Empty shops for members")
    public = make_challenge(
        personas.focal_a_user, personas.city_a, title="Empty shops for all", visibility=Visibility.PUBLIC
    )
    html = personas.anonymous.get("/challenges/").content.decode()
    assert (count_of(html), public.title in html, network.title in html) == (1, True, False)
    html = personas.anonymous.get("/challenges/?q=empty+shops").content.decode()
    assert (count_of(html), network.title in html) == (1, False)
    assert personas.anonymous.get(network.get_absolute_url()).status_code == 404
    assert personas.anonymous.get(public.get_absolute_url()).status_code == 200
    visitor = client_for(make_user("visitor"))
    assert count_of(visitor.get("/challenges/?q=empty+shops").content.decode()) == 2
    assert visitor.get(network.get_absolute_url()).status_code == 200


def test_the_filters_include_open_clinics_and_are_shareable(personas: Personas) -> None:
    economy = Theme.objects.get(slug="economy")
    clinic_one = in_clinic(personas, title="Vacant shops clinic", themes=[economy.pk], visibility=Visibility.PUBLIC)
    make_challenge(personas.focal_a_user, personas.city_a, title="Plain one", visibility=Visibility.PUBLIC)
    html = personas.anonymous.get("/challenges/?status=clinic").content.decode()
    assert (count_of(html), clinic_one.title in html) == (1, True)
    assert re.search(r'value="clinic" checked>\s*<span>Open clinic</span><span class="count">1</span>', html)
    assert count_of(personas.anonymous.get("/challenges/?theme=economy&region=AS").content.decode()) == 1
    assert count_of(personas.anonymous.get("/challenges/?region=EU").content.decode()) == 0
    html = personas.anonymous.get("/challenges/?theme=knitting").content.decode()
    assert "Unknown theme &#x27;knitting&#x27;." in html
    partial = personas.anonymous.get("/challenges/?status=clinic", headers={"HX-Request": "true"}).content.decode()
    assert (partial.lstrip().startswith('<div id="results"'), "<html" in partial) == (True, False)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_runs_the_same_queries_for_1_and_30_challenges(personas: Personas, rows: int) -> None:
    themes = list(Theme.objects.all()[:2])
    for number in range(rows):
        challenge = Challenge.objects.create(
            slug=f"c-{number}",
            title=f"Challenge {number}",
            statement=STATEMENT,
            city=personas.city_a,
            visibility=Visibility.PUBLIC,
        )
        challenge.themes.set(themes)
    with CaptureQueriesContext(connection) as queries:
        html = personas.anonymous.get("/challenges/").content.decode()
    assert count_of(html) == rows
    assert len(queries) == 16


def test_the_detail_page_shows_the_matches_the_peers_and_the_clinic(
    personas: Personas, library: dict[str, Practice]
) -> None:
    challenge = in_clinic(personas, obstacles=["Landlords wait", "No budget line"], goals="Fill 20 units")
    offered = library["Pop-up studios in empty shops"]
    response = clinic.respond(challenge, personas.focal_b_user, "practice", "We rent shops to designers.", offered)
    clinic.second(response, personas.secretariat_user)
    html = personas.focal_a.get(challenge.get_absolute_url()).content.decode()
    for text in (
        "<li>Landlords wait</li>",
        "Fill 20 units",
        "Pop-up studios in empty shops",
        "addresses the same problem",
        "Invite Gangneung to the clinic",
        "We rent shops to designers.",
        "Seconded by 1 person",
        'for="transfer-',  # transferability as a labelled bar with its explanation
        "Transferability: how closely the practice answers this problem",
        "Mark as helped",
        "Conclude the clinic",
    ):
        assert text in html, text
    assert 'data-testid="respond-form"' not in html  # the city that asked does not answer itself
    html = personas.focal_b.get(challenge.get_absolute_url()).content.decode()
    assert 'data-testid="respond-form"' in html
    assert "Mark as helped" not in html
    assert f'action="/challenges/{challenge.slug}/responses/{response.pk}/second/"' not in html  # their own
    assert re.findall(r'<meter id="transfer-\d+" min="0" max="1"[^>]*value="0\.\d+"', html)
    assert "###" not in html


def test_a_proposal_link_on_the_challenge_page_opens_a_form_the_persona_may_use(
    personas: Personas, library: dict[str, Practice]
) -> None:
    """The secretariat manages every clinic (it may invite) but proposes no partnership (it is no party): the
    page used to offer it the link all the same, which answered 403."""
    challenge = in_clinic(personas, visibility=Visibility.PUBLIC)
    partner = make_user("partner-1")
    partner.organisation = Organisation.objects.create(name="Crafts Council", kind=OrganisationType.CIVIL_SOCIETY)
    partner.save()
    everyone = personas.all() | {"member": client_for(make_user("member-1")), "partner": client_for(partner)}
    shown = {}
    for name, client in everyone.items():
        html = client.get(challenge.get_absolute_url()).content.decode()
        links = re.findall(r'href="(/cooperation/partnerships/new/[^"]*)"', html)
        shown[name] = [client.get(link.replace("&amp;", "&")).status_code for link in links][:1]
    assert shown == {
        "anonymous": [],
        "member": [],
        "partner": [],
        "focal_a": [200],
        "focal_b": [],
        "secretariat": [],
    }


def test_a_response_nobody_seconded_says_so_in_words(personas: Personas) -> None:
    challenge = in_clinic(personas)
    clinic.respond(challenge, personas.focal_b_user, "advice", "Start with one street.")
    html = personas.focal_a.get(challenge.get_absolute_url()).content.decode()
    assert "No one has seconded this yet" in html
    assert "0 seconds" not in html


@pytest.mark.parametrize("responses", [1, 6])
def test_the_detail_page_runs_the_same_queries_for_1_and_6_responses(
    personas: Personas, library: dict[str, Practice], responses: int
) -> None:
    challenge = in_clinic(personas)
    for number in range(responses):
        response = clinic.respond(challenge, personas.secretariat_user, "advice", f"Advice {number}")
        clinic.second(response, personas.focal_a_user)
    personas.focal_b.get(challenge.get_absolute_url())  # matches computed once, then kept until the next edit
    with CaptureQueriesContext(connection) as queries:
        html = personas.focal_b.get(challenge.get_absolute_url()).content.decode()
    assert html.count('data-testid="response"') == responses
    assert len(queries) == 11


def test_the_practice_picker_searches_the_library_by_title(personas: Personas, library: dict[str, Practice]) -> None:
    challenge = in_clinic(personas)
    url = f"/challenges/{challenge.slug}/practices/?practice_q=rivers"
    html = personas.focal_b.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Clean rivers with citizen science" in html
    assert "Pop-up studios" not in html
    assert personas.focal_a.get(url).status_code == 403
    assert personas.anonymous.get(url).status_code == 404  # a challenge for the network only


def test_the_city_page_lists_its_open_challenges(personas: Personas) -> None:
    make_challenge(personas.focal_a_user, personas.city_a, title="Public one", visibility=Visibility.PUBLIC)
    make_challenge(personas.focal_a_user, personas.city_a, title="Members one")
    html = personas.anonymous.get(personas.city_a.get_absolute_url()).content.decode()
    assert ("Public one" in html, "Members one" in html) == (True, False)
    html = personas.focal_a.get(personas.city_a.get_absolute_url()).content.decode()
    assert ("Public one" in html, "Members one" in html, "/challenges/new/?city=ashgabat-tm" in html) == (
        True,
        True,
        True,
    )


def test_my_citys_challenges(personas: Personas) -> None:
    own = make_challenge(personas.focal_a_user, personas.city_a, title="Ours")
    clinic.invite_to_clinic(own, personas.city_b, personas.focal_a_user)
    html = personas.focal_b.get("/challenges/mine/").content.decode()
    assert "Clinics my cities are invited to" in html
    assert "Ours" in html
    assert personas.anonymous.get("/challenges/mine/").status_code == 302


# Writing: every persona ----------------------------------------------------------------------------------------


def test_posting_a_challenge_personas(personas: Personas) -> None:
    data = {
        "city": str(personas.city_a.pk),
        "title": "Empty shops",
        "statement": STATEMENT,
        "obstacles": "Landlords wait\n- No budget line\n",
        "language": "en",
        "visibility": "public",
        "time_frame_months": "12",
    }
    found = {name: client.post("/challenges/new/", data).status_code for name, client in personas.all().items()}
    # focal_b may not post for city A: the city is not among the form's choices.
    assert found == {"anonymous": 302, "focal_a": 302, "focal_b": 200, "secretariat": 302}
    assert Challenge.objects.count() == 2
    first = Challenge.objects.order_by("pk").first()
    assert first is not None
    assert (first.obstacles, first.owner, first.time_frame_months) == (
        ["Landlords wait", "No budget line"],
        personas.focal_a_user,
        12,
    )
    assert client_for(make_user("visitor")).get("/challenges/new/").status_code == 403
    page = personas.focal_a.get("/challenges/new/").content.decode()
    assert f'<option value="{personas.city_a.pk}" selected>' in page


def test_a_bad_challenge_form_shows_each_problem(personas: Personas) -> None:
    response = personas.focal_a.post("/challenges/new/", {"city": str(personas.city_a.pk), "title": ""})
    html = response.content.decode()
    assert (response.status_code, Challenge.objects.count()) == (200, 0)
    assert html.count('class="errorlist"') >= 3  # title, statement, language, visibility


def test_editing_personas(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    url = f"/challenges/{challenge.slug}/edit/"
    data = {
        "city": str(personas.city_a.pk),
        "title": "Edited",
        "statement": STATEMENT,
        "language": "en",
        "visibility": "network",
    }
    found = {name: client.post(url, data).status_code for name, client in personas.all().items()}
    assert found == {"anonymous": 302, "focal_a": 302, "focal_b": 403, "secretariat": 302}
    challenge.refresh_from_db()
    assert challenge.title == "Edited"


def test_opening_and_closing_the_clinic_personas(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a, visibility=Visibility.PUBLIC)
    url = f"/challenges/{challenge.slug}/clinic/"

    def reopen() -> None:
        Challenge.objects.filter(pk=challenge.pk).update(status=ChallengeStatus.OPEN)

    assert statuses(personas, url, {"action": "open"}, reopen) == {
        "anonymous": 302,
        "focal_a": 302,
        "focal_b": 403,
        "secretariat": 302,
    }
    assert personas.anonymous.post(url, {"action": "open"})["Location"].startswith("/accounts/login/")
    personas.focal_a.post(url, {"action": "open"})
    assert Challenge.objects.get().status == ChallengeStatus.CLINIC
    personas.focal_a.post(url, {"action": "close"})
    assert Challenge.objects.get().status == ChallengeStatus.CLOSED


def test_responding_personas(personas: Personas, library: dict[str, Practice]) -> None:
    challenge = in_clinic(personas, visibility=Visibility.PUBLIC)
    url = f"/challenges/{challenge.slug}/respond/"
    data = {"kind": "practice", "text": "We did this.", "practice": "pop-up-studios-in-empty-shops"}
    found = statuses(personas, url, data)
    assert found == {"anonymous": 302, "focal_a": 403, "focal_b": 302, "secretariat": 302}
    assert sorted(ClinicResponse.objects.values_list("author__username", "city__slug")) == [
        ("focal-b", "gangneung-kr"),
        ("secretariat-1", None),
    ]
    assert client_for(make_user("visitor")).post(url, data).status_code == 403


def test_a_bad_response_shows_its_problems_and_saves_nothing(personas: Personas) -> None:
    challenge = in_clinic(personas)
    url = f"/challenges/{challenge.slug}/respond/"
    html = personas.focal_b.post(url, {"kind": "practice", "text": "Take our practice"}).content.decode()
    assert "Choose the practice you offer from the library." in html
    html = personas.focal_b.post(url, {"kind": "advice", "text": "x", "practice": "no-such"}).content.decode()
    assert "Choose a published practice of the library." in html
    assert ClinicResponse.objects.count() == 0


def test_seconding_personas(personas: Personas) -> None:
    challenge = in_clinic(personas, visibility=Visibility.PUBLIC)
    response = clinic.respond(challenge, personas.focal_b_user, "advice", "Start with one street.")
    url = f"/challenges/{challenge.slug}/responses/{response.pk}/second/"
    found = statuses(personas, url, {})
    assert found == {"anonymous": 302, "focal_a": 302, "focal_b": 302, "secretariat": 302}
    assert sorted(Second.objects.values_list("user__username", flat=True)) == ["focal-a", "secretariat-1"]
    page = personas.focal_b.get(challenge.get_absolute_url(), follow=True)
    personas.focal_b.post(url, {})
    messages = [str(message) for message in personas.focal_b.get(challenge.get_absolute_url()).context["messages"]]
    assert messages[-1] == "You cannot second your own response."
    personas.focal_a.post(url, {})
    messages = [str(message) for message in personas.focal_a.get(challenge.get_absolute_url()).context["messages"]]
    assert messages[-1] == "You have already seconded this response."
    assert Second.objects.count() == 2
    assert page.status_code == 200
    assert client_for(make_user("visitor")).post(url, {}).status_code == 403


def test_marking_helped_and_concluding_personas(personas: Personas) -> None:
    challenge = in_clinic(personas, visibility=Visibility.PUBLIC)
    response = clinic.respond(challenge, personas.focal_b_user, "advice", "Start with one street.")
    helped_url = f"/challenges/{challenge.slug}/responses/{response.pk}/helped/"

    def unmark() -> None:
        ClinicResponse.objects.update(helped=False)

    found = statuses(personas, helped_url, {"helped": "true"}, unmark)
    assert found == {"anonymous": 302, "focal_a": 302, "focal_b": 403, "secretariat": 302}
    personas.focal_a.post(helped_url, {"helped": "true"})
    assert ClinicResponse.objects.get().helped is True
    conclude_url = f"/challenges/{challenge.slug}/conclude/"
    data = {"conclusion_obstacles": "High rents", "conclusion_ideas": "Pop-up leases"}
    found = statuses(personas, conclude_url, data)
    assert found == {"anonymous": 302, "focal_a": 302, "focal_b": 403, "secretariat": 302}
    challenge.refresh_from_db()
    assert (challenge.status, challenge.conclusion_ideas) == (ChallengeStatus.CONCLUDED, "Pop-up leases")
    html = personas.anonymous.get(challenge.get_absolute_url()).content.decode()
    assert "Conclusion of the clinic" in html
    assert "Pop-up leases" in html
    assert "Helped" in html
    keys = list(Notification.objects.filter(user=personas.focal_b_user).values_list("key", flat=True))
    assert sorted(keys) == sorted([f"clinic-helped:{response.pk}", f"clinic-concluded:{challenge.pk}"])


def test_inviting_personas_and_going_back_to_next(personas: Personas) -> None:
    challenge = make_challenge(personas.focal_a_user, personas.city_a)
    url = f"/challenges/{challenge.slug}/invite/"
    data = {"city": personas.city_b.slug, "next": "/cooperation/matchmaking/"}

    def forget() -> None:
        ClinicInvitation.objects.all().delete()

    found = statuses(personas, url, data, forget)
    assert found == {"anonymous": 302, "focal_a": 302, "focal_b": 403, "secretariat": 302}
    response = personas.focal_a.post(url, data)
    assert response["Location"] == "/cooperation/matchmaking/"
    response = personas.focal_a.post(url, {**data, "next": "https://evil.example.org/"})
    assert response["Location"] == f"/challenges/{challenge.slug}/#clinic"
    assert ClinicInvitation.objects.get().city == personas.city_b  # inviting twice changes nothing
    response = personas.focal_a.post(url, {"city": "atlantis"})
    messages = [str(message) for message in personas.focal_a.get(challenge.get_absolute_url()).context["messages"]]
    assert messages[-1] == "Unknown member city."
    assert City.objects.filter(slug="atlantis").count() == 0


def test_posts_are_refused_to_get(personas: Personas) -> None:
    challenge = in_clinic(personas)
    assert personas.focal_b.get(f"/challenges/{challenge.slug}/respond/").status_code == 405
