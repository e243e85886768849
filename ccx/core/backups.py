"""Backups that restore: one archive with the database, every uploaded file and a manifest to verify both.

- SQLite: the online backup API copies a consistent snapshot while the site keeps running.
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` into an empty database.
- Files: everything under `CCX_MEDIA_ROOT` (public uploads, built editions) and `CCX_PRIVATE_ROOT`
  (partnership documents).
- `manifest.json`: the engine, the row count of every table and the SHA-256 and size of every file and of
  the database dump. `restore` checks all of them after restoring and refuses a non-empty target.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = "ccx-backup/1"
CHUNK = 1024 * 1024
ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_ROOT"}


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    tables: int
    rows: int
    files: int
    bytes: int
    seconds: float


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def row_counts() -> dict[str, int]:
    """Rows in every table of the database (Django's and the project's), by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the catalogue)
            counts[table] = int(cursor.fetchone()[0])
    return counts


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _root(kind: str) -> Path:
    return Path(getattr(settings, ROOTS[kind]))


def uploaded_files() -> Iterator[tuple[str, Path, str]]:
    """(kind, absolute path, path inside the root) of every uploaded file."""
    for kind in ROOTS:
        root = _root(kind)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    yield kind, path, path.relative_to(root).as_posix()


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise BackupError(f"{tool} is not installed: install PostgreSQL's client tools (Debian: postgresql-client).")
    return found


def _dump_database(target: Path) -> str:
    if engine() == "sqlite":
        connection.ensure_connection()
        source = connection.connection  # the live connection: an in-memory or file database alike
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        return "database.sqlite3"
    args, env = _pg_environment()
    name = str(settings.DATABASES["default"]["NAME"])
    command = [_require("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
    subprocess.run([*command, name], env=env, check=True, capture_output=True)
    return "database.pgdump"


def backup(archive: Path, progress: Callable[[str], None] = lambda _line: None) -> Outcome:
    started = time.monotonic()
    kind = engine()
    with tempfile.TemporaryDirectory(prefix="ccx-backup-") as work:
        dump = Path(work) / "database"
        progress("Copying the database…")
        dump_name = _dump_database(dump)
        counts = row_counts()
        files: list[dict[str, Any]] = []
        mode = "w:gz" if archive.name.endswith((".gz", ".tgz")) else "w"
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, mode) as tar:  # type: ignore[call-overload]
            tar.add(dump, arcname=dump_name)
            progress("Adding the uploaded files…")
            for root_kind, path, relative in uploaded_files():
                files.append(
                    {"root": root_kind, "path": relative, "sha256": sha256_file(path), "size": path.stat().st_size}
                )
                tar.add(path, arcname=f"files/{root_kind}/{relative}")
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "engine": kind,
                "database": {"file": dump_name, "sha256": sha256_file(dump), "size": dump.stat().st_size},
                "tables": counts,
                "files": files,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, fileobj=io.BytesIO(data))
        partial.replace(archive)  # a backup file is whole or absent
    size = sum(int(entry["size"]) for entry in files)
    return Outcome(len(counts), sum(counts.values()), len(files), size, time.monotonic() - started)


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("This is not a ccx backup: it has no manifest.json.")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}; expected {FORMAT}.")
    return manifest


def _target_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_database(path: Path, kind: str) -> None:
    if kind == "sqlite":
        name = str(settings.DATABASES["default"]["NAME"])
        connection.close()
        with sqlite3.connect(path) as source, sqlite3.connect(name) as target:
            source.backup(target)
        return
    args, env = _pg_environment()
    name = str(settings.DATABASES["default"]["NAME"])
    command = [_require("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", name]
    connection.close()
    result = subprocess.run([*command, str(path)], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")


def restore(archive: Path, progress: Callable[[str], None] = lambda _line: None) -> Outcome:
    started = time.monotonic()
    kind = engine()
    if not archive.is_file():
        raise BackupError(f"No backup at {archive}.")
    with tarfile.open(archive) as tar, tempfile.TemporaryDirectory(prefix="ccx-restore-") as work:
        manifest = read_manifest(tar)
        if manifest["engine"] != kind:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database and the target is {kind}. Restore into the same "
                "engine, then move engines as the README describes."
            )
        if not _target_is_empty():
            raise BackupError("The target database is not empty. Restore into a fresh database (drop and create it).")
        for root_kind in ROOTS:
            root = _root(root_kind)
            if root.is_dir() and any(root.rglob("*")):
                raise BackupError(f"{root} is not empty. Restore into a fresh instance with empty file folders.")
        progress("Restoring the database…")
        database = manifest["database"]
        tar.extract(database["file"], work, filter="data")
        dump = Path(work) / database["file"]
        if sha256_file(dump) != database["sha256"]:
            raise BackupError("The database copy in the archive is damaged (its SHA-256 differs from the manifest).")
        _restore_database(dump, kind)
        progress("Restoring the uploaded files…")
        for entry in manifest["files"]:
            member = tar.extractfile(f"files/{entry['root']}/{entry['path']}")
            if member is None:
                raise BackupError(f"The archive lacks {entry['path']}.")
            target = (_root(entry["root"]) / entry["path"]).resolve()
            if not target.is_relative_to(_root(entry["root"]).resolve()):
                raise BackupError(f"Refusing a path outside the file folder: {entry['path']}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(member, out, CHUNK)
    return verify(manifest, time.monotonic() - started)


def verify(manifest: dict[str, Any], seconds: float) -> Outcome:
    """Compare the restored instance with the manifest: every table's rows, every file's SHA-256."""
    counts = row_counts()
    expected: dict[str, int] = manifest["tables"]
    if counts != expected:
        differing = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"Row counts differ after the restore in: {', '.join(differing[:20])}.")
    for entry in manifest["files"]:
        path = _root(entry["root"]) / entry["path"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise BackupError(f"{entry['root']}/{entry['path']} is missing or differs after the restore.")
    size = sum(int(entry["size"]) for entry in manifest["files"])
    return Outcome(len(counts), sum(counts.values()), len(manifest["files"]), size, seconds)
