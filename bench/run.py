"""Latency of the main pages and API lists with the real network and practice library (in-process).

Usage: make bench   (or: CCX_DEBUG=true .venv/bin/python bench/run.py [--repeat N])
Loads the bundled data into a scratch SQLite database under a temporary folder, then prints p50/p95 in
milliseconds for each URL and the number of SQL queries per request.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

URLS = [
    "/",
    "/cities/",
    "/cities/?field=music&region=EU",
    "/cities/?q=gr&sort=-year",
    "/cities/ashgabat-tm/",
    "/cities/export.geojson",
    "/sdg/11/",
    "/api/v1/cities?field=gastronomy",
    "/api/v1/cities?limit=500",
    "/practices/",
    "/practices/?theme=heritage&region=EU",
    "/practices/?q=waste&sort=-start",
    "/practices/?page=40",
    "/api/v1/practices?sdg=11&limit=50",
    "/practices/feed.atom",
    "/practices/?q=waste+management",
    "/practices/?q=gestion+des+d%C3%A9chets&theme=environment",
    "/api/v1/search?q=%E5%9E%83%E5%9C%BE%E7%AE%A1%E7%90%86",
    "/practices/find-solutions/?text=Our+historic+centre+loses+its+craftspeople+and+young+people+leave",
]
POSTS = [
    (
        "/api/v1/match",
        '{"text": "Our streets flood after every storm and the drains are blocked by waste", "city": "gangneung-kr"}',
    ),
    ("/api/v1/sdg/suggest", '{"text": "Safe drinking water and sanitation for every household"}'),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    arguments = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="ccx-bench-")
    os.environ.setdefault("CCX_DEBUG", "true")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("setup", no_progress=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"setup (countries, members, SDGs, 1,748 practices): {time.perf_counter() - started:.1f} s")
    from ccx.practices.models import Practice

    detail = Practice.objects.published().order_by("pk").first()
    if detail is not None:
        URLS.append(detail.get_absolute_url())
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'url':60} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for url in URLS:
        client.get(url)  # warm caches and templates
        timings = []
        for _ in range(arguments.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{url[:60]:60} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d}")
    for url, body in POSTS:
        client.post(url, body, content_type="application/json")
        timings = []
        for _ in range(arguments.repeat):
            start = time.perf_counter()
            response = client.post(url, body, content_type="application/json")
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.post(url, body, content_type="application/json")
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"POST {url[:55]:55} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
