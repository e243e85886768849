from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ccx.cities.importers import BUNDLED_MEMBERS, import_members
from ccx.cities.models import City
from ccx.core.imports import ImportFailed
from ccx.core.models import ImportRun

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[object, ...]]:
    return list(
        City.objects.order_by("pk").values_list(
            "pk", "slug", "name", "designation_year", "field_id", "country_id", "updated_at"
        )
    )


def member_file(tmp_path: Path, replace: dict[int, str] | None = None, extra: list[str] | None = None) -> Path:
    """A copy of the bundled member file with some physical lines replaced (1 = header)."""
    lines = BUNDLED_MEMBERS.read_text(encoding="utf-8").splitlines()
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    path = tmp_path / "members.csv"
    path.write_text("\n".join(lines + (extra or [])) + "\n", encoding="utf-8")
    return path


def test_the_real_network_is_loaded_with_honest_gaps() -> None:
    members = City.objects.members()
    assert members.count() == 350
    assert members.filter(field__slug="gastronomy").count() == 56
    assert members.filter(designation_year=None).count() == 28
    assert members.filter(designation_note="designated in 2013 or earlier").count() == 9
    # Matched by name against the GeoNames gazetteer (scripts/repair_member_places.py): only Vicente López has
    # no coordinates; Chordeleg and Idanha-a-Nova lost the id of a neighbouring town and are unverified.
    assert members.filter(latitude=None).count() == 1
    assert members.filter(location_verified=False).count() == 3
    granada = sorted(members.filter(name="Granada").values_list("slug", "country__code", "field__slug"))
    assert granada == [("granada-es", "ES", "literature"), ("granada-ni", "NI", "design")]


def test_reimporting_the_same_file_changes_nothing() -> None:
    before = snapshot()
    report = import_members(BUNDLED_MEMBERS)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 350)
    assert snapshot() == before


def test_a_malformed_row_names_its_line_and_leaves_the_database_unchanged(tmp_path: Path) -> None:
    lines = BUNDLED_MEMBERS.read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace(",Design,2023,", ",Knitting,20x3,")
    path = member_file(tmp_path, replace={2: bad})
    before, runs = snapshot(), ImportRun.objects.count()

    with pytest.raises(ImportFailed) as failure:
        import_members(path)

    assert [str(problem) for problem in failure.value.problems] == [
        f"{path}, line 2: unknown creative field 'Knitting'",
        f"{path}, line 2: year of designation '20x3' is not a whole number",
    ]
    assert snapshot() == before
    assert ImportRun.objects.count() == runs


def test_the_command_exits_non_zero_and_writes_nothing(tmp_path: Path) -> None:
    path = member_file(tmp_path, extra=['Nowhere,Atlantis,XX,,Music,2015,,,,,,,,,"",""'])
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem\\(s\\) found; nothing was imported"):
        call_command("import-network", str(path), no_progress=True)
    assert snapshot() == before


def test_a_valid_new_row_is_created_and_a_changed_row_updated(tmp_path: Path) -> None:
    lines = BUNDLED_MEMBERS.read_text(encoding="utf-8").splitlines()
    changed = lines[1].replace(",Design,2023,", ",Design,2022,")
    new_row = "Testville,France,FR,manual,Film,2019,press_list,45.0,5.0,geonames,123,1000,,https://example.org/testville,About,Commitments"
    report = import_members(member_file(tmp_path, replace={2: changed}, extra=[new_row]))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 349)
    assert City.objects.get(slug="ashgabat-tm").designation_year == 2022
    testville = City.objects.get(slug="testville-fr")
    assert testville.field is not None
    assert (testville.field.slug, testville.designation_year, testville.location_verified) == ("film", 2019, True)


def test_a_correction_by_the_secretariat_survives_a_reimport() -> None:
    tbilisi = City.objects.get(slug="tbilisi-ge")
    tbilisi.designation_year = 2017
    tbilisi.corrected_fields = ["designation_year"]
    tbilisi.save()
    report = import_members(BUNDLED_MEMBERS)
    assert report.notes == ["kept 1 value(s) corrected by the secretariat"]
    assert City.objects.get(slug="tbilisi-ge").designation_year == 2017


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Dup,France,FR,x,Music,2015,x,,,x,,,,https://www.unesco.org/en/creative-cities/ashgabat,,",
            "same unesco url as line 2",
        ),
        (",France,FR,x,Music,2015,x,,,x,,,,,,", "the city name is empty"),
        ("Far,France,FR,x,Music,2015,x,95,10,x,,,,,,", "latitude 95.0 is outside -90…90"),
        ("Half,France,FR,x,Music,2015,x,45,,x,,,,,,", "latitude and longitude must both be given or both be empty"),
        ("Early,France,FR,x,Music,1999,x,,,x,,,,,,", "year of designation 1999 is outside 2004–"),
        ("Short,France,FR", "fewer values than there are columns"),
    ],
)
def test_each_kind_of_bad_row_is_reported(tmp_path: Path, line: str, expected: str) -> None:
    path = member_file(tmp_path, extra=[line])
    last_line = len(BUNDLED_MEMBERS.read_text(encoding="utf-8").splitlines()) + 1
    with pytest.raises(ImportFailed) as failure:
        import_members(path)
    problem = failure.value.problems[0]
    assert (problem.line, problem.message.startswith(expected)) == (last_line, True)


def test_a_file_without_a_required_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("city,country\nParis,France\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_members(path)
    assert failure.value.problems[0].line == 1
    assert failure.value.problems[0].message.startswith("missing column(s): about, added_value, coord_source")


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_members(tmp_path / "nope.csv")
    assert "cannot open the file" in failure.value.problems[0].message
