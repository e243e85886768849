import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ccx.core.imports import ImportFailed
from ccx.sdg.importers import BUNDLED_SDG_DIR, import_sdg
from ccx.sdg.models import Goal, Indicator, Target

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Goal.objects.count(), Target.objects.count(), Indicator.objects.count()


def copy_of_bundled(tmp_path: Path) -> Path:
    directory = tmp_path / "sdg"
    shutil.copytree(BUNDLED_SDG_DIR, directory)
    return directory


def test_the_framework_is_loaded_in_six_languages() -> None:
    assert counts() == (17, 169, 252)
    goal = Goal.objects.get(number=11)
    assert sorted(goal.titles) == ["ar", "en", "es", "fr", "ru", "zh-hans"]
    assert list(Target.objects.filter(goal=goal).values_list("code", flat=True))[-3:] == ["11.a", "11.b", "11.c"]


def test_reimport_is_idempotent() -> None:
    report = import_sdg()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 438)
    assert counts() == (17, 169, 252)


def test_an_indicator_under_an_unknown_target_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    directory = copy_of_bundled(tmp_path)
    indicators = directory / "sdg_indicators.csv"
    original = indicators.read_text(encoding="utf-8")
    indicators.write_text(original + "99.9.9,99.9,99,Nonsense,,,,,\n", encoding="utf-8")
    new_line = original.count("\n") + 1
    Goal.objects.filter(number=1).update(titles={"en": "edited"})
    with pytest.raises(ImportFailed) as failure:
        import_sdg(directory)
    assert [str(problem) for problem in failure.value.problems] == [
        f"{indicators}, line {new_line}: indicator 99.9.9 names unknown target '99.9'"
    ]
    assert Goal.objects.get(number=1).titles == {"en": "edited"}


def test_the_command_reports_a_missing_file(tmp_path: Path) -> None:
    directory = copy_of_bundled(tmp_path)
    (directory / "sdg_targets.csv").unlink()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-sdg", str(directory), no_progress=True)
    assert counts() == (17, 169, 252)
