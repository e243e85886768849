"""The data version: one number that changes after every committed write, the key of every shared cache.

Caches of what anonymous visitors see (whole pages, facet counts, cards) put this number in their keys, so
no stale entry survives a change and nothing has to be deleted by hand. It counts every INSERT, UPDATE and
DELETE that Django sends to the database, whatever sent it (a form, the API, an importer's bulk_create, a
queryset update, raw SQL), through a database execute wrapper; only tables that never show on a public page
(sessions, the task queue, notifications) are left out. The number lives in the database, so every process
and every server sees the same one; each process re-reads it at most every DATA_VERSION_READ_SECONDS (one
tiny query), and its own writes take effect at once (without a read).

Bumps happen when the writing transaction commits (a reader who sees the new number also sees the new
data). With DATA_VERSION_ON_COMMIT off (the test suite, whose transactions never commit) they happen at
the write, inside the transaction.
"""

import itertools
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import timezone

TABLE = "core_dataversion"
# Tables whose rows no anonymous page shows: writing them must not retire every cached page.
IGNORED_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
        "django_tasks_db_dbtaskresult",
        "accounts_notification",
    }
)
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


@dataclass(frozen=True)
class Version:
    """`number` is the database's counter, or after this process's own write, until the next read, that
    counter marked with the process and the write (no other process can have used that key)."""

    number: str
    changed_at: datetime | None

    def changed_within(self, seconds: float) -> bool:
        return self.changed_at is not None and (timezone.now() - self.changed_at).total_seconds() < seconds


class _Memo:
    """The version this process last read (shared by its threads: a write in one is seen by all)."""

    version: Version | None = None
    read_at: float = 0.0
    writes = itertools.count(1)


_memo = _Memo()


def current() -> Version:
    """The data version, read from the database at most every DATA_VERSION_READ_SECONDS."""
    version = _memo.version
    if version is None or time.monotonic() - _memo.read_at >= settings.DATA_VERSION_READ_SECONDS:
        version = _memo.version = _read()
        _memo.read_at = time.monotonic()
    return version


def _read() -> Version:
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT number, changed_at FROM {TABLE} WHERE id = 1")  # noqa: S608 - a constant
        row = cursor.fetchone()
    if row is None:
        return Version("0", None)
    changed_at = row[1]
    if isinstance(changed_at, str):  # SQLite through a raw cursor
        changed_at = datetime.fromisoformat(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=UTC)  # stored in UTC (USE_TZ)
    return Version(str(row[0]), changed_at)


def bump(using: str = "default") -> None:
    """Count one change now (the execute wrapper calls this; call it yourself only for writes Django cannot see)."""
    now = timezone.now()
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET number = number + 1, changed_at = %s WHERE id = 1", [now])  # noqa: S608
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {TABLE} (id, number, changed_at) VALUES (1, 1, %s)", [now])  # noqa: S608
    _seen_own_write(now)


def _seen_own_write(now: datetime) -> None:
    """This process sees its own change at once, without reading the counter back."""
    previous = _memo.version
    if previous is None:
        return
    # Marked on the number last read, not on the previous mark: a process writing many times between two
    # reads (an import, the worker) keeps a key of constant length.
    read_number = previous.number.split(".", 1)[0]
    _memo.version = Version(f"{read_number}.{os.getpid()}.{next(_memo.writes)}", now)


def forget() -> None:
    """Read the version from the database next time."""
    _memo.version = None


def start_from(number: str) -> None:
    """Take `number` as the version just read (tests: each starts from a version no other test used)."""
    _memo.version = Version(number, None)
    _memo.read_at = time.monotonic()


def _changed(connection: BaseDatabaseWrapper) -> None:
    if not connection.in_atomic_block or not settings.DATA_VERSION_ON_COMMIT:
        bump(connection.alias)
        return
    callback = _callback(connection)
    if not any(entry[1] is callback for entry in connection.run_on_commit):
        transaction.on_commit(callback, using=connection.alias)


def _callback(connection: BaseDatabaseWrapper) -> Any:
    callback = getattr(connection, "_ccx_bump", None)
    if callback is None:
        alias = connection.alias

        def callback() -> None:
            bump(alias)

        connection._ccx_bump = callback  # type: ignore[attr-defined]
    return callback


class _Migrating:
    """While `migrate` runs, the version table may not exist yet: count nothing, then one change at the end."""

    active = False

    @classmethod
    def start(cls, **kwargs: Any) -> None:
        cls.active = True

    @classmethod
    def finish(cls, using: str = "default", **kwargs: Any) -> None:
        if cls.active:
            cls.active = False
            bump(using)


def _watch(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if _Migrating.active:
        return result
    found = WRITE.match(sql)
    if found and found.group(1).lower() not in IGNORED_TABLES:
        _changed(context["connection"])
    return result


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def watch_writes() -> None:
    """Count the writes of every database connection (called once, from the core app's ready())."""
    connection_created.connect(_install, dispatch_uid="ccx-data-version")
    pre_migrate.connect(_Migrating.start, dispatch_uid="ccx-data-version-migrating")
    post_migrate.connect(_Migrating.finish, dispatch_uid="ccx-data-version-migrated")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
