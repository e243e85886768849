from typing import Annotated, Any

from django.db import models
from ninja import Schema
from pydantic import Field

from ccx.cities.models import City
from ccx.core.validation import TEXT_CAP, length_limit

# A text in a JSON object of texts by language (a TextField's cap); a slug or a name in a list of them.
CappedText = Annotated[str, Field(max_length=TEXT_CAP)]
Slug = Annotated[str, Field(max_length=140)]
OrganisationName = Annotated[str, Field(max_length=200)]
Address = Annotated[str, Field(max_length=500)]


def one_of(values: list[str]) -> dict[str, Any]:
    """Documents the choices of a field that the record's validator checks (so that one answer names every bad
    field, in the validator's words)."""
    return {"enum": values}


def limited(model: type[models.Model], name: str, default: Any = None, **extra: Any) -> Any:
    """An input field no longer than the model field allows (TEXT_CAP for a text field): every API input's
    string field is declared with it, so an over-long value is a 422 naming the field. `...` as the default
    makes the field required."""
    return Field(default, max_length=length_limit(model, name), **extra)


class CountryOut(Schema):
    code: str
    code3: str
    name: str
    names: dict[str, str]
    region: str


class FieldOut(Schema):
    slug: str
    name: str
    colour: str
    introduced_in: int | None
    member_count: int


class CitySummary(Schema):
    slug: str
    name: str
    country_code: str | None
    country: str | None
    region: str | None
    field: str | None
    designation_year: int | None
    latitude: float | None
    longitude: float | None
    population: int | None
    url: str


class CityDetail(CitySummary):
    designation_note: str
    location_verified: bool
    geonames_id: int | None
    about: str
    commitments: str
    text_language: str
    about_translations: dict[str, str]
    commitments_translations: dict[str, str]
    website: str
    unesco_url: str | None
    country_source: str
    year_source: str
    location_source: str


class CityProfileIn(Schema):
    about: str | None = limited(City, "about")
    commitments: str | None = limited(City, "commitments")
    about_translations: dict[str, CappedText] | None = None
    commitments_translations: dict[str, CappedText] | None = None
    website: str | None = limited(City, "website")


class GoalOut(Schema):
    number: int
    short_title: str
    title: str
    language: str
    short_titles: dict[str, str]
    titles: dict[str, str]


class TargetOut(Schema):
    code: str
    goal: int
    title: str
    language: str
    titles: dict[str, str]


class IndicatorOut(Schema):
    code: str
    target: str
    goal: int
    title: str
    language: str
    titles: dict[str, str]
