"""p95 latency of `/api/v1/search` on the bundled library (1,748 practices), queries in six languages.

Usage: CCX_DEBUG=true .venv/bin/python bench/search_api_latency.py [--repeat N]
Loads the bundled data into a scratch SQLite database (as bench/run.py does), warms the index and the
encoder, then times each query (in-process Django test client, so no network) and prints p50/p95 per query
and over the whole mix. The mix holds the same needs written in English, French, Spanish, Chinese, Arabic and
Russian, short and long. Recorded figures are in bench/README.md ("Search API latency").
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("CCX_RATE_LIMITS", "false")  # a benchmark is one client asking hundreds of times

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
    parser.add_argument(
        "--compare-language-rules",
        action="store_true",
        help="time every request with the engine's language rules off and on, alternately (an A/B under equal load)",
    )
    parser.add_argument(
        "--compare-translation",
        action="store_true",
        help="time every request without and with query translation (issue 11's lexicon), alternately",
    )
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
    if arguments.compare_language_rules:
        compare(client, live_index.current(), arguments.repeat)
        return
    if arguments.compare_translation:
        engine = live_index.current()
        lexicon = engine.lexicon
        print(f"lexicon: {len(lexicon) if lexicon is not None else 0} English terms")
        compare(
            client,
            engine,
            arguments.repeat,
            {"translation off": ("lexicon", None), "translation on": ("lexicon", lexicon)},
        )
        return
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


def compare(client: object, engine: object, repeat: int, variants: dict[str, tuple[str, object]] | None = None) -> None:
    """p50/p95 over the whole mix, the engine's language rules off (as before issue 11) and on, alternating; or
    the ``variants`` given (name -> engine attribute and its value)."""
    config = engine.config  # type: ignore[attr-defined]
    if variants is None:
        variants = {
            "language rules off": ("config", replace(config, language_rules=False)),
            "language rules on": ("config", config),
        }
    saved = {attribute: getattr(engine, attribute) for attribute, _value in variants.values()}
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(repeat + 1):
        for query in QUERIES:
            url = "/api/v1/search?" + urlencode({"q": query})
            for name, (attribute, value) in variants.items():
                setattr(engine, attribute, value)
                start = time.perf_counter()
                response = client.get(url)  # type: ignore[attr-defined]
                if round_number:  # the first round warms caches
                    timings[name].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (query, response.status_code)
    for attribute, value in saved.items():
        setattr(engine, attribute, value)
    for name, samples in timings.items():
        samples.sort()
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
        print(f"{name:20} {len(samples)} requests: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
