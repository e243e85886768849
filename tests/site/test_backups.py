"""`ccx backup` then `ccx restore` into a fresh instance of the same engine: same rows, same files, a working site.

Runs on the engine the suite runs on (SQLite, or PostgreSQL with DATABASE_URL); the restored instance is a
separate process with its own database and folders, as after losing a server.
"""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from ccx.accounts.models import User
from ccx.core.backups import row_counts, sha256_file
from ccx.partnerships.documents import add_document
from ccx.practices.images import attach_image
from tests.conftest import make_user
from tests.partnerships.factories import proposed
from tests.partnerships.test_documents import pdf_bytes
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "restored-site-password-42"
RESTORED_CHECK = """
import json, django
django.setup()
from django.test import Client
from ccx.core.backups import row_counts
counts = row_counts()  # before the requests below add a session
client = Client(REMOTE_ADDR="10.9.9.9")
home = client.get("/").status_code
practice = client.get("{practice_url}").status_code
signed_in = client.post("/accounts/login/", {{"username": "keeper", "password": "{password}"}}).status_code
print(json.dumps({{"home": home, "practice": practice, "sign_in": signed_in, "counts": counts}}))
"""


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def fresh_database() -> Any:
    """A URL for an empty database of the same engine, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield lambda folder: f"sqlite:///{folder / 'restored.sqlite3'}"
        return
    name = f"{source['NAME']}_restore"
    admin = {"host": source["HOST"] or "127.0.0.1", "port": source["PORT"] or 5432, "user": source["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, password=source["PASSWORD"] or None, **admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    credentials = source["USER"] + (f":{source['PASSWORD']}" if source["PASSWORD"] else "")
    yield lambda _folder: f"postgres://{credentials}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, password=source["PASSWORD"] or None, **admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_gives_the_same_rows_files_and_a_working_site(
    real_data: None, settings: Any, tmp_path: Path, fresh_database: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.PRIVATE_ROOT = tmp_path / "source" / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    from ccx.cities.models import City

    city_a, city_b = City.objects.get(slug="ashgabat-tm"), City.objects.get(slug="gangneung-kr")
    keeper = User.objects.create_user("keeper", "keeper@example.org", PASSWORD)
    secretariat = make_user("secretariat-1", staff=True)
    focal_b = make_user("focal-b", cities=(city_b,))
    keeper.focal_point_of.set([city_a])
    practice = published_practice(keeper, secretariat, city_a, "Night markets for local crafts")
    attach_image(practice, photo(), "Stalls at night", "", "City of Ashgabat")
    partnership = proposed(keeper, city_a, city_b)
    add_document(partnership, keeper, "Draft MoU", upload=SimpleUploadedFile("mou.pdf", pdf_bytes()))
    assert focal_b.pk

    archive = tmp_path / "ccx-backup.tar.gz"
    started = time.monotonic()
    call_command("backup", archive, stdout=io.StringIO(), stderr=io.StringIO())
    backup_seconds = time.monotonic() - started
    source_counts = row_counts()
    source_files = {
        f"{kind}/{path.relative_to(root).as_posix()}": sha256_file(path)
        for kind, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_ROOT))
        for path in Path(root).rglob("*")
        if path.is_file()
    }
    assert len(source_files) == 3  # the image, its thumbnail, the document

    target = tmp_path / "restored"
    target.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(target),
        "CCX_VAR_DIR": str(target),
        "CCX_MEDIA_ROOT": str(target / "media"),
        "CCX_PRIVATE_ROOT": str(target / "private"),
        "CCX_DEBUG": "true",
        "CCX_ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "ccx.settings",
    }
    ccx = Path(sys.executable).with_name("ccx")
    started = time.monotonic()
    restored = subprocess.run([ccx, "restore", archive], env=env, capture_output=True, text=True, check=False)
    restore_seconds = time.monotonic() - started
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored and verified {sum(source_counts.values())} rows")
    print(f"\n{connection.vendor}: backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s")  # noqa: T201

    check = RESTORED_CHECK.format(practice_url=practice.get_absolute_url(), password=PASSWORD)
    answer = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True)
    site = json.loads(answer.stdout.strip().splitlines()[-1])
    assert (site["home"], site["practice"], site["sign_in"]) == (200, 200, 302)
    assert site["counts"] == source_counts
    restored_files = {
        f"{kind}/{path.relative_to(target / kind).as_posix()}": sha256_file(path)
        for kind in ("media", "private")
        for path in (target / kind).rglob("*")
        if path.is_file()
    }
    assert restored_files == source_files


def test_restore_refuses_a_target_that_is_not_empty(real_data: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar"
    call_command("backup", archive, stdout=io.StringIO(), stderr=io.StringIO())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="The target database is not empty"):
        call_command("restore", archive, stdout=io.StringIO(), stderr=io.StringIO())
