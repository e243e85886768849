"""Importing the UNDP action learning plans as challenges: validating, transactional, idempotent."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from ccx.challenges.importers import import_challenges, list_items
from ccx.challenges.models import Challenge, ChallengeStatus, Visibility
from ccx.challenges.services import update_challenge
from ccx.cities.models import City
from ccx.core.imports import ImportFailed
from ccx.core.models import ImportRun
from ccx.practices.importers import BUNDLED_UNDP
from ccx.practices.importers.undp import UNDP_ATTRIBUTION, UNDP_SOURCE
from tests.conftest import Personas
from tests.practices.test_importers import KUTAISI, LEARNING_PLAN, records

pytestmark = pytest.mark.django_db

MADABA = "tourism_in_madaba_through"
PORT_OF_SPAIN = "transport_innovation_challenge"


def write(tmp_path: Path, items: list[dict[str, Any]], name: str = "plans.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n", encoding="utf-8")
    return path


def plans_file(tmp_path: Path) -> Path:
    return write(tmp_path, records(BUNDLED_UNDP, MADABA, KUTAISI, LEARNING_PLAN, PORT_OF_SPAIN))


def state() -> list[tuple[object, ...]]:
    return list(Challenge.objects.order_by("pk").values_list("pk", "slug", "title", "statement", "updated_at"))


def test_the_bundled_plans_import_completely_and_a_second_import_changes_nothing() -> None:
    report = import_challenges(BUNDLED_UNDP, "undp")
    assert (report.created, report.updated, report.unchanged) == (565, 0, 0)
    assert report.notes == [
        "skipped 157 record(s) of type experiment (they are practices)",
        "skipped 1526 record(s) of type solution (they are practices)",
        "places: 18 at a member city, 20 at a named town, 526 in a country only, 1 with no known country",
        "country names not recognised: Palestine (1)",
    ]
    imported = Challenge.objects.all()
    assert imported.filter(visibility=Visibility.PUBLIC, status=ChallengeStatus.OPEN).count() == 565
    assert imported.filter(source_name=UNDP_SOURCE, attribution=UNDP_ATTRIBUTION).count() == 565
    assert imported.exclude(statement="").count() == 565
    assert imported.exclude(obstacles=[]).count() == 124
    years = dict(imported.values_list("source_year").annotate(count=Count("id")).order_by())
    assert years == {2021: 123, 2022: 129, 2023: 210, 2024: 85, 2025: 18}  # the source's year, not the import's
    assert max(len(challenge.title) for challenge in imported) <= 250
    again = import_challenges(BUNDLED_UNDP, "undp")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 565)
    assert ImportRun.objects.filter(kind="challenges-undp").count() == 2


def test_a_plan_is_mapped_field_by_field(tmp_path: Path) -> None:
    report = import_challenges(plans_file(tmp_path), "undp")
    assert (report.created, report.notes[0]) == (3, "skipped 1 record(s) of type solution (they are practices)")
    madaba = Challenge.objects.get(source_id=MADABA)
    assert (madaba.title, madaba.slug, madaba.city, madaba.country.code, madaba.language) == (  # type: ignore[union-attr]
        "Tourism in Madaba through",
        "tourism-in-madaba-through",
        City.objects.get(slug="madaba-jo"),
        "JO",
        "en",
    )
    assert madaba.statement.startswith("A challenge is that unemployment rate is high in Jordan")
    assert madaba.context.startswith("Multiple factors have historically and still contributed to this challenge.")
    assert "### Quantitative evidence" in madaba.context
    assert madaba.goals.startswith("Core question: How can tourism be a catalyst for livelihood opportunities")
    assert madaba.obstacles == []
    assert madaba.source_year == 2022
    assert [theme.slug for theme in madaba.themes.order_by("slug")] == ["economy", "tourism"]
    assert [goal.number for goal in madaba.sdg_goals.order_by("number")] == [1, 8, 10]
    assert (madaba.source_name, madaba.source_url, madaba.attribution) == (
        UNDP_SOURCE,
        "https://sdg-innovation-commons.org",
        UNDP_ATTRIBUTION,
    )
    # The closing report of a plan: its insights are the statement, its barriers the obstacles.
    closing = Challenge.objects.get(source_id=LEARNING_PLAN)
    assert closing.title == "Exploratory discussions and subsequent field survey covering more…"
    assert closing.statement.startswith("1.")
    assert "field survey covering more than 1000 respondents" in closing.statement
    assert closing.obstacles == [
        "Due to a spread of COVID19 and imposed travel limitations, caused a delay with conducting field surveys",
        closing.obstacles[1],
    ]
    assert closing.obstacles[1].startswith("There is a gap in demand and supply of public services")
    assert (closing.city, closing.country.code, closing.place_name) == (None, "UZ", "")  # type: ignore[union-attr]


def test_each_bad_record_is_reported_with_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    good, closing = records(BUNDLED_UNDP, MADABA, LEARNING_PLAN)
    no_id = {**good, "id": ""}
    bad_sdg = {**closing, "id": "bad-sdg", "sdgs": ["42. Answers"]}
    empty = {**good, "id": "empty", "sections": []}
    unknown = {**good, "id": "unknown", "type": "poem"}
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(good), "{not json", json.dumps(no_id), json.dumps(bad_sdg), json.dumps(empty)]
    path.write_text("\n".join([*lines, json.dumps(unknown), json.dumps(good)]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as raised:
        import_challenges(path, "undp")
    assert [str(problem).replace(str(tmp_path), "") for problem in raised.value.problems] == [
        "/bad.jsonl, line 2: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        "/bad.jsonl, line 3: the record has no id",
        "/bad.jsonl, line 4: unknown SDG '42. Answers'",
        "/bad.jsonl, line 5: the plan has no challenge statement, summary or key insights",
        "/bad.jsonl, line 6: unknown type 'poem' (expected solution, experiment or learningplan)",
        "/bad.jsonl, line 7: same record as line 1",
    ]
    assert Challenge.objects.count() == 0
    assert not ImportRun.objects.filter(kind="challenges-undp").exists()


def test_the_command_lists_problems_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, [{"id": "x", "type": "learningplan"}])
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import-challenges", str(path), "--no-progress", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Challenge.objects.count() == 0


def test_a_changed_record_updates_in_place_and_site_edits_are_kept(tmp_path: Path, personas: Personas) -> None:
    import_challenges(plans_file(tmp_path), "undp")
    madaba = Challenge.objects.get(source_id=MADABA)
    before = state()
    # The secretariat edits the title and opens a clinic; the record's statement changes at the source.
    update_challenge(madaba, personas.secretariat_user, {"title": "Tourism for jobs in Madaba"})
    changed = records(BUNDLED_UNDP, MADABA, KUTAISI, LEARNING_PLAN, PORT_OF_SPAIN)
    changed[0]["title"] = "Tourism in Madaba, renamed at the source"
    for section in changed[0]["sections"]:
        if section["question"].startswith("Challenge statement"):
            section["answer"] = "Our challenge is that young people in Madaba find no work in tourism."
    report = import_challenges(write(tmp_path, changed, "changed.jsonl"), "undp")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert report.notes[-1] == "kept the site's edits of 1 challenge(s)"
    madaba.refresh_from_db()
    assert (madaba.title, madaba.statement) == (
        "Tourism for jobs in Madaba",
        "Our challenge is that young people in Madaba find no work in tourism.",
    )
    assert madaba.edited_fields == ["title"]
    assert Challenge.objects.count() == len(before) == 3


def test_obstacles_are_split_into_points() -> None:
    assert list_items("1. Rents are high. 2. Owners live abroad.") == ["Rents are high.", "Owners live abroad."]
    assert list_items("- Rents\n  are high\n- Owners abroad") == ["Rents are high", "Owners abroad"]
    assert list_items("First paragraph.\n\nSecond paragraph.") == ["First paragraph.", "Second paragraph."]


def test_an_imported_plan_shows_the_year_of_its_source_not_the_import_date(tmp_path: Path, client: Client) -> None:
    import_challenges(plans_file(tmp_path), "undp")
    html = client.get(Challenge.objects.get(source_id=MADABA).get_absolute_url()).content.decode()
    assert "<dt>Year</dt><dd>2022 <span" in html
    assert f"(as dated by {UNDP_SOURCE})" in html
    assert "<dt>Imported</dt>" in html
    assert "<dt>Posted</dt>" not in html


def test_a_plan_with_an_impossible_year_is_refused(tmp_path: Path) -> None:
    plan = records(BUNDLED_UNDP, MADABA)[0]
    plan["year"] = "20x2"
    with pytest.raises(ImportFailed) as failure:
        import_challenges(write(tmp_path, [plan]), "undp")
    expected = f"year '20x2' is not a year between 2000 and {date.today().year}"
    assert [problem.message for problem in failure.value.problems] == [expected]
    assert not Challenge.objects.filter(source_id=MADABA).exists()
