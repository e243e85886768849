from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import Converted, pages
from ccx.api.schemas import CityDetail, CityProfileIn, CitySummary, CountryOut, FieldOut
from ccx.cities.directory import filter_members, parse_filters
from ccx.cities.models import City, Country, CreativeField
from ccx.cities.services import editable_fields, update_city
from ccx.cities.validation import TRANSLATION_FIELDS, city_problems
from ccx.core.errors import InvalidRequest
from ccx.core.validation import messages, phrased

router = Router(tags=["cities"])
# The validator's rules (cities/validation.py), phrased for an API client.
API_MESSAGES = {
    "not_web_address": "%(field)s must be an http:// or https:// address",
    "unknown_language": "%(field)s: unknown language code(s) %(codes)s",
}


class CityQuery(Schema):
    field: list[str] = Field(default_factory=list, description="Creative field slug(s), e.g. gastronomy")
    country: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 code(s), e.g. CN")
    region: list[str] = Field(default_factory=list, description="Continent code(s): AF, AS, EU, NA, SA, OC")
    year: list[str] = Field(default_factory=list, description="Year(s) of designation, or 'unknown'")
    q: str = Field("", description="Words in the name, country or profile")
    sort: str = Field("name", description="name, -year, year, country or -population")


def city_summary(city: City) -> CitySummary:
    return CitySummary(
        slug=city.slug,
        name=city.name,
        country_code=city.country.code if city.country else None,
        country=city.country.name if city.country else None,
        region=city.region or None,
        field=city.field.slug if city.field else None,
        designation_year=city.designation_year,
        latitude=city.latitude,
        longitude=city.longitude,
        population=city.population,
        url=city.get_absolute_url(),
    )


def city_detail(city: City) -> CityDetail:
    return CityDetail(
        **city_summary(city).model_dump(),
        designation_note=city.designation_note,
        location_verified=city.location_verified,
        geonames_id=city.geonames_id,
        about=city.about,
        commitments=city.commitments,
        text_language=city.text_language,
        about_translations=city.about_translations,
        commitments_translations=city.commitments_translations,
        website=city.website,
        unesco_url=city.unesco_url,
        country_source=city.country_source,
        year_source=city.year_source,
        location_source=city.location_source,
    )


@router.get("/cities", response={200: list[CitySummary], **errors(422)}, summary="Member cities, filtered")
@paginate(pages(50))
def list_cities(request: HttpRequest, query: Query[CityQuery]) -> Converted[City]:
    params = {
        "field": query.field,
        "country": query.country,
        "region": query.region,
        "year": query.year,
        "q": [query.q],
        "sort": [query.sort],
    }
    filters = parse_filters(params, strict=True)
    return Converted(filter_members(filters), city_summary)


@router.get("/cities/{slug}", response={200: CityDetail, **errors(404)}, summary="One city")
def get_city(request: HttpRequest, slug: str) -> CityDetail:
    city = get_object_or_404(City.objects.select_related("country", "field"), slug=slug)
    return city_detail(city)


@router.patch(
    "/cities/{slug}",
    auth=signed_in,
    response={200: CityDetail, **errors(403, 404, 422)},
    summary="Change a city's profile (its focal points and the secretariat)",
)
def patch_city(request: HttpRequest, slug: str, payload: CityProfileIn) -> tuple[int, object]:
    city = get_object_or_404(City.objects.select_related("country", "field"), slug=slug)
    if not editable_fields(request.user, city):
        raise PermissionDenied("You may not change this city.")
    changes = payload.model_dump(exclude_unset=True)
    for name in TRANSLATION_FIELDS:
        if changes.get(name) is None:
            changes.pop(name, None)
    if problems := messages(phrased(city_problems(changes), API_MESSAGES)):
        raise InvalidRequest.by_field(problems)
    if any(value is None for value in changes.values()):
        raise InvalidRequest("fields may be left out but not set to null")
    update_city(city, request.user, changes)
    return 200, city_detail(city)


@router.get("/countries", response=list[CountryOut], summary="All countries")
@paginate(pages(300))
def list_countries(request: HttpRequest) -> QuerySet[Country]:
    return Country.objects.order_by("name")


@router.get("/fields", response=list[FieldOut], summary="The creative fields")
@paginate(pages(20))
def list_fields(request: HttpRequest) -> QuerySet[CreativeField]:
    return CreativeField.objects.annotate(member_count=Count("cities", filter=Q(cities__is_member=True)))
