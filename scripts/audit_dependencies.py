"""Audit the pinned dependencies (requirements.lock) for known vulnerabilities with pip-audit.

Prints one verdict line: "pass" only when every pin was looked up and none has an advisory; "fail" with
the advisories when any has one; "skipped" (never "pass") when the advisory service cannot be reached or
could not look a package up. Exit status 1 only for "fail", so an offline build is not blocked but is told
plainly that nothing was audited.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    command = [
        str(PIP_AUDIT),
        "--requirement", str(ROOT / "requirements.lock"),
        "--no-deps", "--disable-pip",
        "--format", "json", "--progress-spinner", "off", "--timeout", "15",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"== dependency audit: skipped (pip-audit could not run: {error}) ==")
        return 0
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    dependencies = report.get("dependencies", [])
    if not dependencies:
        reason = (result.stderr.strip().splitlines() or ["no report"])[-1]
        print(f"== dependency audit: skipped (the advisory service gave no report: {reason}) ==")
        return 0
    unaudited = [d["name"] for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            print(f"{dependency['name']}=={dependency['version']}: {vulnerability['id']} (fixed in {fixed})")
    if vulnerable:
        print(f"== dependency audit: fail ({len(vulnerable)} of {len(dependencies)} pins have advisories) ==")
        return 1
    if unaudited:
        print(
            f"== dependency audit: skipped ({len(unaudited)} of {len(dependencies)} pins could not be looked up, "
            f"e.g. {', '.join(unaudited[:3])}: the advisory service is unreachable from here) =="
        )
        return 0
    print(f"== dependency audit: pass ({len(dependencies)} pins, no known advisories) ==")
    return 0


if __name__ == "__main__":
    sys.exit(main())
