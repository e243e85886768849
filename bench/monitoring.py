"""Latency of the secretariat's reporting board, the glance views and a city's SDG page with all imported data.

Usage: CCX_DEBUG=true .venv/bin/python bench/monitoring.py [--repeat N] [--reports N]
Loads everything `make run` loads into a scratch SQLite database (the 350 real members, the 1,748 practices),
adds a submitted report for N members (benchmark texts, not data), then prints p50/p95 in milliseconds and
the queries per request. The budget is p95 ≤ 300 ms; the board's query count must not grow with reports.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, print_header, scratch_database_with_real_data

BUDGET_MS = 300


def add_reports(count: int) -> None:
    from ccx.cities.models import City
    from ccx.monitoring.models import Report, ReportStatus

    cities = list(City.objects.members().exclude(designation_year=None).order_by("pk")[:count])
    Report.objects.bulk_create(
        Report(
            city=city,
            due_year=city.designation_year + 4,  # type: ignore[operator]
            period_start=city.designation_year,  # type: ignore[arg-type]
            period_end=city.designation_year + 4,  # type: ignore[operator]
            status=ReportStatus.SUBMITTED,
            contribution="Benchmark text",
        )
        for city in cities
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reports", type=int, default=200)
    options = parser.parse_args()
    scratch_database_with_real_data()
    from django.test import Client

    from ccx.accounts.models import User
    from ccx.accounts.services import make_secretariat

    staff = User.objects.create_user("bench-staff", "bench@example.org", "x")
    make_secretariat(staff)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    print_header()
    worst = [measure("board, no report", lambda: client.get("/progress/board/"), options.repeat)]
    add_reports(options.reports)
    worst += [
        measure(f"board, {options.reports} submitted reports", lambda: client.get("/progress/board/"), options.repeat),
        measure("board as CSV", lambda: client.get("/progress/board/?format=csv"), options.repeat),
        measure("SDG coverage, all targets", lambda: client.get("/progress/glance/"), options.repeat),
        measure("ties between cities", lambda: client.get("/progress/glance/ties/"), options.repeat),
        measure("reports status API (350 members)", lambda: client.get("/api/v1/reports/status"), options.repeat),
        measure("a city's SDG page", lambda: client.get("/progress/cities/ashgabat-tm/sdg/"), options.repeat),
    ]
    verdict = "within" if max(worst) <= BUDGET_MS else "OVER"
    print(f"worst p95 {max(worst):.1f} ms: {verdict} the {BUDGET_MS} ms budget")


if __name__ == "__main__":
    main()
