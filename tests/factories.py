"""Small builders for test rows that the real data does not have."""

from ccx.cities.models import City, Country, CreativeField


def make_city(name: str, country: str = "FR", field: str = "music", year: int | None = 2019, **extra: object) -> City:
    return City.objects.create(
        slug=f"{name.lower().replace(' ', '-')}-{country.lower()}",
        name=name,
        country=Country.objects.get(code=country),
        field=CreativeField.objects.get(slug=field),
        is_member=True,
        designation_year=year,
        **extra,
    )
