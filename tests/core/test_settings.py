"""Settings are read from the environment, fail loudly on bad values, and are all documented."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("CCX_") and key != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", "import ccx.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
    )


def test_production_needs_a_secret_key() -> None:
    result = load_settings()
    assert result.returncode == 1
    assert "Set CCX_SECRET_KEY" in result.stderr


def test_a_bad_boolean_is_refused() -> None:
    result = load_settings(CCX_DEBUG="maybe")
    assert "CCX_DEBUG must be true or false, not 'maybe'" in result.stderr


def test_sqlite_by_default_and_postgres_by_database_url() -> None:
    assert load_settings(CCX_SECRET_KEY="x").stdout.split() == ["django.db.backends.sqlite3", "False"]
    postgres = load_settings(CCX_SECRET_KEY="x", DATABASE_URL="postgres://u@127.0.0.1:5432/ccx")
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_every_environment_variable_is_documented_in_the_readme() -> None:
    source = (ROOT / "ccx" / "settings.py").read_text()
    used = set(re.findall(r'env_\w+\("([A-Z_]+)"', source)) | set(re.findall(r'"(DATABASE_URL)"', source))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", readme))
    assert sorted(used - documented) == []
