"""Throughput of the anonymous pages under load, side by side with a bare Django view, in one run.

    .venv/bin/python bench/pages.py [--quick] [--seconds 20] [--connections 32] [--port 8180]
        [--database-url postgres://…] [--redis redis://127.0.0.1:6379/8] [--scratch DIR]

Prerequisites: Debian's `wrk` (`apt-get install -y wrk`); Redis (the shared cache, as in production; the
given database is emptied first). Loads the real data (`ccx setup`) into a scratch
SQLite database (or the PostgreSQL database given), starts the production server (`gunicorn ccx.wsgi -w 2`,
sync workers, DEBUG off) and, on the next port, a ten-line Django project that this script writes: one view
that returns "hello", the framework's ceiling on this machine. Then wrk (32 connections, 20 s after a 3 s
warm-up) on each page, the bare view measured before, between and after the pages (its mean is the
denominator), and two mixes that a Lua script draws at random per request: the library with a query and
facets, and /api/v1/search, over 60 queries in seven languages and varied filters, so that a cache of single
pages cannot flatter the figure. Prints requests/s, p99, errors and the ratio to the bare view.
Targets (issue 17): single pages ≥ 0.25 of the bare view with p99 ≤ 100 ms; the two mixes ≥ 0.05 with
p99 ≤ 150 ms; the programme page ≥ 0.14.
"""

import argparse
import atexit
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import ROOT, Load, ccx, fetch, gunicorn, prepare_site, production_env, wait_until_up, wrk

BARE_PROJECT = '''"""The bare Django view: the framework's ceiling, for comparison."""
from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bare"
urlpatterns = [path("", lambda request: HttpResponse("hello"))]
'''

# Searches people type, in the languages of the network: English, French, Chinese, Spanish, Arabic, Russian,
# Portuguese, German and Korean; short and long, with and without accents.
QUERIES = [
    "housing",
    "affordable housing",
    "waste",
    "waste management",
    "recycling plastic",
    "heritage",
    "historic centre",
    "street food",
    "food market",
    "music festival",
    "craft",
    "crafts and young people",
    "design week",
    "public space",
    "urban garden",
    "digital skills",
    "open data",
    "film",
    "literature festival",
    "library",
    "tourism",
    "cultural tourism",
    "climate adaptation",
    "flood",
    "water",
    "river restoration",
    "mobility",
    "bicycle",
    "children",
    "women entrepreneurs",
    "migrants inclusion",
    "elderly",
    "creative economy",
    "gestion des déchets",
    "patrimoine",
    "logement",
    "jardin partagé",
    "musique",
    "artisanat",
    "économie circulaire",
    "垃圾管理",
    "文化遗产",
    "城市更新",
    "音乐节",
    "手工艺",
    "创意产业",
    "gestión de residuos",
    "patrimonio cultural",
    "vivienda",
    "gastronomía",
    "turismo sostenible",
    "إدارة النفايات",
    "التراث الثقافي",
    "السياحة",
    "утилизация отходов",
    "культурное наследие",
    "туризм",
    "patrimônio",
    "Kulturerbe",
    "문화유산",
]
PAGES = ["/", "/cities/", "/practices/", "/practices/?q=housing", "/challenges/", "/api/v1/practices?limit=20",
         "/api/v1/cities?limit=50", "/api/v1/challenges"]  # fmt: skip

FACET_VALUES = """
import json
from ccx.cities.models import CreativeField
from ccx.events.models import Event
from ccx.practices.models import Practice, Theme
print(json.dumps({
    "themes": list(Theme.objects.values_list("slug", flat=True)),
    "fields": list(CreativeField.objects.values_list("slug", flat=True)),
    "city": Practice.objects.published().exclude(lead_city=None).first().lead_city.get_absolute_url(),
    "practice": Practice.objects.published().order_by("pk").first().get_absolute_url(),
    "programme": f"/events/{Event.objects.filter(is_published=True).order_by('pk').first().slug}/programme/",
}))
"""


mix_paths: dict[str, list[str]] = {}  # the addresses of each mix, by its label


def mixes(scratch: Path, facets: dict[str, list[str]], variants: int, seed: int = 17) -> dict[str, tuple[Path, str]]:
    """Two wrk scripts that pick one of many URLs at random per request (library with q, API search)."""
    rng = random.Random(seed)  # noqa: S311 - a benchmark's mix
    from urllib.parse import urlencode

    library, api = [], []
    for query in QUERIES:
        for _variant in range(variants):
            params: list[tuple[str, str]] = [("q", query)]
            if rng.random() < 0.5:
                params.append(("theme", rng.choice(facets["themes"])))
            if rng.random() < 0.4:
                params.append(("region", rng.choice(["EU", "AS", "AF", "NA", "SA", "OC"])))
            if rng.random() < 0.3:
                params.append(("sdg", str(rng.randint(1, 17))))
            if rng.random() < 0.2:
                params.append(("field", rng.choice(facets["fields"])))
            prefix = rng.choice(["", "", "/fr", "/zh-hans"])
            library.append(f"{prefix}/practices/?{urlencode(params)}")
            api.append(f"/api/v1/search?{urlencode(params)}")
    scripts = {}
    for name, paths in (("library mix", library), ("api search mix", api)):
        path = scratch / f"{name.replace(' ', '-')}.lua"
        listed = ",\n".join(json.dumps(p) for p in sorted(set(paths)))
        path.write_text(
            f"local paths = {{\n{listed}\n}}\n"
            "math.randomseed(os.time())\n"
            "request = function()\n  return wrk.format(nil, paths[math.random(#paths)])\nend\n",
            encoding="utf-8",
        )
        scripts[name] = (path, paths[0])
        mix_paths[name] = paths
        print(f"{name}: {len(set(paths))} different URLs, {len(QUERIES)} queries", flush=True)
    return scripts


def first_requests(addresses: int, before: int, after: int) -> float:
    """Expected number of addresses first requested between the `before`th and the `after`th request of a mix
    that draws uniformly among `addresses`: the pages that the cache could not have kept yet."""

    def distinct(draws: int) -> float:
        return addresses * (1 - (1 - 1 / addresses) ** draws)

    return distinct(after) - distinct(before)


def first_searches(base: str, workers: int) -> None:
    """The first searches after a (re)start, one per worker at least, each with a query not seen before."""
    timings = []
    for query in ("bamboo weaving", "酿酒 传统", "festival de cine", "port cranes", "tea house", "ceramic kilns"):
        started = time.perf_counter()
        status, _body = fetch(f"{base}/api/v1/search?q={quote(query)}")
        timings.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
    print(f"first searches after the start ({workers} workers): " + ", ".join(f"{t:.0f}" for t in timings) + " ms")


def report(rows: list[tuple[str, Load]], bare: float) -> None:
    print(f"\n{'page':<44} {'req/s':>8} {'p99 ms':>8} {'errors':>7} {'× bare':>7}")
    for label, load in rows:
        ratio = load.requests_per_second / bare if bare else 0.0
        print(f"{label[:44]:<44} {load.requests_per_second:8.0f} {load.p99_ms:8.1f} {load.errors:7d} {ratio:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8180, help="the site; the bare view uses the next port")
    parser.add_argument("--quick", action="store_true", help="5 s per measurement instead of 20")
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of a scratch SQLite file")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8", help="the shared cache (emptied); '' for none")
    parser.add_argument("--scratch", type=Path, help="keep the scratch folder (database) here, reuse it next time")
    parser.add_argument("--variants", type=int, default=30, help="filter combinations drawn per query in the mixes")
    parser.add_argument("--only", nargs="*", default=None, help="measure only pages whose label contains one of these")
    options = parser.parse_args()
    seconds = 5 if options.quick else options.seconds
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    scratch = options.scratch or Path(tempfile.mkdtemp(prefix="ccx-bench-pages-"))
    scratch.mkdir(parents=True, exist_ok=True)
    if options.scratch is None:
        atexit.register(shutil.rmtree, scratch, True)
    extra = {"DATABASE_URL": options.database_url} if options.database_url else {}
    if options.redis:
        import redis

        redis.Redis.from_url(options.redis).flushdb()
        extra["CCX_CACHE_URL"] = options.redis
    env = production_env(scratch, **extra)
    reused = options.scratch is not None and not options.database_url and (scratch / "ccx.sqlite3").exists()
    prepare_site(env, load_data=not reused)  # a kept scratch database has its data already
    facets = json.loads(ccx(env, "shell", "-c", FACET_VALUES).strip().splitlines()[-1])
    pages = {label: label for label in PAGES}
    pages |= {"city page": facets["city"], "practice page": facets["practice"], "programme": facets["programme"]}
    scripts = mixes(scratch, facets, options.variants)

    bare_dir = scratch / "bare"
    bare_dir.mkdir(exist_ok=True)
    (bare_dir / "bare.py").write_text(BARE_PROJECT)
    bare_env = {"PATH": env["PATH"], "PYTHONPATH": str(bare_dir), "DJANGO_SETTINGS_MODULE": "bare"}
    site = gunicorn(env, options.port, workers=options.workers, extra=["--preload"])
    bare = gunicorn(bare_env, options.port + 1, workers=options.workers, app="django.core.wsgi:get_wsgi_application()")
    atexit.register(site.stop)
    atexit.register(bare.stop)
    wait_until_up(site.base + "/")
    wait_until_up(bare.base + "/")
    first_searches(site.base, options.workers)

    rows: list[tuple[str, Load]] = []
    bare_runs: list[float] = []

    def measure_bare() -> None:
        wrk(bare.base + "/", connections=options.connections, seconds=3)
        load = wrk(bare.base + "/", connections=options.connections, seconds=seconds)
        bare_runs.append(load.requests_per_second)
        rows.append(("bare Django view", load))

    def wanted(label: str) -> bool:
        return options.only is None or any(word in label for word in options.only)

    started = time.perf_counter()
    measure_bare()
    targets: list[tuple[str, str, Path | None]] = [(label, path, None) for label, path in pages.items()]
    targets += [(name, first, script) for name, (script, first) in scripts.items()]
    for n, (label, path, script) in enumerate(targets):
        if not wanted(label):
            continue
        status, _body = fetch(site.base + path, timeout=180)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        warm = wrk(site.base + path, connections=options.connections, seconds=3, script=script)  # warm-up
        load = wrk(site.base + path, connections=options.connections, seconds=seconds, script=script)
        rows.append((label, load))
        note = ""
        if script is not None:
            addresses = len(set(mix_paths[label]))
            misses = first_requests(addresses, warm.requests + 1, warm.requests + load.requests + 1)
            note = f" (~{misses / max(load.requests, 1):.0%} of them the first request of their address: a cache miss)"
        print(f"  {label}: {load.requests_per_second:.0f} req/s, p99 {load.p99_ms:.0f} ms{note}", flush=True)
        if n == len(targets) // 2:
            measure_bare()
    measure_bare()
    mean_bare = sum(bare_runs) / len(bare_runs)
    print(
        f"\nwrk {options.connections} connections, {seconds} s each after 3 s of warm-up; gunicorn -w "
        f"{options.workers} (sync), DEBUG off; bare view mean {mean_bare:.0f} req/s over {len(bare_runs)} runs; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    report(rows, mean_bare)
    print(f"(server {ROOT}, database {options.database_url or 'SQLite in ' + str(scratch)})")


if __name__ == "__main__":
    main()
