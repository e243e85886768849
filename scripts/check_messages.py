"""Fail when an interface translation is missing, fuzzy, or not compiled into the committed .mo file.

Compiles each .po file to a temporary .mo with GNU msgfmt and compares it with the committed one.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "ccx" / "locale"


def problems_for(po_file: Path) -> list[str]:
    problems = []
    for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        listing = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po_file)], capture_output=True, text=True, check=True
        )
        entries = [line for line in listing.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
        if entries:
            problems.append(f"{po_file}: {len(entries)} {label} message(s), e.g. {entries[0]}")
    with tempfile.TemporaryDirectory() as scratch:
        compiled = Path(scratch) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po_file)], check=True)
        committed = po_file.with_suffix(".mo")
        if not committed.exists() or committed.read_bytes() != compiled.read_bytes():
            problems.append(f"{committed} is missing or older than its .po file: run `make messages`")
    return problems


def main() -> int:
    po_files = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
    problems = [problem for po_file in po_files for problem in problems_for(po_file)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not po_files:
        print("no translations found", file=sys.stderr)
        return 1
    print(f"translations: {len(po_files)} languages complete and compiled" if not problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
