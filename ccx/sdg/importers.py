"""Load the SDG framework (goals, targets, indicators in the six UN languages) from a folder of CSV files."""

from pathlib import Path
from typing import Any

from django.db import transaction

from ccx.core.imports import ImportFailed, ImportProblem, ImportReport, file_checksum, read_csv, record_run
from ccx.core.progress import Progress, silent
from ccx.sdg.models import Goal, Indicator, Target, code_sort_key

BUNDLED_SDG_DIR = Path(__file__).resolve().parent.parent / "data" / "sdg"
LANGUAGE_SUFFIXES = {"en": "en", "fr": "fr", "zh-hans": "zh-Hans", "es": "es", "ar": "ar", "ru": "ru"}
FILES = ("sdg_goals.csv", "sdg_targets.csv", "sdg_indicators.csv")


def sdg_files(directory: Path) -> list[Path]:
    return [directory / name for name in FILES]


def import_sdg(directory: Path = BUNDLED_SDG_DIR, progress: Progress = silent) -> ImportReport:
    """Create or update all goals, targets and indicators; nothing is written unless all three files are valid."""
    missing = [path for path in sdg_files(directory) if not path.is_file()]
    if missing:
        raise ImportFailed([ImportProblem(str(path), 0, "file not found") for path in missing])
    goals_path, targets_path, indicators_path = sdg_files(directory)
    problems: list[ImportProblem] = []
    goals = _read_level(goals_path, "goal", None, problems, with_short_titles=True)
    targets = _read_level(targets_path, "target", ("goal", set(goals)), problems)
    indicators = _read_level(indicators_path, "indicator", ("target", set(targets)), problems)
    if problems:
        raise ImportFailed(problems)

    report = ImportReport(kind="sdg", source=str(directory))
    total = len(goals) + len(targets) + len(indicators)
    with transaction.atomic():
        goal_objects = {goal.number: goal for goal in Goal.objects.all()}
        for code, values in goals.items():
            goal_objects[int(code)] = _save(Goal, goal_objects.get(int(code)), {"number": int(code), **values}, report)
        target_objects = {target.code: target for target in Target.objects.all()}
        for code, values in targets.items():
            goal = goal_objects[int(values.pop("parent"))]
            target_objects[code] = _save(
                Target, target_objects.get(code), {"code": code, "goal": goal, **values}, report
            )
        indicator_objects = {indicator.code: indicator for indicator in Indicator.objects.all()}
        for done, (code, values) in enumerate(indicators.items(), start=len(goals) + len(targets) + 1):
            target = target_objects[values.pop("parent")]
            _save(Indicator, indicator_objects.get(code), {"code": code, "target": target, **values}, report)
            progress(done, total, code)
        record_run(report, file_checksum(*sdg_files(directory)))
    progress(total, total, "")
    return report


def _read_level(
    path: Path,
    key: str,
    parent: tuple[str, set[str]] | None,
    problems: list[ImportProblem],
    with_short_titles: bool = False,
) -> dict[str, dict[str, Any]]:
    title_columns = {f"title_{suffix}" for suffix in LANGUAGE_SUFFIXES.values()}
    required = {key, "title_en"} | ({parent[0]} if parent else set())
    rows, shape_problems = read_csv(path, required)
    problems += shape_problems
    items: dict[str, dict[str, Any]] = {}
    for line, row in rows:
        code = row[key].strip()
        if not code or (key == "goal" and not code.isdigit()):
            problems.append(ImportProblem(str(path), line, f"'{row[key]}' is not a valid {key} code"))
            continue
        if code in items:
            problems.append(ImportProblem(str(path), line, f"{key} {code} appears twice"))
        titles = _texts(row, "title", title_columns)
        if not titles.get("en"):
            problems.append(ImportProblem(str(path), line, f"{key} {code} has no English title"))
        values: dict[str, Any] = {"titles": titles}
        if with_short_titles:
            values["short_titles"] = _texts(row, "short", {f"short_{s}" for s in LANGUAGE_SUFFIXES.values()})
        if parent:
            parent_key, known = parent
            parent_code = row[parent_key].strip()
            if parent_code not in known:
                problems.append(
                    ImportProblem(str(path), line, f"{key} {code} names unknown {parent_key} '{parent_code}'")
                )
            values["parent"] = parent_code
        items[code] = values
    return items


def _texts(row: dict[str, str], prefix: str, columns: set[str]) -> dict[str, str]:
    texts = {}
    for language, suffix in LANGUAGE_SUFFIXES.items():
        column = f"{prefix}_{suffix}"
        if column in columns and row.get(column, "").strip():
            texts[language] = row[column].strip()
    return texts


def _save(model: type[Any], instance: Any, values: dict[str, Any], report: ImportReport) -> Any:
    if instance is None:
        report.created += 1
        return model.objects.create(**values)
    relation = "goal" if "goal" in values else "target" if "target" in values else None
    changed = any(getattr(instance, name) != value for name, value in values.items() if name != relation)
    if relation and getattr(instance, f"{relation}_id") != values[relation].pk:
        changed = True
    if "code" in values and instance.sort_key != code_sort_key(values["code"]):
        changed = True
    if not changed:
        report.unchanged += 1
        return instance
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    report.updated += 1
    return instance
