"""`/healthz`: is this server process able to serve? For a load balancer or an uptime monitor.

Each part of the site that can break on its own registers one check (the database and the cache here, the
search index in `ccx.search.health`). The answer is JSON; its status is 503 as soon as one check fails, so
that a balancer takes the process out of rotation. Checks are cheap: nothing here loads a model or a file.
"""

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)


Check = Callable[[], CheckResult]
_checks: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    def decorator(check: Check) -> Check:
        _checks[name] = check
        return check

    return decorator


@register("database")
def database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult(True, connection.vendor)


@register("cache")
def cache_roundtrip() -> CheckResult:
    key, value = f"ccx:healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    read = cache.get(key)
    cache.delete(key)
    return CheckResult(read == value, "" if read == value else "a value written to the cache did not come back")


def run_checks() -> dict[str, dict[str, Any]]:
    results = {}
    for name, check in _checks.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as error:  # a health check reports every failure instead of raising it
            logger.warning("health check %s failed: %s", name, error)
            result = CheckResult(False, f"{type(error).__name__}: {error}".splitlines()[0][:300])
        results[name] = {
            "status": "ok" if result.ok else "down",
            **({"detail": result.detail} if result.detail else {}),
            **result.data,
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
        }
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503)
