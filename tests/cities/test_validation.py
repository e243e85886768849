"""One validator for a city: the edit form, the API and the member import refuse the same bad values, naming the
same fields (each channel phrases the rule its own way), the admin asks the same validator, and nothing is saved."""

import csv
import json
from typing import Any

import pytest

from ccx.cities.admin import CityAdminForm
from ccx.cities.forms import CityEditForm
from ccx.cities.importers import BUNDLED_MEMBERS, member_problems, member_values
from ccx.cities.models import City, Country, CreativeField
from ccx.cities.services import editable_fields
from ccx.cities.validation import MESSAGES, city_problems
from ccx.core.validation import TEXT_CAP
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (TEXT_CAP + 1)
# (field, form data, API payload or None, import row change or None)
CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None, dict[str, str] | None]] = [
    ("about", {"about": TOO_LONG}, {"about": TOO_LONG}, {"about": TOO_LONG}),
    ("commitments", {"commitments": TOO_LONG}, {"commitments": TOO_LONG}, {"added_value": TOO_LONG}),
    ("website", {"website": "ftp://example.org"}, {"website": "ftp://example.org"}, None),
    ("designation_year", {"designation_year": "1999"}, None, {"year_designated": "1999"}),
    ("latitude", {"latitude": "95", "longitude": "10"}, None, {"latitude": "95", "longitude": "10"}),
    ("name", {"name": " "}, None, {"city": ""}),
]


def _form_errors(city: City, user: Any, change: dict[str, Any]) -> dict[str, list[str]]:
    form = CityEditForm(city=city, allowed=editable_fields(user, city))
    data = {name: "" if form.initial.get(name) is None else form.initial[name] for name in form.fields}
    data = {name: ("on" if value is True else value) for name, value in data.items() if value is not False}
    form = CityEditForm({**data, **change}, city=city, allowed=editable_fields(user, city))
    form.is_valid()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _import_row(change: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    with BUNDLED_MEMBERS.open(encoding="utf-8") as file:
        row = next(csv.DictReader(file))
    countries = {country.code: country for country in Country.objects.all()}
    fields = {field.name.lower(): field for field in CreativeField.objects.all()}
    problems: list[str] = []
    values = member_values({**row, **change}, countries, fields, problems)
    return values, problems


@pytest.mark.parametrize(("field", "form_change", "api_change", "row_change"), CASES)
def test_form_api_and_import_name_the_same_field(
    personas: Personas,
    field: str,
    form_change: dict[str, Any],
    api_change: dict[str, Any] | None,
    row_change: dict[str, str] | None,
) -> None:
    city = personas.city_a
    before = City.objects.filter(pk=city.pk).values().get()
    assert set(_form_errors(city, personas.secretariat_user, form_change)) == {field}

    if api_change is not None:
        response = personas.focal_a.patch(
            f"/api/v1/cities/{city.slug}", json.dumps(api_change), content_type="application/json"
        )
        assert (response.status_code, set(response.json()["errors"])) == (422, {field})

    if row_change is not None:
        values, problems = _import_row(row_change)
        assert set(member_problems(values)) == {field}
        assert problems == [message for messages in member_problems(values).values() for message in messages]

    assert City.objects.filter(pk=city.pk).values().get() == before  # nothing was saved


def test_the_form_and_the_validator_say_the_same(personas: Personas) -> None:
    city = personas.city_a
    errors = _form_errors(city, personas.secretariat_user, {"designation_year": "1999", "longitude": ""})
    assert errors == {
        "designation_year": [str(MESSAGES["before_network"])],
        "longitude": [str(MESSAGES["half_location"])],
    }
    assert _form_errors(city, personas.focal_a_user, {"website": "ftp://example.org"}) == {
        "website": [str(MESSAGES["not_web_address"])]
    }
    assert _form_errors(city, personas.focal_a_user, {"about": TOO_LONG}) == {
        "about": [f"About is longer than {TEXT_CAP} characters"]
    }


def test_the_validator_reads_only_the_values_given() -> None:
    assert city_problems({}) == {}
    assert city_problems({"latitude": 10.0}) == {}  # an update that moves a point along one axis
    assert set(city_problems({"about_translations": {"xx": "?"}, "unesco_url": "example.org"})) == {
        "about_translations",
        "unesco_url",
    }


def test_the_admin_asks_the_same_validator(personas: Personas) -> None:
    city = personas.city_a
    form = CityAdminForm(instance=city)
    data = {name: "" if form.initial.get(name) is None else form.initial[name] for name in form.fields}
    data = {name: value for name, value in data.items() if value is not False}
    data.update({"designation_year": "1999", "corrected_fields": "[]", "about_translations": "{}"})
    data["commitments_translations"] = "{}"
    form = CityAdminForm(data, instance=city)
    assert not form.is_valid()
    assert form.errors["designation_year"] == [str(MESSAGES["before_network"])]
