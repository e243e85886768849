"""Twinnings recorded from public sources: who may confirm, correct or end them, and what each step records."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ccx.accounts.models import Notification, Organisation, OrganisationType
from ccx.accounts.permissions import AnyUser
from ccx.cities.models import City
from ccx.partnerships import twinnings
from ccx.partnerships.models import Partnership, PartnershipStatus
from ccx.partnerships.permissions import can_view, may_maintain_record, visible_partnerships
from ccx.partnerships.workflow import PartnershipError
from tests.conftest import Personas, make_user
from tests.partnerships.factories import proposed, recorded_twinning

Status = PartnershipStatus


@pytest.fixture
def twinning(personas: Personas, tmp_path: Path) -> Partnership:
    return recorded_twinning(tmp_path, personas.city_a, personas.city_b)


def _steps(partnership: Partnership) -> list[tuple[str, str, str, str]]:
    return list(partnership.events.values_list("action", "from_status", "to_status", "comment"))


def test_a_recorded_twinning_is_public_and_says_where_it_comes_from(personas: Personas, twinning: Partnership) -> None:
    assert (twinning.status, twinning.kind, twinning.is_public_record) == (Status.RECORDED, "twinning", True)
    assert twinning.get_source_display() == "Recorded from public sources (Wikidata P190)"
    assert can_view(AnonymousUser(), twinning)
    assert list(visible_partnerships(Partnership.objects.all(), AnonymousUser())) == [twinning]
    assert _steps(twinning) == [("recorded", "", "recorded", "Wikidata P190: Q901 Q902")]


def test_only_focal_points_of_its_cities_and_the_secretariat_may_maintain_it(
    personas: Personas, twinning: Partnership
) -> None:
    outsider = make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),))
    partner = make_user("partner")
    partner.organisation = Organisation.objects.create(name="Culture Fund", kind=OrganisationType.UNIVERSITY)
    partner.save()
    who: dict[str, AnyUser] = {
        "anonymous": AnonymousUser(),
        "partner": partner,
        "focal_c": outsider,
        "focal_a": personas.focal_a_user,
        "focal_b": personas.focal_b_user,
        "secretariat": personas.secretariat_user,
    }
    assert {name: may_maintain_record(user, twinning) for name, user in who.items()} == {
        "anonymous": False,
        "partner": False,
        "focal_c": False,
        "focal_a": True,
        "focal_b": True,
        "secretariat": True,
    }
    for name in ("anonymous", "partner", "focal_c"):
        with pytest.raises(PermissionDenied):
            twinnings.confirm_twinning(twinning, who[name], start_year=1999)
        with pytest.raises(PermissionDenied):
            twinnings.end_twinning(twinning, who[name], end_year=None)
        with pytest.raises(PermissionDenied):
            twinnings.correct_twinning(
                twinning, who[name], kind="mou", start_year=None, end_year=None, description="Not a twinning"
            )
    twinning.refresh_from_db()
    assert (twinning.status, twinning.kind, twinning.start_year) == (Status.RECORDED, "twinning", None)


def test_a_focal_point_confirms_it_with_its_year_and_the_other_city_hears_of_it(
    personas: Personas, twinning: Partnership
) -> None:
    document = twinnings.Document("Twinning charter", url="https://example.org/charter.pdf")
    twinnings.confirm_twinning(twinning, personas.focal_a_user, start_year=1998, documents=[document])
    twinning.refresh_from_db()
    assert (twinning.status, twinning.tie_state, twinning.start_year) == (Status.ACTIVE, "confirmed", 1998)
    assert _steps(twinning)[1:] == [
        ("twinning_confirmed", "recorded", "active", "Since 1998."),
        ("document_added", "", "", "Twinning charter"),
    ]
    assert list(twinning.parties.filter(confirmed_at__isnull=False).values_list("city__slug", flat=True)) == [
        "ashgabat-tm"
    ]
    assert list(twinning.documents.values_list("title", "url")) == [
        ("Twinning charter", "https://example.org/charter.pdf")
    ]
    assert list(Notification.objects.values_list("user__username", "subject")) == [
        ("focal-b", "Ashgabat confirmed the twinning Ashgabat – Gangneung")
    ]
    with pytest.raises(PartnershipError):
        twinnings.confirm_twinning(twinning, personas.focal_b_user, start_year=1998)


def test_the_secretariat_ends_it_and_a_focal_point_corrects_it(personas: Personas, twinning: Partnership) -> None:
    twinnings.end_twinning(twinning, personas.secretariat_user, end_year=2022, comment="Suspended in 2022.")
    twinnings.correct_twinning(
        twinning,
        personas.focal_b_user,
        kind="knowledge_exchange",
        start_year=2001,
        end_year=2022,
        description="A friendship agreement rather than a twinning.",
        comment="Our archives",
    )
    twinning.refresh_from_db()
    assert (twinning.status, twinning.kind, twinning.start_year, twinning.end_year) == (
        Status.ENDED,
        "knowledge_exchange",
        2001,
        2022,
    )
    assert _steps(twinning)[1:] == [
        ("twinning_ended", "recorded", "ended", "Suspended in 2022."),
        ("twinning_corrected", "", "", "type, since, description: Our archives"),
    ]


def test_impossible_years_are_refused_and_change_nothing(personas: Personas, twinning: Partnership) -> None:
    with pytest.raises(PartnershipError) as too_early:
        twinnings.confirm_twinning(twinning, personas.focal_a_user, start_year=1850)
    assert too_early.value.problems[0].startswith("The year it began must be between 1900 and")
    twinning.refresh_from_db()
    assert (twinning.status, twinning.start_year) == (Status.RECORDED, None)
    twinnings.confirm_twinning(twinning, personas.focal_a_user, start_year=2010)
    with pytest.raises(PartnershipError) as backwards:
        twinnings.end_twinning(twinning, personas.focal_a_user, end_year=2005)
    assert backwards.value.problems == ["It cannot end before it began."]
    twinning.refresh_from_db()
    assert (twinning.status, twinning.end_year) == (Status.ACTIVE, None)


def test_platform_proposals_keep_their_rules(personas: Personas, twinning: Partnership) -> None:
    proposal = proposed(personas.focal_a_user, personas.city_a, personas.city_b)
    outsider = make_user("focal-c", cities=(City.objects.get(slug="bilbao-es"),))
    assert not may_maintain_record(personas.secretariat_user, proposal)
    with pytest.raises(PartnershipError):
        twinnings.end_twinning(proposal, personas.focal_a_user, end_year=None)
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED
    seen = {
        name: sorted(p.slug for p in visible_partnerships(Partnership.objects.all(), user))
        for name, user in (("anonymous", AnonymousUser()), ("outsider", outsider), ("focal_b", personas.focal_b_user))
    }
    assert seen == {
        "anonymous": [twinning.slug],
        "outsider": [twinning.slug],
        "focal_b": sorted([twinning.slug, proposal.slug]),
    }
