"""One validator for a practice: the form, the API and the importer refuse the same bad values, naming the
same fields (each phrases the message its own way), and the admin asks the same validator."""

from typing import Any

import pytest

from ccx.practices.exchange.checks import import_problems
from ccx.practices.exchange.jsonld_in import jsonld_to_values
from ccx.practices.exchange.jsonld_out import practice_to_jsonld
from ccx.practices.forms import BasicsForm, TransferForm
from ccx.practices.models import Practice
from ccx.practices.validation import practice_problems
from tests.conftest import Personas
from tests.practices.factories import make_practice

pytestmark = pytest.mark.django_db

LONG_SUMMARY = "word " * 151
LONG_CHINESE_SUMMARY = "城市" * 151  # 302 characters without a space: 151 words, two characters a word
# (field, form step, form data, API payload, JSON-LD change)
CASES: list[tuple[str, type, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("summary", BasicsForm, {"summary": LONG_SUMMARY}, {"summary": LONG_SUMMARY}, {"abstract": LONG_SUMMARY}),
    (
        "summary",
        BasicsForm,
        {"summary": LONG_CHINESE_SUMMARY},
        {"summary": LONG_CHINESE_SUMMARY},
        {"abstract": LONG_CHINESE_SUMMARY},
    ),
    ("title", BasicsForm, {"title": "x" * 251}, {"title": "x" * 251}, {"name": "x" * 251}),
    (
        "links",
        TransferForm,
        {"links": "ftp://old.example"},
        {"links": ["ftp://old.example"]},
        {"citation": ["ftp://old.example"]},
    ),
    (
        "contact_email",
        TransferForm,
        {"contact_email": "not-an-address"},
        {"contact_email": "not-an-address"},
        {"accountablePerson": {"name": "Someone", "email": "not-an-address"}},
    ),
]


def _form_errors(step: type, practice: Practice, personas: Personas, change: dict[str, Any]) -> set[str]:
    form = step(practice=practice, user=personas.focal_a_user)
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({name: value for name, value in form.initial.items() if isinstance(value, list)})
    data = {name: value for name, value in data.items() if value is not None}
    form = step({**data, **change}, practice=practice, user=personas.focal_a_user)
    form.is_valid()
    return set(form.errors)


@pytest.mark.parametrize(("field", "step", "form_change", "api_change", "jsonld_change"), CASES)
def test_form_api_and_importer_name_the_same_field(
    personas: Personas,
    field: str,
    step: type,
    form_change: dict[str, Any],
    api_change: dict[str, Any],
    jsonld_change: dict[str, Any],
) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    assert _form_errors(step, practice, personas, form_change) == {field}

    response = personas.focal_a.patch(f"/api/v1/practices/{practice.slug}", api_change, content_type="application/json")
    assert (response.status_code, set(response.json()["errors"])) == (422, {field})

    document = {**practice_to_jsonld(practice, include_contact=True), **jsonld_change}
    read = jsonld_to_values(document)
    assert set(import_problems(read["values"])) == {field}
    assert read["problems"]  # and the import refuses the record

    practice.refresh_from_db()
    assert practice.revisions.count() == 1  # nothing was saved


def test_the_validator_reads_only_the_values_given() -> None:
    assert practice_problems({}) == {}
    assert practice_problems({"stage": "pilot", "links": ["https://example.org"]}) == {}
    assert set(practice_problems({"stage": "legendary", "end_date": "2020-01-01", "start_date": "2021-01-01"})) == {
        "stage",
        "end_date",
    }


def test_a_summary_is_counted_in_words_in_every_script() -> None:
    assert practice_problems({"summary": "城市" * 150}) == {}
    assert practice_problems({"summary": "word " * 150}) == {}
    errors = practice_problems({"summary": "城市" * 150 + "文化"})
    assert [(e.code, e.params) for e in errors["summary"]] == [("summary_too_long", {"count": 151, "limit": 150})]


def test_a_practice_cannot_be_adapted_from_itself_in_any_channel(personas: Personas) -> None:
    practice = make_practice(personas.focal_a_user, personas.city_a)
    assert set(practice_problems({"adapted_from_id": practice.pk}, practice=practice)) == {"adapted_from"}
    form = TransferForm(
        {"adapted_from": practice.pk, "licence": practice.licence}, practice=practice, user=personas.focal_a_user
    )
    form.is_valid()
    assert "adapted_from" in form.errors
