import gzip
import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ccx.accounts.models import User
from ccx.cities.models import City
from ccx.core.imports import ImportFailed
from ccx.core.models import ImportRun
from ccx.core.words import word_count
from ccx.practices.importers import BUNDLED_REINHERIT, BUNDLED_UNDP, import_practices
from ccx.practices.importers.places import Places, locate_text
from ccx.practices.importers.reinherit import REINHERIT_SOURCE
from ccx.practices.importers.text import clean_text, summarize
from ccx.practices.importers.undp import UNDP_SOURCE
from ccx.practices.importers.writing import current_snapshots
from ccx.practices.models import Practice, Revision
from ccx.practices.revisions import snapshot
from ccx.practices.services import update_practice
from ccx.practices.validation import practice_problems

pytestmark = pytest.mark.django_db

KUTAISI = "100__renewable_energy_resource_transition_in_kutaisi_by_2050"
DHAKA = "garbageman___a_waste_management_solution_for_dhaka"
SINGAPORE = "one_million_trees_movement__urban_tree_planting_program_"
PRESERVAMOS = "_preservamos__wepreserve___conoce__mapea_y_protege_tu_r_o_o_lago"
LEARNING_PLAN = "1_______exploratory_discussions_and_subsequent_field_survey_covering_more_t_"
ARGONAUTICA = "2023-11-24-cultural-route-based-on-intangible-heritage-mythology-poetry-and-visual-arts-of-argonautica"
DUNDEE = "2024-02-26-dundee-city-of-design-achievements-as-a-member-of-the-creative-cities-network-of-unesco"
RIJEKA = "2024-02-03-viaindustria-routes-of-industrial-heritage-in-rijeka-croatia"
ONLINE = "2024-02-12-cultural-heritage-awareness-webinars"


@cache
def bundled(path: Path) -> dict[str, dict[str, Any]]:
    """The records of a bundled file by id (read once per test run)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle.read().split("\n") if line.strip()]
    return {record["id"]: record for record in records}


def records(path: Path, *ids: str) -> list[dict[str, Any]]:
    return [json.loads(json.dumps(bundled(path)[record_id])) for record_id in ids]  # deep copies


def write_lines(tmp_path: Path, lines: list[str], name: str = "cases.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_records(tmp_path: Path, items: list[dict[str, Any]], name: str = "cases.jsonl") -> Path:
    return write_lines(tmp_path, [json.dumps(item, ensure_ascii=False) for item in items], name)


def state() -> list[tuple[object, ...]]:
    """Every practice with its snapshot and revision count, to show that a failed import wrote nothing."""
    return [
        (practice.pk, practice.slug, json.dumps(snapshot(practice), sort_keys=True), practice.revisions.count())
        for practice in Practice.objects.order_by("pk")
    ]


def undp_file(tmp_path: Path) -> Path:
    return write_records(tmp_path, records(BUNDLED_UNDP, KUTAISI, LEARNING_PLAN, DHAKA, SINGAPORE, PRESERVAMOS))


def test_the_bundled_files_import_completely_and_a_second_import_changes_nothing() -> None:
    undp = import_practices(BUNDLED_UNDP, "undp")
    reinherit = import_practices(BUNDLED_REINHERIT, "reinherit")

    assert (undp.created, undp.updated, undp.unchanged) == (1683, 0, 0)
    assert undp.notes == [
        "skipped 565 record(s) of type learningplan",
        "places: 17 at a member city, 46 at a named town, 1618 in a country only, 2 with no known country",
    ]
    from_undp = Practice.objects.filter(source_name=UNDP_SOURCE)
    assert from_undp.filter(stage="implemented").count() == 1526
    assert from_undp.filter(stage="pilot").count() == 157
    assert (reinherit.created, reinherit.updated, reinherit.unchanged) == (65, 0, 0)
    assert (
        reinherit.notes[0] == "places: 7 at a member city, 49 at a named place, 6 in a country only, 3 with no location"
    )
    assert Practice.objects.filter(source_name=REINHERIT_SOURCE).count() == 65
    assert Practice.objects.published().count() == 1683 + 65
    assert Revision.objects.count() == 1683 + 65
    assert max(len(practice.summary.split()) for practice in Practice.objects.all()) == 150
    # The revisions written in bulk hold exactly what revisions.snapshot() gives.
    for practice in Practice.objects.order_by("?")[:25]:
        assert practice.revisions.get().snapshot == snapshot(practice)

    again = import_practices(BUNDLED_UNDP, "undp")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1683)
    again = import_practices(BUNDLED_REINHERIT, "reinherit")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 65)
    assert Revision.objects.count() == 1683 + 65


def test_a_undp_solution_is_mapped_field_by_field(tmp_path: Path) -> None:
    report = import_practices(undp_file(tmp_path), "undp")

    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.notes[0] == "skipped 1 record(s) of type learningplan"
    practice = Practice.objects.get(source_name=UNDP_SOURCE, source_id=KUTAISI)
    assert practice.title == "100% Renewable Energy Resource Transition in Kutaisi by 2050"
    assert practice.slug == "100-renewable-energy-resource-transition-in-kutaisi-by-2050"
    assert practice.summary == (
        "The project aims to transition Kutaisi City entirely to renewable energy by 2050. This comprehensive "
        "project includes strategies such as enhancing solar and wind energy capacities, improving energy "
        "efficiency in buildings, and integrating energy education in schools. It emphasizes community involvement."
    )
    # The form's answers go where a reader looks for them, under the site's headings, never the form's.
    # The summary holds all of the description's first answer, so the description does not repeat it.
    assert practice.description == (
        "### Timescale\n\nmedium-term (2-4 years)\n\n### Notes\n\nThe project is led by the "
        'Research-Intellectual Club "Dialogue of Generations" with support from local government and civic groups.'
    )
    assert practice.results == (
        "Promotes local energy independence, reduces carbon emissions, educates the community on sustainable practices."
    )
    assert (practice.obstacles, practice.lessons, practice.links) == ("", "", [])
    # Kutaisi is a member city (Literature): its practice counts in that field; the sources name no field.
    assert [field.slug for field in practice.fields.all()] == [practice.lead_city.field.slug]  # type: ignore[union-attr]
    assert (practice.stage, practice.start_year, practice.start_date, practice.original_language) == (
        "implemented",
        2024,
        None,
        "en",
    )
    assert practice.published_at == datetime(2024, 1, 1, tzinfo=UTC)
    assert (practice.status, practice.owner) == ("published", None)
    assert sorted(practice.sdg_goals.values_list("number", flat=True)) == [7, 11, 13]
    # Themes also come from the form's categories (type of solution, affected sector, type of measure).
    themes = ["education", "energy", "environment", "governance"]
    assert sorted(practice.themes.values_list("slug", flat=True)) == themes
    assert list(practice.technologies.all()) == []
    assert (practice.licence, practice.source_url, practice.attribution, practice.crisis_response) == (
        "MIT",
        "https://sdg-innovation-commons.org",
        "© 2024 UNDP Accelerator Labs, SDG Innovation Commons (MIT licence)",
        "",
    )
    # Its coordinates are the centre of Georgia, but the title names the member city of Kutaisi.
    assert practice.lead_city is not None
    assert practice.country is not None
    assert (practice.lead_city.slug, practice.country.code) == ("kutaisi-ge", "GE")
    assert (practice.place_name, practice.latitude, practice.longitude) == ("", None, None)
    revision = practice.revisions.get()
    assert (revision.number, revision.author, revision.comment) == (1, None, "imported from cases.jsonl")
    assert revision.snapshot == snapshot(practice)


def test_places_member_city_nearby_town_and_experiment(tmp_path: Path) -> None:
    import_practices(undp_file(tmp_path), "undp")

    near_member = Practice.objects.get(source_id=SINGAPORE)
    assert near_member.lead_city == City.objects.get(slug="singapore-sg")
    assert (near_member.latitude, near_member.longitude) == (None, None)

    dhaka = Practice.objects.get(source_id=DHAKA)
    assert dhaka.lead_city is None
    assert dhaka.country is not None
    assert (dhaka.country.code, dhaka.place_name) == ("BD", "Dhaka")
    assert (dhaka.latitude, dhaka.longitude) == (23.845677724414227, 90.24199983947693)
    assert [city.slug for city in City.objects.filter(name="Dhaka")] == []  # no city rows for non-members

    experiment = Practice.objects.get(source_id=PRESERVAMOS)
    assert (experiment.stage, experiment.original_language, experiment.start_year) == ("pilot", "es", 2022)
    assert experiment.summary.startswith("La hipótesis es que al promover la colaboración entre los formuladores")
    assert len(experiment.summary.split()) <= 150
    assert experiment.country is not None
    assert (experiment.country.code, experiment.place_name, experiment.lead_city) == ("AR", "", None)
    assert sorted(experiment.themes.values_list("slug", flat=True)) == ["environment", "governance", "water"]
    assert list(experiment.technologies.values_list("slug", flat=True)) == ["mobile-apps"]
    assert sorted(experiment.sdg_goals.values_list("number", flat=True)) == [6, 11, 13, 16, 17]
    assert "## Design" not in experiment.description
    assert "**Explain the design" not in experiment.description


def test_reimporting_changes_nothing_and_a_changed_record_is_updated_with_a_revision(tmp_path: Path) -> None:
    path = undp_file(tmp_path)
    import_practices(path, "undp")
    before = state()

    again = import_practices(path, "undp")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert state() == before

    changed = records(BUNDLED_UNDP, KUTAISI, DHAKA, SINGAPORE, PRESERVAMOS)
    changed[0]["title"] = "Kutaisi: 100% renewable energy by 2050"
    changed[0]["sdgs"].append("4. Quality education")
    changed[1]["year"] = "2021"
    report = import_practices(write_records(tmp_path, changed, "changed.jsonl"), "undp")

    assert (report.created, report.updated, report.unchanged) == (0, 2, 2)
    practice = Practice.objects.get(source_id=KUTAISI)
    assert practice.title == "Kutaisi: 100% renewable energy by 2050"
    assert practice.slug == "100-renewable-energy-resource-transition-in-kutaisi-by-2050"  # addresses stay
    assert sorted(practice.sdg_goals.values_list("number", flat=True)) == [4, 7, 11, 13]
    latest = practice.revisions.order_by("-number").first()
    assert latest is not None
    assert (latest.number, latest.comment, latest.changed_fields) == (
        2,
        "imported from changed.jsonl",
        ["sdg_goals", "title"],
    )
    assert latest.snapshot == snapshot(practice)
    # A change of year alone is not part of the snapshot: the practice changes, no revision is recorded.
    assert Practice.objects.get(source_id=DHAKA).start_year == 2021
    assert Practice.objects.get(source_id=DHAKA).revisions.count() == 1


def test_a_practice_edited_on_the_site_keeps_its_edits_on_reimport(tmp_path: Path) -> None:
    path = undp_file(tmp_path)
    import_practices(path, "undp")
    practice = Practice.objects.get(source_id=KUTAISI)
    editor = User.objects.create_user("editor", "editor@example.org", "x", is_staff=True)
    update_practice(practice, editor, {"tagline": "Corrected by the secretariat"})

    changed = records(BUNDLED_UNDP, KUTAISI, DHAKA, SINGAPORE, PRESERVAMOS)
    changed[0]["title"] = "A new title at the source"
    report = import_practices(write_records(tmp_path, changed, "changed.jsonl"), "undp")

    assert report.notes[-1] == "kept 1 practice(s) as edited on the site"
    practice.refresh_from_db()
    assert (practice.title, practice.tagline) == (
        "100% Renewable Energy Resource Transition in Kutaisi by 2050",
        "Corrected by the secretariat",
    )


def test_a_bad_json_line_and_a_record_without_title_are_reported_and_nothing_is_written(tmp_path: Path) -> None:
    import_practices(undp_file(tmp_path), "undp")
    before, runs = state(), ImportRun.objects.count()
    kutaisi, dhaka, singapore = records(BUNDLED_UNDP, KUTAISI, DHAKA, SINGAPORE)
    kutaisi["title"] = "A new title that must not be written"
    del dhaka["title"]
    path = write_lines(
        tmp_path,
        [json.dumps(kutaisi), '{"id": "broken", "title": "Broken', json.dumps(dhaka), json.dumps(singapore)],
        "bad.jsonl",
    )

    with pytest.raises(ImportFailed) as failure:
        import_practices(path, "undp")

    assert [str(problem) for problem in failure.value.problems] == [
        f"{path}, line 2: not valid JSON: Unterminated string starting at (column 27)",
        f"{path}, line 3: the record has no title",
    ]
    assert state() == before
    assert ImportRun.objects.count() == runs


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"year": "20x4"}, "year '20x4' is not a year"),
        ({"sdgs": ["18. Happiness"]}, "unknown SDG '18. Happiness'"),
        ({"type": "idea"}, "unknown type 'idea' (expected solution, experiment or learningplan)"),
        ({"latlng": [[95, 10]]}, "latlng [95, 10] is not a [latitude, longitude] pair"),
        ({"countries": "Georgia"}, "countries must be a list of texts"),
        ({"sections": [{"question": "Q", "answer": 3}]}, "each section must have a question and an answer"),
    ],
)
def test_each_kind_of_bad_undp_record_is_reported(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    record = {**records(BUNDLED_UNDP, KUTAISI)[0], **change}
    with pytest.raises(ImportFailed) as failure:
        import_practices(write_records(tmp_path, [record]), "undp")
    assert [(problem.line, problem.message) for problem in failure.value.problems] == [(1, expected)]
    assert Practice.objects.filter(source_id=KUTAISI).count() == 0


def test_the_same_record_twice_is_refused(tmp_path: Path) -> None:
    path = write_records(tmp_path, records(BUNDLED_UNDP, KUTAISI, DHAKA, KUTAISI))
    with pytest.raises(ImportFailed) as failure:
        import_practices(path, "undp")
    assert [str(problem) for problem in failure.value.problems] == [f"{path}, line 3: same record as line 1"]


def test_a_missing_or_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_practices(tmp_path / "nope.jsonl", "undp")
    assert failure.value.problems[0].message == "cannot open the file: No such file or directory"
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ImportFailed) as failure:
        import_practices(broken, "undp")
    assert failure.value.problems[0].message.startswith("cannot read the file:")


def test_the_command_imports_and_exits_non_zero_on_a_bad_file(tmp_path: Path) -> None:
    call_command("import-practices", str(undp_file(tmp_path)), format="undp", no_progress=True, stdout=_Sink())
    assert Practice.objects.filter(source_name=UNDP_SOURCE).count() == 4
    before = state()
    path = write_lines(tmp_path, ["{not json"], "bad.jsonl")
    with pytest.raises(CommandError, match=r"1 problem\(s\) found; nothing was imported and the database is unchanged"):
        call_command("import-practices", str(path), format="undp", no_progress=True, stderr=_Sink())
    assert state() == before


def test_reinherit_practices_are_mapped(tmp_path: Path) -> None:
    path = write_records(tmp_path, records(BUNDLED_REINHERIT, ARGONAUTICA, DUNDEE, RIJEKA, ONLINE))
    report = import_practices(path, "reinherit")

    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.notes == [
        "places: 1 at a member city, 1 at a named place, 1 in a country only, 1 with no location",
        f"{ARGONAUTICA}: placed in Greece; the record also names Georgia, Romania, Bulgaria, Serbia, Croatia, "
        "Slovenia, Italy, France",
    ]
    route = Practice.objects.get(source_name=REINHERIT_SOURCE, source_id=ARGONAUTICA)
    assert route.title == (
        "Cultural Route development based on Intangible Heritage: Mythology, Poetry, Performing and Visual Arts "
        "of 'Argonautica'"
    )
    assert route.summary.startswith("A European Cultural Route of the Argonautica, based on intangible heritage")
    assert route.description.startswith(
        "Cultural Routes (CRs) of Council of Europe (CoE) are pioneers in initiatives concerning European "
        "cultural integration and European identity. They involve Cultural Heritage as a strong link of "
        "European nations, linking Culture with Tourism.\n\nCR is a route"
    )
    assert "youtube" not in route.description
    assert "\\\n" not in route.description
    assert route.video_links == ["https://www.youtube.com/watch?v=EUwkKIbNDyo"]
    assert route.links == ["https://argonautica-network.eu", "https://www.argonautica-network.eu"]
    assert route.source_url == "https://argonautica-network.eu"
    assert route.obstacles.startswith("There are several alternative versions of the return journey")
    assert route.results.startswith("The ‘Return of the Argonauts’ Candidate Cultural Route has been presented")
    assert route.resources_needed.startswith("Human resources to prepare the submission")
    assert route.transferability.startswith("The mission of Jason and the Argonauts")
    assert (route.start_date, route.start_year, route.stage, route.licence) == (
        date(2019, 1, 1),
        2019,
        "implemented",
        "CC-BY-2.0",
    )
    assert route.attribution == "ReInHerit Digital Hub good practice, submitted by ECTN; CC BY 2.0"
    assert route.published_at == datetime(2023, 11, 1, tzinfo=UTC)
    assert sorted(route.themes.values_list("slug", flat=True)) == ["culture", "heritage", "tourism"]
    assert list(route.actors.values_list("name", "kind", "role")) == [
        ("Argonautica Network", "civil_society", "lead organisation")
    ]
    assert route.country is not None
    assert (route.country.code, route.lead_city, route.place_name, route.latitude) == ("GR", None, "", None)

    dundee = Practice.objects.get(source_id=DUNDEE)
    assert dundee.lead_city == City.objects.get(slug="dundee-gb")
    assert list(dundee.actors.values_list("kind", flat=True)) == ["city_government"]

    rijeka = Practice.objects.get(source_id=RIJEKA)
    assert rijeka.country is not None
    assert (rijeka.lead_city, rijeka.country.code, rijeka.place_name) == (None, "HR", "Rijeka")
    assert (rijeka.latitude, rijeka.longitude) == (45.32673, 14.44241)
    assert list(rijeka.actors.values_list("kind", flat=True)) == ["university"]
    assert sorted(rijeka.technologies.values_list("slug", flat=True)) == [
        "artificial-intelligence",
        "big-data",
        "mobile-apps",
        "virtual-reality",
    ]

    online = Practice.objects.get(source_id=ONLINE)
    assert (online.lead_city, online.country, online.place_name, online.latitude) == (None, None, "", None)
    assert online.start_date == date(2021, 1, 1)


def test_a_reinherit_record_with_a_bad_date_or_licence_is_refused(tmp_path: Path) -> None:
    route, dundee = records(BUNDLED_REINHERIT, ARGONAUTICA, DUNDEE)
    route["date"] = "2023-13-01"
    dundee["license"] = "CC BY-NC 4.0"
    with pytest.raises(ImportFailed) as failure:
        import_practices(write_records(tmp_path, [route, dundee]), "reinherit")
    assert [(problem.line, problem.message) for problem in failure.value.problems] == [
        (1, "date '2023-13-01' is not a date (YYYY-MM-DD)"),
        (2, "unknown licence 'CC BY-NC 4.0'"),
    ]
    assert Practice.objects.filter(source_name=REINHERIT_SOURCE).count() == 0


def test_bulk_snapshots_equal_revision_snapshots(tmp_path: Path) -> None:
    import_practices(write_records(tmp_path, records(BUNDLED_REINHERIT, ARGONAUTICA, DUNDEE)), "reinherit")
    practices = list(Practice.objects.all())
    assert current_snapshots(practices) == {practice.pk: snapshot(practice) for practice in practices}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nicosia, Cyprus", (None, "CY", "Nicosia")),
        ("Dublin, Republic of Ireland", ("dublin-ie", "IE", "")),
        ("Florence IT", (None, "IT", "Florence")),
        ("Online - Florence ITALY", (None, "IT", "Florence")),
        ("Granada province", (None, "ES", "Granada province")),
        ("Barcelona", ("barcelona-es", "ES", "")),
        ("City of Tuzla, Bosnia and Herzegovina", (None, "BA", "Tuzla")),
        ("Living Lab Rotterdam Metropolitan Area, The Netherlands", (None, "NL", "Rotterdam")),
        ("Styria, Austria", (None, "AT", "Styria")),
        ("Online", (None, None, "")),
    ],
)
def test_free_text_locations(text: str, expected: tuple[str | None, str | None, str]) -> None:
    location, _ = locate_text(Places(), text)
    country = location.lead_city.country if location.lead_city else location.country
    assert (
        location.lead_city.slug if location.lead_city else None,
        country.code if country else None,
        location.place_name,
    ) == expected


def test_a_long_summary_is_shortened_visibly() -> None:
    sentence = "This sentence has exactly eight words in it. "
    assert summarize(sentence * 30) == " ".join((sentence * 18).split()) + " …"
    words = " ".join(f"word{number}" for number in range(400))
    assert summarize(words) == " ".join(f"word{number}" for number in range(150)) + "…"
    assert len(summarize(words).split()) == 150
    assert summarize("- one\n- two\n\nthree") == "one two three"


def test_a_chinese_summary_is_shortened_by_the_validators_count_of_words() -> None:
    sentence = "社区图书馆把书送到偏远街区的孩子手中。"  # 18 characters and a full stop: 10 words
    shortened = summarize(sentence * 30)
    assert shortened == sentence * 14 + " …"  # the last full sentence within 150 words
    assert (word_count(shortened), practice_problems({"summary": shortened})) == (141, {})
    unbroken = summarize("图书" * 400)
    assert unbroken == "图书" * 149 + "…"
    assert (word_count(unbroken), practice_problems({"summary": unbroken})) == (150, {})


def test_the_forms_headings_and_instructions_are_removed_from_answers() -> None:
    answer = (
        "Partners: X &amp; Y.\xa0\n## \n****\n## Design\n**Explain the design of the activity.**\n\n"
        "**Bold fact** here\n**A bold line of the answer**\n## Results\n\n**Only complete this section**\nEnd"
    )
    assert clean_text(answer) == "Partners: X & Y.\n\n**Bold fact** here\n**A bold line of the answer**\n\nEnd"


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
