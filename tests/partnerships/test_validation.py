"""One validator for a partnership's terms and one for a transfer: the forms, the API, the domain functions and the
twinning import refuse the same bad values naming the same fields, and nothing is saved. Invalid years or types of a
recorded twinning are a refusal of the values (422, by field), not a conflict with its state (409)."""

from pathlib import Path
from typing import Any

import pytest

from ccx.core.imports import ImportFailed
from ccx.core.validation import TEXT_CAP
from ccx.partnerships import twinnings
from ccx.partnerships.forms import ConfirmTwinningForm, CorrectTwinningForm, ProposalForm, TransferForm
from ccx.partnerships.importers import import_twinnings, twinning_problems, twinning_terms
from ccx.partnerships.models import Framework, Partnership, Transfer
from ccx.partnerships.validation import TERMS_MESSAGES, terms_problems, transfer_problems
from ccx.partnerships.workflow import InvalidTerms
from ccx.practices.models import Practice
from tests.api.test_partnerships import PROPOSAL, post
from tests.conftest import Personas
from tests.partnerships.factories import Outside, member_row, twinning_files
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db

LONG = "x" * (TEXT_CAP + 1)
# (field, form data, API payload)
DATES = {"start_date": "2027-05-01", "end_date": "2027-01-01"}
LONG_MILESTONE = "m" * 251
TERMS_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("kind", {"kind": "marriage"}, {"kind": "marriage"}),
    ("end_date", DATES, DATES),
    (
        "framework_other",
        {"framework": "FRAMEWORK", "framework_other": "Our own"},
        {"framework": "Creative Cities Forum", "framework_other": "Our own"},
    ),
    ("title", {"title": "t" * 251}, {"title": "t" * 251}),
    ("goals", {"goals": LONG}, {"goals": LONG}),
    (
        "milestones",
        {"milestones": f"2027-05-01 {LONG_MILESTONE}"},
        {"milestones": [{"due_on": "2027-05-01", "title": LONG_MILESTONE}]},
    ),
]


@pytest.mark.parametrize(("field", "form_change", "api_change"), TERMS_CASES)
def test_the_proposal_form_and_the_api_name_the_same_field(
    personas: Personas, field: str, form_change: dict[str, Any], api_change: dict[str, Any]
) -> None:
    framework = Framework.objects.create(name="Creative Cities Forum")
    form_data = {
        "proposer": f"city:{personas.city_a.pk}",
        "cities": [personas.city_b.pk],
        "title": PROPOSAL["title"],
        "kind": PROPOSAL["kind"],
        "goals": PROPOSAL["goals"],
        **{name: framework.pk if value == "FRAMEWORK" else value for name, value in form_change.items()},
    }
    form = ProposalForm(form_data, user=personas.focal_a_user)
    assert not form.is_valid()
    assert set(form.errors) == {field}

    status, body = post(personas.focal_a, "/api/v1/partnerships", {**PROPOSAL, **api_change})
    assert (status, {name.split(".")[0] for name in body["errors"]}) == (422, {field})  # milestones.0.title
    assert not Partnership.objects.exists()


def test_the_form_shows_the_validators_sentence() -> None:
    errors = terms_problems({"start_date": "2027-05-01", "end_date": "2027-01-01", "kind": "marriage"})
    assert {name: [str(e.message) for e in items] for name, items in errors.items()} == {
        "kind": [str(TERMS_MESSAGES["unknown_kind"])],
        "end_date": [str(TERMS_MESSAGES["dates_reversed"])],
    }


@pytest.fixture
def twinning(personas: Personas, tmp_path: Path) -> Partnership:
    links, nodes = twinning_files(tmp_path, [member_row(personas.city_a, "Q23800", personas.city_b, "Q42125")], [])
    import_twinnings(links, nodes)
    return Partnership.objects.get(source="wikidata-p190")


@pytest.mark.parametrize(
    ("field", "change"),
    [("start_year", {"start_year": 1850}), ("end_year", {"start_year": 2010, "end_year": 2005})],
)
def test_a_twinnings_bad_years_are_refused_by_field_in_every_channel(
    personas: Personas, twinning: Partnership, field: str, change: dict[str, int]
) -> None:
    form = CorrectTwinningForm({"kind": "twinning", **change})
    assert not form.is_valid()
    assert set(form.errors) == {field}
    if field == "start_year":
        confirm = ConfirmTwinningForm(change)
        assert (confirm.is_valid(), set(confirm.errors)) == (False, {field})

    url = f"/api/v1/partnerships/{twinning.slug}/record"
    status, body = post(personas.focal_a, url, {"action": "correct", **change})
    assert (status, set(body["errors"])) == (422, {field})

    years: dict[str, Any] = {"start_year": None, "end_year": None, **change}
    with pytest.raises(InvalidTerms) as refused:
        twinnings.correct_twinning(twinning, personas.focal_a_user, kind="twinning", description="", **years)
    assert (refused.value.status, set(refused.value.fields)) == (422, {field})
    twinning.refresh_from_db()
    assert (twinning.start_year, twinning.end_year) == (None, None)


def test_confirming_with_an_impossible_year_is_a_422_not_a_409(personas: Personas, twinning: Partnership) -> None:
    url = f"/api/v1/partnerships/{twinning.slug}/record"
    status, body = post(personas.focal_a, url, {"action": "confirm", "start_year": 1850})
    assert (status, set(body["errors"])) == (422, {"start_year"})
    assert body["problems"][0].startswith("The year it began must be between 1900 and")


def test_the_twinning_import_asks_the_terms_validator(personas: Personas, tmp_path: Path) -> None:
    long_name = "L" * 250
    assert set(twinning_problems(twinning_terms(long_name, "Ashgabat"))) == {"title"}
    assert twinning_problems(twinning_terms("Ashgabat", "Gangneung")) == {}
    town = Outside("Q9001", long_name, "TM")
    links, nodes = twinning_files(tmp_path, [member_row(personas.city_a, "Q23800", town)], [town])
    with pytest.raises(ImportFailed) as failure:
        import_twinnings(links, nodes)
    assert [problem.message for problem in failure.value.problems] == ["title: Title is longer than 250 characters"]
    assert not Partnership.objects.exists()


@pytest.fixture
def practice_a(personas: Personas) -> Practice:
    return published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Design bazaar")


@pytest.mark.parametrize(
    ("field", "change"),
    [("what_adapted", {"what_adapted": LONG}), ("results", {"results": LONG}), ("what_adapted", {"what_adapted": " "})],
)
def test_a_transfers_bad_values_are_refused_by_field_in_the_form_and_the_api(
    personas: Personas, practice_a: Practice, field: str, change: dict[str, str]
) -> None:
    data = {"to_city": personas.city_b.pk, "what_adapted": "The bazaar.", "status": "adapting", **change}
    form = TransferForm(data, user=personas.focal_b_user, practice=practice_a)
    assert not form.is_valid()
    assert set(form.errors) == {field}

    payload = {"practice": practice_a.slug, "to_city": personas.city_b.slug, "status": "adapting"}
    status, body = post(personas.focal_b, "/api/v1/transfers", {**payload, "what_adapted": "The bazaar.", **change})
    assert (status, set(body["errors"])) == (422, {field})
    assert not Transfer.objects.exists()


def test_the_transfer_validator_reads_only_the_values_given() -> None:
    assert transfer_problems({}) == {}
    assert set(transfer_problems({"status": "dreaming", "what_adapted": ""})) == {"status", "what_adapted"}
