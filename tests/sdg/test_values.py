"""Cities' SDG indicator values: the one validator and `ccx import-indicators` (all or nothing)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ccx.cities.models import City
from ccx.sdg.models import Indicator, IndicatorValue
from ccx.sdg.values import parse_number, validate_indicator_value

pytestmark = pytest.mark.django_db
HEADER = "city,indicator,year,value,unit,source,method_note,disaggregation\n"


def write(tmp_path: Path, body: str, name: str = "values.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_file_is_imported_and_a_second_run_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "ashgabat-tm,11.6.2,2019,23.5,µg/m³,Test survey 2019,Annual mean PM2.5,\n"
        "ashgabat-tm,11.6.2,2021,19.25,µg/m³,Test survey 2021,,\n"
        'Gangneung,11.7.1,2022,"31,5",%,Test land-use study,,\n',
    )
    call_command("import-indicators", str(path), "--no-progress")
    assert "3 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    values = IndicatorValue.objects.order_by("city__name", "year")
    assert [(v.city.slug, v.indicator.code, v.year, v.value, v.unit) for v in values] == [
        ("ashgabat-tm", "11.6.2", 2019, Decimal("23.5"), "µg/m³"),
        ("ashgabat-tm", "11.6.2", 2021, Decimal("19.25"), "µg/m³"),
        ("gangneung-kr", "11.7.1", 2022, Decimal("31.5"), "%"),
    ]
    call_command("import-indicators", str(path), "--no-progress")
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_one_bad_row_names_its_line_exits_non_zero_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "ashgabat-tm,11.6.2,2019,23.5,µg/m³,Test survey,,\n"
        "ashgabat-tm,11.6.2,2020,lots,µg/m³,Test survey,,\n"
        "ashgabat-tm,11.7.1,2020,140,%,Test survey,,\n",
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-indicators", str(path), "--no-progress")
    errors = capsys.readouterr().err
    assert f"{path}, line 3: the value “lots” is not a number" in errors
    assert f"{path}, line 4: value: A percentage lies between 0 and 100." in errors
    assert "line 2" not in errors
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nowhere-xx,11.6.2,2019,1,%,S,,", "unknown city “nowhere-xx”"),
        ("ashgabat-tm,99.9.9,2019,1,%,S,,", "unknown SDG indicator code “99.9.9”"),
        ("ashgabat-tm,11.6.2,20x9,1,%,S,,", "the year “20x9” is not a year"),
        ("ashgabat-tm,11.6.2,1890,1,%,S,,", "year: Give a year between 1950 and"),
        ("ashgabat-tm,11.6.2,2019,NaN,%,S,,", "the value “NaN” is not a number"),
        ("ashgabat-tm,11.6.2,2019,1,,S,,", "unit: Say in which unit"),
        ("ashgabat-tm,11.6.2,2019,1,%,,,", "source: Name the source"),
        ("ashgabat-tm,11.6.2,2019,1,%,S", "fewer values than there are columns"),
    ],
)
def test_each_kind_of_bad_row_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, message: str
) -> None:
    path = write(tmp_path, row + "\n")
    with pytest.raises(CommandError):
        call_command("import-indicators", str(path), "--no-progress")
    assert f"line 2: {message}" in capsys.readouterr().err
    assert IndicatorValue.objects.count() == 0


def test_the_same_value_twice_in_a_file_and_a_missing_column_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "ashgabat-tm,11.6.2,2019,1,%,S,,\nashgabat-tm,11.6.2,2019,2,%,S,,\n")
    with pytest.raises(CommandError):
        call_command("import-indicators", str(path), "--no-progress")
    assert "line 3: the same value as line 2 is given twice" in capsys.readouterr().err
    missing = tmp_path / "short.csv"
    missing.write_text("city,indicator,year,value\nashgabat-tm,11.6.2,2019,1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import-indicators", str(missing), "--no-progress")
    assert "line 1: missing column(s): source, unit" in capsys.readouterr().err


def test_a_changed_value_updates_the_row_in_place(tmp_path: Path) -> None:
    call_command("import-indicators", str(write(tmp_path, "ashgabat-tm,11.6.2,2019,1,%,S,,\n")), "--no-progress")
    call_command(
        "import-indicators", str(write(tmp_path, "ashgabat-tm,11.6.2,2019,2,%,S2,,\n", "b.csv")), "--no-progress"
    )
    value = IndicatorValue.objects.get()
    assert (value.value, value.source) == (Decimal("2"), "S2")


def test_the_validator_is_the_one_the_model_uses() -> None:
    value = IndicatorValue(
        city=City.objects.get(slug="ashgabat-tm"),
        indicator=Indicator.objects.get(code="11.6.2"),
        year=2019,
        value=Decimal("-5"),
        unit="%",
        source="",
    )
    with pytest.raises(ValidationError) as invalid:
        validate_indicator_value(value)
    assert invalid.value.message_dict == {
        "value": ["A percentage lies between 0 and 100."],
        "source": ["Name the source: who measured it, and where it is published."],
    }
    with pytest.raises(ValidationError):
        value.full_clean()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12.5", Decimal("12.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("inf", None),
        ("", None),
    ],
)
def test_numbers_are_read_as_people_write_them(text: str, number: Decimal | None) -> None:
    assert parse_number(text) == number


def test_the_documented_example_file_has_the_documented_columns_and_imports() -> None:
    from ccx.sdg.values import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, import_indicator_values

    docs = Path(__file__).resolve().parents[2] / "docs"
    guide = (docs / "indicator-values.md").read_text(encoding="utf-8")
    for column in sorted(REQUIRED_COLUMNS):
        assert f"| `{column}` | yes |" in guide
    for column in OPTIONAL_COLUMNS:
        assert f"| `{column}` | no |" in guide
    report = import_indicator_values(docs / "examples" / "indicator-values-EXAMPLE.csv")
    assert (report.created, report.updated) == (4, 0)
    assert set(IndicatorValue.objects.values_list("source", flat=True)) == {
        "EXAMPLE ONLY - invented numbers to show the format; never import as data"
    }
