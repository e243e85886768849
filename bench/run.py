"""Latency of the main pages and API lists with the real network and practice library (in-process).

Usage: make bench   (or: CCX_DEBUG=true .venv/bin/python bench/run.py [--repeat N])
Loads the bundled data into a scratch SQLite database under a temporary folder, then prints p50/p95 in
milliseconds for each URL and the number of SQL queries per request.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, print_header, scratch_database_with_real_data

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
    scratch_database_with_real_data()
    from django.test import Client

    from ccx.practices.models import Practice

    detail = Practice.objects.published().order_by("pk").first()
    if detail is not None:
        URLS.append(detail.get_absolute_url())
    client = Client(HTTP_HOST="127.0.0.1")
    print_header()
    for url in URLS:
        measure(url, lambda url=url: client.get(url), arguments.repeat)
    for url, body in POSTS:
        measure(
            f"POST {url}",
            lambda url=url, body=body: client.post(url, body, content_type="application/json"),
            arguments.repeat,
        )


if __name__ == "__main__":
    main()
