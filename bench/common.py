"""What the in-process latency benchmarks share: a scratch database with the real data, and a timer."""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def scratch_database_with_real_data() -> None:
    """Point Django at a new SQLite file, migrate it and load everything `make run` loads."""
    scratch = tempfile.mkdtemp(prefix="ccx-bench-")
    os.environ.setdefault("CCX_DEBUG", "true")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["CCX_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("setup", no_progress=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(
        f"setup (the network, SDGs, practices and everything `make run` loads): {time.perf_counter() - started:.1f} s"
    )


def print_header() -> None:
    print(f"{'request':60} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")


def measure(label: str, request: Callable[[], Any], repeat: int) -> float:
    """Print p50/p95 of `request` and its query count; return p95."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()  # warm caches and templates
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (label, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        request()
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{label[:60]:60} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d}")
    return p95
