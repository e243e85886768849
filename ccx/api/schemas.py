from ninja import Schema


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
    about: str | None = None
    commitments: str | None = None
    about_translations: dict[str, str] | None = None
    commitments_translations: dict[str, str] | None = None
    website: str | None = None


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
