"""The member list as open data: CSV, JSON and GeoJSON, with the same filters as the directory."""

import io
import json
from collections.abc import Iterable
from typing import Any

from ccx.cities.models import City
from ccx.core.spreadsheets import SafeDictWriter

COLUMNS = [
    "slug",
    "name",
    "country_code",
    "country",
    "region",
    "field",
    "designation_year",
    "designation_note",
    "latitude",
    "longitude",
    "location_verified",
    "geonames_id",
    "population",
    "unesco_url",
    "country_source",
    "year_source",
    "location_source",
]


def city_record(city: City) -> dict[str, Any]:
    return {
        "slug": city.slug,
        "name": city.name,
        "country_code": city.country.code if city.country else None,
        "country": city.country.name if city.country else None,
        "region": city.region or None,
        "field": city.field.slug if city.field else None,
        "designation_year": city.designation_year,
        "designation_note": city.designation_note or None,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "location_verified": city.location_verified,
        "geonames_id": city.geonames_id,
        "population": city.population,
        "unesco_url": city.unesco_url,
        "country_source": city.country_source or None,
        "year_source": city.year_source or None,
        "location_source": city.location_source or None,
    }


def as_csv(cities: Iterable[City]) -> str:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for city in cities:
        writer.writerow({key: "" if value is None else value for key, value in city_record(city).items()})
    return buffer.getvalue()


def as_json(cities: Iterable[City], attribution: str) -> str:
    items = [city_record(city) for city in cities]
    return json.dumps({"count": len(items), "attribution": attribution, "items": items}, ensure_ascii=False)


def as_geojson(cities: Iterable[City], attribution: str) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [city.longitude, city.latitude]},
            "properties": {
                **city_record(city),
                "url": city.get_absolute_url(),
                "field_label": city.field.localized_name if city.field else None,
                "country_label": city.country.localized_name if city.country else None,
            },
        }
        for city in cities
        if city.has_location
    ]
    return json.dumps(
        {"type": "FeatureCollection", "attribution": attribution, "features": features}, ensure_ascii=False
    )


ATTRIBUTION = (
    "UNESCO Creative Cities Network member list: scrape of unesco.org (Apache-2.0) merged with UNESCO "
    "announcements; profile texts © UNESCO; coordinates and populations from GeoNames (CC BY 4.0)."
)
