import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ccx.cities.models import City, CreativeField
from ccx.core.imports import ImportFailed
from ccx.practices.exchange.csv_out import practices_to_csv
from ccx.practices.exchange.jsonld_in import jsonld_to_values
from ccx.practices.exchange.jsonld_out import library_to_jsonld, practice_to_jsonld
from ccx.practices.exchange.terms import CSV_COLUMNS
from ccx.practices.importers import import_practices
from ccx.practices.models import Practice, Technology, Theme
from ccx.practices.revisions import apply_snapshot, record_revision, snapshot
from ccx.sdg.models import Goal, Target

pytestmark = pytest.mark.django_db


def make_practice(slug: str = "ghent-sound-lab", **changes: Any) -> Practice:
    """A practice that uses every part of the record."""
    ghent = City.objects.get(slug="ghent-be")
    original = Practice.objects.create(slug=f"{slug}-original", title="The original", status="published")
    practice = Practice(slug=slug, status="published", published_at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC))
    values: dict[str, Any] = {
        "title": "Ghent sound lab",
        "tagline": "Music schools open their rooms to neighbours",
        "summary": "Music schools lend their rooms and instruments to people of the neighbourhood.",
        "description": "## How\n\nEvery Saturday, **three** schools open.\n\n- rooms\n- instruments",
        "original_language": "en",
        "lead_city_id": ghent.pk,
        "country_id": ghent.country_id,
        "place_name": "Old harbour",
        "latitude": 51.0612,
        "longitude": 3.7341,
        "crisis_response": "COVID-19",
        "start_date": "2019-03-01",
        "end_date": "2021-06-30",
        "stage": "scaled",
        "results": "2,000 people a year.",
        "obstacles": "Insurance.",
        "transferability": "Any city with music schools.",
        "budget_band": "100k_1m",
        "staff_needed": "Two coordinators",
        "skills_needed": "Teaching",
        "partners_needed": "Schools",
        "resources_needed": "Rooms",
        "lessons": "Start small.",
        "links": ["https://example.org/sound-lab", "https://example.org/report.pdf"],
        "video_links": ["https://www.youtube.com/watch?v=abc"],
        "licence": "CC-BY-SA-4.0",
        "contact_name": "An Peeters",
        "contact_email": "an.peeters@example.org",
        "source_name": "",
        "source_id": "",
        "source_url": "",
        "attribution": "City of Ghent",
        "adapted_from_id": original.pk,
        "partner_cities": sorted(
            City.objects.filter(slug__in=["kortrijk-be", "namur-be"]).values_list("pk", flat=True)
        ),
        "fields": [CreativeField.objects.get(slug="music").pk],
        "themes": sorted(Theme.objects.filter(slug__in=["culture", "inclusion"]).values_list("pk", flat=True)),
        "technologies": [Technology.objects.get(slug="mobile-apps").pk],
        "sdg_goals": sorted(Goal.objects.filter(number__in=[4, 11]).values_list("pk", flat=True)),
        "sdg_targets": sorted(Target.objects.filter(code__in=["11.4", "4.7"]).values_list("pk", flat=True)),
        "actors": [
            {"name": "City of Ghent", "kind": "city_government", "role": "lead"},
            {"name": "Music Academy", "kind": "civil_society", "role": "rooms and teachers"},
        ],
        "indicators": [
            {
                "name": "Visitors",
                "value": "12500",
                "unit": "people",
                "baseline": "8000.5",
                "year": 2021,
                "source": "count",
            },
            {"name": "Share of newcomers", "value": "0.1234", "unit": "", "baseline": None, "year": None, "source": ""},
        ],
        "translations": [
            {
                "language": "fr",
                "title": "Labo du son",
                "tagline": "",
                "summary": "Des écoles ouvrent.",
                "description": "",
            },
            {"language": "zh-hans", "title": "根特声音实验室", "tagline": "", "summary": "", "description": "音乐"},
        ],
        **changes,
    }
    apply_snapshot(practice, values)
    record_revision(practice, None, "created")
    return practice


def write(tmp_path: Path, document: dict[str, Any], name: str = "practices.jsonld") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_a_practice_is_exported_as_schema_org() -> None:
    practice = make_practice()
    document = practice_to_jsonld(practice)

    assert document["@context"] == {"@vocab": "https://schema.org/", "ccx": "https://creative-cities-exchange.org/ns#"}
    assert (document["@type"], document["@id"], document["identifier"]) == (
        "CreativeWork",
        "http://127.0.0.1:8000/practices/ghent-sound-lab/",
        "ghent-sound-lab",
    )
    assert (document["name"], document["alternativeHeadline"], document["inLanguage"]) == (
        "Ghent sound lab",
        "Music schools open their rooms to neighbours",
        "en",
    )
    assert document["locationCreated"] == {
        "@type": "Place",
        "name": "Old harbour",
        "geo": {"@type": "GeoCoordinates", "latitude": 51.0612, "longitude": 3.7341},
        "address": {"@type": "PostalAddress", "addressCountry": "BE"},
        "containedInPlace": {
            "@type": "City",
            "@id": "http://127.0.0.1:8000/cities/ghent-be/",
            "identifier": "ghent-be",
            "name": "Ghent",
            "geo": {"@type": "GeoCoordinates", "latitude": 51.05, "longitude": 3.71667},
            "address": {"@type": "PostalAddress", "addressCountry": "BE"},
        },
    }
    assert [place["identifier"] for place in document["contentLocation"]] == ["ghent-be", "kortrijk-be", "namur-be"]
    assert (document["ccx:leadCity"], document["ccx:partnerCities"]) == ("ghent-be", ["kortrijk-be", "namur-be"])
    assert [term["termCode"] for term in document["about"]] == ["4", "11", "4.7", "11.4"]
    assert document["about"][1] == {
        "@type": "DefinedTerm",
        "termCode": "11",
        "name": "Sustainable cities and communities",
        "inDefinedTermSet": "https://unstats.un.org/sdgs/metadata/",
    }
    assert [(term["termCode"], term["inDefinedTermSet"].rsplit("#")[1]) for term in document["keywords"]] == [
        ("culture", "themes"),
        ("inclusion", "themes"),
        ("mobile-apps", "technologies"),
    ]
    assert (document["temporalCoverage"], document["creativeWorkStatus"], document["license"]) == (
        "2019-03-01/2021-06-30",
        "scaled",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    )
    assert document["isBasedOn"]["identifier"] == "ghent-sound-lab-original"
    assert document["ccx:actors"][1] == {
        "@type": "Organization",
        "name": "Music Academy",
        "ccx:actorType": "civil_society",
        "ccx:role": "rooms and teachers",
    }
    assert document["ccx:indicators"] == [
        {
            "@type": "PropertyValue",
            "name": "Visitors",
            "value": 12500,
            "unitText": "people",
            "ccx:baseline": 8000.5,
            "ccx:year": 2021,
            "ccx:source": "count",
        },
        {"@type": "PropertyValue", "name": "Share of newcomers", "value": 0.1234},
    ]
    assert [translation["inLanguage"] for translation in document["workTranslation"]] == ["fr", "zh-hans"]
    assert document["workTranslation"][0] == {
        "@type": "CreativeWork",
        "inLanguage": "fr",
        "name": "Labo du son",
        "abstract": "Des écoles ouvrent.",
    }
    assert (document["ccx:creativeFields"], document["ccx:crisisResponse"], document["ccx:budgetBand"]) == (
        ["music"],
        "COVID-19",
        "100k_1m",
    )
    assert document["citation"] == ["https://example.org/sound-lab", "https://example.org/report.pdf"]
    assert document["video"] == [{"@type": "VideoObject", "url": "https://www.youtube.com/watch?v=abc"}]
    assert document["datePublished"] == "2024-05-06T07:08:09+00:00"
    # The contact person is for signed-in members only.
    assert "accountablePerson" not in document
    assert "an.peeters@example.org" not in json.dumps(library_to_jsonld(Practice.objects.filter(pk=practice.pk)))


def test_a_round_trip_through_json_ld_is_lossless(tmp_path: Path) -> None:
    practice = make_practice()
    before, start_year, published_at = snapshot(practice), practice.start_year, practice.published_at
    document = practice_to_jsonld(practice, include_contact=True)
    assert jsonld_to_values(document)["values"] == before
    practice.delete()

    report = import_practices(write(tmp_path, document), "jsonld")

    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    again = Practice.objects.get(slug="ghent-sound-lab")
    assert snapshot(again) == before
    assert (again.start_year, again.published_at, again.status) == (start_year, published_at, "published")
    assert again.revisions.get().comment == "imported from practices.jsonld"


def test_a_library_round_trip_and_a_second_import_changes_nothing(tmp_path: Path) -> None:
    first = make_practice("first-lab")
    second = make_practice(
        "second-lab",
        title="Second lab",
        lead_city_id=None,
        country_id=None,
        place_name="",
        latitude=None,
        longitude=None,
        start_date=None,
        end_date=None,
        source_name="Another library",
        source_id="case-42",
        source_url="https://example.org/case-42",
        translations=[],
        indicators=[],
    )
    second.start_year = 2015
    second.save()
    practices = Practice.objects.filter(pk__in=[first.pk, second.pk]).order_by("slug")
    snapshots = {practice.slug: snapshot(practice) for practice in practices}
    path = write(tmp_path, library_to_jsonld(practices, include_contact=True))
    Practice.objects.filter(pk__in=[first.pk, second.pk]).delete()

    report = import_practices(path, "jsonld")

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert {slug: snapshot(Practice.objects.get(slug=slug)) for slug in snapshots} == snapshots
    assert Practice.objects.get(slug="second-lab").start_year == 2015
    again = import_practices(path, "jsonld")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    document = json.loads(path.read_text(encoding="utf-8"))
    document["@graph"][1]["name"] = "Second lab, renamed"
    report = import_practices(write(tmp_path, document, "changed.jsonld"), "jsonld")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    renamed = Practice.objects.get(source_name="Another library", source_id="case-42")
    assert (renamed.slug, renamed.title, renamed.revisions.count()) == ("second-lab", "Second lab, renamed", 2)


def test_importing_a_public_export_keeps_the_contact_person(tmp_path: Path) -> None:
    practice = make_practice()
    document = practice_to_jsonld(practice)
    document["name"] = "Ghent sound lab (2024)"
    import_practices(write(tmp_path, document), "jsonld")
    practice.refresh_from_db()
    assert (practice.title, practice.contact_email) == ("Ghent sound lab (2024)", "an.peeters@example.org")


def test_an_unknown_city_names_its_record_and_nothing_is_written(tmp_path: Path) -> None:
    practice = make_practice()
    good = practice_to_jsonld(practice, context=False)
    good["name"] = "Must not be written"
    bad = {**good, "identifier": "elsewhere", "ccx:leadCity": "atlantis-xx", "ccx:partnerCities": ["namur-be"]}
    before, count = snapshot(practice), Practice.objects.count()
    path = write(tmp_path, {"@context": {}, "@graph": [good, bad]})

    with pytest.raises(ImportFailed) as failure:
        import_practices(path, "jsonld")

    assert [str(problem) for problem in failure.value.problems] == [
        f"{path}, line 2: record 2: unknown lead city 'atlantis-xx'"
    ]
    assert Practice.objects.count() == count
    practice.refresh_from_db()
    assert snapshot(practice) == before


THEMES = "https://creative-cities-exchange.org/ns#themes"
ACTOR_TYPES = (
    "city_government, national_government, private_sector, civil_society, university, international_organisation"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": ""}, "the practice has no title (name)"),
        (
            {"temporalCoverage": "2019-02-30/.."},
            "temporalCoverage '2019-02-30/..' has a bad date (expected YYYY-MM-DD or YYYY)",
        ),
        (
            {"temporalCoverage": "2021-01-01/2019-01-01"},
            "temporalCoverage '2021-01-01/2019-01-01' ends before it starts",
        ),
        ({"license": "https://example.org/my-licence"}, "unknown licence 'https://example.org/my-licence'"),
        ({"license": None}, "no licence: say under which licence the practice may be shared"),
        (
            {"creativeWorkStatus": "dreaming"},
            "unknown stage 'dreaming' (expected one of idea, pilot, implemented, scaled, discontinued)",
        ),
        ({"keywords": [{"termCode": "knitting", "inDefinedTermSet": THEMES}]}, "unknown theme 'knitting'"),
        ({"about": [{"termCode": "18"}]}, "unknown SDG goal '18'"),
        ({"about": [{"termCode": "11.z"}]}, "unknown SDG target '11.z'"),
        ({"ccx:creativeFields": ["juggling"]}, "unknown creative field 'juggling'"),
        ({"citation": ["javascript:alert(1)"]}, "the link 'javascript:alert(1)' is not a web address"),
        (
            {"ccx:actors": [{"name": "Someone", "ccx:actorType": "wizard"}]},
            f"unknown actor type 'wizard' (expected one of {ACTOR_TYPES})",
        ),
        ({"ccx:indicators": [{"name": "Trees", "value": "many"}]}, "indicator 'Trees' value 'many' is not a number"),
        ({"locationCreated": {"address": {"addressCountry": "XX"}}}, "unknown country code 'XX'"),
        ({"isBasedOn": {"identifier": "nowhere"}}, "isBasedOn names an unknown practice 'nowhere'"),
        ({"accountablePerson": {"email": "not-an-address"}}, "'not-an-address' is not an e-mail address"),
        ({"name": "x" * 251}, "title is longer than 250 characters"),
    ],
)
def test_each_kind_of_bad_json_ld_is_reported(change: dict[str, Any], expected: str) -> None:
    document = {**practice_to_jsonld(make_practice()), **change}
    assert jsonld_to_values(document)["problems"] == [expected]


def test_a_file_that_is_not_json_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonld"
    path.write_text('{\n  "@graph": [\n    {"name": "x",}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_practices(path, "jsonld")
    assert [str(problem) for problem in failure.value.problems] == [
        f"{path}, line 3: not valid JSON: Expecting property name enclosed in double quotes"
    ]


def test_the_csv_export_has_one_row_per_practice(django_assert_max_num_queries: Any) -> None:
    make_practice("first-lab")
    make_practice("second-lab", title="Second lab", actors=[], partner_cities=[])
    practices = Practice.objects.filter(slug__in=["first-lab", "second-lab"]).order_by("slug")

    with django_assert_max_num_queries(14):
        text = practices_to_csv(practices)

    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.split("\n")[0] == ",".join(CSV_COLUMNS)
    assert len(rows) == 2
    assert len(text.splitlines()) == 3  # the header and one line per practice
    first = rows[0]
    assert (first["slug"], first["lead_city"], first["partner_cities"], first["country_code"]) == (
        "first-lab",
        "ghent-be",
        "kortrijk-be; namur-be",
        "BE",
    )
    assert (first["themes"], first["sdg_goals"], first["sdg_targets"], first["fields"]) == (
        "culture; inclusion",
        "4; 11",
        "4.7; 11.4",
        "music",
    )
    assert first["actors"] == "City of Ghent (city_government); Music Academy (civil_society)"
    assert (first["start_date"], first["start_year"], first["licence"], first["url"]) == (
        "2019-03-01",
        "2019",
        "CC-BY-SA-4.0",
        "http://127.0.0.1:8000/practices/first-lab/",
    )
    assert rows[1]["partner_cities"] == rows[1]["actors"] == ""
    assert "an.peeters@example.org" not in text


def test_the_json_ld_export_of_a_library_takes_few_queries(django_assert_max_num_queries: Any) -> None:
    for number in range(3):
        make_practice(f"lab-{number}")
    with django_assert_max_num_queries(14):
        document = library_to_jsonld(Practice.objects.filter(slug__in=["lab-0", "lab-1", "lab-2"]))
    assert sorted(node["identifier"] for node in document["@graph"]) == ["lab-0", "lab-1", "lab-2"]
    assert "@context" not in document["@graph"][0]


def test_the_documented_example_imports_without_problems() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    example = text.split("## Example", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    result = jsonld_to_values(json.loads(example))
    assert result["problems"] == []
    assert result["values"]["lead_city_id"] == City.objects.get(slug="dundee-gb").pk
    assert result["values"]["indicators"] == [
        {"name": "Visitors", "value": "12500", "unit": "people", "baseline": None, "year": 2023, "source": ""}
    ]
