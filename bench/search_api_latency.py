"""p95 latency of `/api/v1/search` on the bundled library (1,748 practices), queries in six languages.

Usage: CCX_DEBUG=true .venv/bin/python bench/search_api_latency.py [--repeat N]
Loads the bundled data into a scratch SQLite database (as bench/run.py does), warms the index and the
encoder, then times each query (in-process Django test client, so no network) and prints p50/p95 per query
and over the whole mix. The mix holds the same needs written in English, French, Spanish, Chinese, Arabic and
Russian, short and long. Recorded figures are in bench/README.md ("Search API latency").
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, print_header, scratch_database_with_real_data

QUERIES = [
    "reduce traffic congestion in the city centre",
    "réduire les embouteillages dans le centre-ville",
    "reducir la congestión del tráfico en el centro de la ciudad",
    "减少市中心交通拥堵",
    "الحد من الازدحام المروري في وسط المدينة",
    "сократить пробки в центре города",
    "waste management",
    "gestion des déchets ménagers et recyclage",
    "gestión de residuos sólidos",
    "垃圾管理",
    "إدارة النفايات",
    "утилизация отходов",
    "Our historic centre loses its craftspeople and young people leave for the capital",
    "Notre centre historique perd ses artisans et les jeunes partent vers la capitale",
    "Nuestro centro histórico pierde a sus artesanos y los jóvenes se van a la capital",
    "我们的历史中心正在失去手工艺人，年轻人纷纷前往首都",
    "يفقد مركزنا التاريخي حرفييه ويغادر الشباب إلى العاصمة",
    "Наш исторический центр теряет ремесленников, а молодёжь уезжает в столицу",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    scratch_database_with_real_data()
    from django.test import Client

    from ccx.practices.models import Practice
    from ccx.search.index import live_index

    started = time.perf_counter()
    live_index.current()
    count = Practice.objects.published().count()
    print(f"published practices: {count}; index load {time.perf_counter() - started:.1f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    print_header()
    p95s = []
    timings: list[float] = []
    for query in QUERIES:
        url = "/api/v1/search?" + urlencode({"q": query})

        def request(url: str = url) -> object:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            return response

        p95s.append(measure(query, request, arguments.repeat))
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"\nall {len(timings)} requests: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
