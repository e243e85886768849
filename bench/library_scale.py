"""Synthetic 20k and 100k-practice libraries made from the real records: index build time, memory of 1 and 4
workers, the first search after a restart, library and search latency, and search against the exact-scan floor.

    .venv/bin/python bench/library_scale.py [--sizes 20000 100000] [--scratch DIR] [--port 8172] [--workers 1 4]

The library: a scratch site (SQLite, DEBUG off, the shared search index on) with the real data (`ccx setup`),
grown to each size with practices made from the benchmark corpus (shared/eval/cases_corpus.jsonl.gz, 7,563
real cases): each synthetic practice takes the passages (its text), terms and cached passage vectors of a real
case (var/eval, as embedded for `ccx eval-search`); the second and later copies of a case are variants:
a tenth of its body terms dropped and Gaussian noise on its vectors (sigma 0.02 per dimension, re-normalised,
stored as float16). Nothing is embedded (that would take hours on 2 cores).

At each size: `ccx search-snapshot` (the index build: one process per machine), in-process search latency on
the mapped index (hybrid, the dev queries, query embedding excluded) against an exact numpy scan of
size x 512 float32 vectors measured in the same process right after; then `gunicorn ccx.wsgi --preload` with 1
and with 4 workers: the time from start to the first answer, the first search of each worker, RSS and PSS
summed over master and workers (PSS splits each shared page between the processes that map it: what the
machine spends) after every worker has searched, and with 1 worker the sequential latency of /api/v1/search,
the library with a query and the library without one, over 60 queries in several languages.
Targets (issue 17): 4 workers' PSS <= 2x one worker's; search p95 <= 3x the floor; first search <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import memory_mb
from pages import QUERIES
from servers import BIN, ROOT, fetch, gunicorn, prepare_site, production_env, wait_until_up

EVAL = ROOT.parent.parent / "shared" / "eval" if (ROOT.parent.parent / "shared").is_dir() else Path("/work/shared/eval")
STORE = ROOT / "var" / "eval" / "cases_corpus.jsonl.gz.sqlite3"
QUERY_VECTORS = ROOT / "var" / "eval" / "query-vectors.sqlite3"
PREFIX = "syn-"


def percentiles(samples: list[float]) -> tuple[float, float]:
    p50, p95 = np.percentile(np.array(samples) * 1000, [50, 95])
    return float(p50), float(p95)


# ------------------------------------------------------------------ subcommands run inside the scratch site


def fill(size: int) -> None:
    """Grow the library to `size` published practices (and their search documents) from the corpus."""
    import django

    django.setup()
    from django.db import transaction

    from ccx.practices.models import Practice
    from ccx.search.index import MODEL_KEY
    from ccx.search.models import SearchDocument

    published = Practice.objects.published()
    have = published.count()
    if have >= size:
        print(json.dumps({"made": 0, "seconds": 0.0}))
        return
    started = time.perf_counter()
    template = published.exclude(lead_city=None).order_by("pk").first()
    assert template is not None
    store = sqlite3.connect(STORE)
    cached = [
        (json.loads(record), vectors) for record, vectors in store.execute("SELECT record, vectors FROM artefacts")
    ]
    rng = random.Random(size)  # noqa: S311
    noise = np.random.default_rng(size)
    made_before = Practice.objects.filter(slug__startswith=PREFIX).count()
    fields = {f.attname: getattr(template, f.attname) for f in Practice._meta.concrete_fields if not f.primary_key}
    batch_size = 1000
    n = made_before
    while have < size:
        count = min(batch_size, size - have)
        practices, documents = [], []
        for _ in range(count):
            artefacts, vectors = cached[n % len(cached)]
            copy = n // len(cached)
            passages = artefacts["passages"] or ["(no text)"]
            title = " ".join(passages[0].split()[:10])[:120]
            practice = Practice(**fields)
            practice.slug = f"{PREFIX}{n}"
            practice.title = f"{title} ({copy + 1})" if copy else title
            practice.summary = passages[0][:600]
            practice.description = "\n\n".join(passages)
            practice.tagline = ""
            practice.source_name, practice.source_id = "synthetic (bench/library_scale.py)", str(n)
            practices.append(practice)
            terms = artefacts["terms"]
            block = np.frombuffer(vectors, dtype="<f2").reshape(-1, 512)
            if copy:
                body_terms = {t: c for t, c in terms.get("body", {}).items() if rng.random() >= 0.1}
                terms = {**terms, "body": body_terms}
                noisy = block.astype(np.float32) + noise.normal(0.0, 0.02, block.shape).astype(np.float32)
                block = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
            documents.append(
                {
                    "checksum": "synthetic",
                    "model": MODEL_KEY,
                    "language": artefacts.get("language", ""),
                    "terms": terms,
                    "passages": artefacts["passages"],
                    "vectors": block.astype("<f2").tobytes(),
                }
            )
            n += 1
        with transaction.atomic():
            created = Practice.objects.bulk_create(practices)
            SearchDocument.objects.bulk_create(
                SearchDocument(practice=practice, **document)
                for practice, document in zip(created, documents, strict=True)
            )
        have += count
    print(json.dumps({"made": n - made_before, "seconds": round(time.perf_counter() - started, 1)}))


def engine_latency(queries: int) -> None:
    """Search latency on the mapped index (the dev queries, embedded up front) and the exact-scan floor."""
    import django

    django.setup()
    from ccx.search import snapshot
    from ccx.search.evaluation import CachedEncoder, read_jsonl
    from ccx.search.index import CONFIG, SNAPSHOT_KEY, encoder, snapshot_root

    opened = snapshot.open_engine(snapshot_root(), SNAPSHOT_KEY, None, CONFIG)
    assert opened is not None
    engine = opened[0]
    texts = [q["text"] for name in ("challenge", "tweet") for q in read_jsonl(EVAL / "dev" / f"{name}_queries.jsonl")]
    picked = random.Random(1).sample(texts, min(queries, len(texts)))  # noqa: S311
    qvecs = CachedEncoder(encoder(), QUERY_VECTORS).encode(picked)
    languages = [engine.query_language(text) for text in picked]
    mask = np.zeros(len(engine.slot_ids), dtype=bool)
    mask[np.random.default_rng(0).choice(len(mask), size=len(mask) // 10, replace=False)] = True
    result: dict[str, Any] = {"size": engine.size}
    for label, allowed in (("hybrid", None), ("hybrid, 10% allowed", mask)):
        for i in range(10):
            engine.search(picked[i], k=10, allowed=allowed, qvec=qvecs[i], language=languages[i])
        times = []
        for i, text in enumerate(picked):
            started = time.perf_counter()
            engine.search(text, k=10, allowed=allowed, qvec=qvecs[i], language=languages[i])
            times.append(time.perf_counter() - started)
        result[label] = percentiles(times)
    matrix = np.random.default_rng(engine.size).standard_normal((engine.size, 512), dtype=np.float32)
    times = []
    for qvec in qvecs:
        started = time.perf_counter()
        scores = matrix @ qvec.astype(np.float32)
        top = np.argpartition(-scores, 10)[:10]
        top[np.argsort(-scores[top])]
        times.append(time.perf_counter() - started)
    result["exact scan floor"] = percentiles(times)
    print(json.dumps(result))


# ------------------------------------------------------------------ the benchmark


def subcommand(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:  # say why: a missing vector store (var/eval) is the usual reason
        raise SystemExit(f"library_scale.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def sequential(base: str, paths: list[str]) -> tuple[float, float, int]:
    times, errors = [], 0
    for path in paths:
        started = time.perf_counter()
        status, _body = fetch(base + path)
        times.append(time.perf_counter() - started)
        errors += status != 200
    p50, p95 = percentiles(times)
    return p50, p95, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--port", type=int, default=8172)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scratch", type=Path, help="keep the scratch site here (reused: the library only grows)")
    options = parser.parse_args()
    scratch = options.scratch or Path(tempfile.mkdtemp(prefix="ccx-bench-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    env = production_env(scratch, CCX_SEARCH_SHARED_INDEX="true", CCX_ENCODER_THREADS="1")
    prepare_site(env, load_data=not (scratch / "ccx.sqlite3").exists())
    print(f"load average at the start: {os.getloadavg()}", flush=True)
    rows = []
    for size in options.sizes:
        filled = subcommand(env, "fill", str(size))
        print(f"\n== {size:,} practices (made {filled['made']:,} synthetic ones in {filled['seconds']} s)", flush=True)
        shutil.rmtree(scratch / "search-index", ignore_errors=True)
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run([str(BIN / "ccx"), "search-snapshot"], env=env, cwd=ROOT, check=True, capture_output=True)
        build = time.perf_counter() - started
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        current = scratch / "search-index" / os.readlink(scratch / "search-index" / "current")
        on_disk = sum(path.stat().st_size for path in current.iterdir()) / 2**20
        print(f"index build (ccx search-snapshot): {build:.1f} s, {on_disk:.0f} MB on disk; peak RSS {peak:.0f} MB")
        engine = subcommand(env, "engine", str(options.queries))
        floor = engine["exact scan floor"]
        for label in ("hybrid", "hybrid, 10% allowed", "exact scan floor"):
            p50, p95 = engine[label]
            print(
                f"in-process {label:<22} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (p95 / floor p95 {p95 / floor[1]:.2f})"
            )
        memory = {}
        for workers in options.workers:
            started = time.perf_counter()
            server = gunicorn(env, options.port, workers=workers, extra=["--preload", "--timeout", "120"])
            try:
                wait_until_up(server.base + "/robots.txt", seconds=600)
                ready = time.perf_counter() - started
                first = []
                for n in range(workers * 2):
                    query = quote(f"{QUERIES[n % len(QUERIES)]} {n}")
                    t0 = time.perf_counter()
                    fetch(f"{server.base}/api/v1/search?q={query}")
                    first.append((time.perf_counter() - t0) * 1000)
                later = []  # the same number of searches for words no worker has seen: the same work, warm
                for n in range(workers * 2):
                    query = quote(f"{QUERIES[(n + 7) % len(QUERIES)]} later {n}")
                    t0 = time.perf_counter()
                    fetch(f"{server.base}/api/v1/search?q={query}")
                    later.append((time.perf_counter() - t0) * 1000)
                for n in range(100 * workers):
                    fetch(f"{server.base}/api/v1/search?q={quote(QUERIES[n % len(QUERIES)])}+w{n}")
                rss, pss = memory_mb(server.process.pid)
                memory[workers] = pss
                shown = ", ".join(f"{t:.0f}" for t in first)
                waited = float(np.median(first) - np.median(later))
                print(
                    f"{workers} worker(s): up in {ready:.1f} s; first searches {shown} ms "
                    f"(median {np.median(first):.0f}; "
                    f"then new words {np.median(later):.0f}: loading adds {waited:.0f} ms); "
                    f"RSS sum {rss:.0f} MB, PSS sum {pss:.0f} MB",
                    flush=True,
                )
                if workers == 1:
                    for label, template in (
                        ("/api/v1/search?q=", "/api/v1/search?q={q}&limit=20"),
                        ("library ?q=", "/practices/?q={q}"),
                        ("library (no q), pages", "/practices/?page={n}"),
                    ):
                        paths = [template.format(q=quote(f"{q} l{size}"), n=n + 1) for n, q in enumerate(QUERIES)]
                        p50, p95, errors = sequential(server.base, paths)
                        print(f"  {label:<24} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  errors {errors}", flush=True)
            finally:
                server.stop()
        if len(memory) > 1:
            most, least = max(memory), min(memory)
            ratio = memory[most] / memory[least]
            print(
                f"PSS {most} workers / {least}: {ratio:.2f} (target <= 2); per extra worker "
                f"{(memory[most] - memory[least]) / (most - least):.0f} MB"
            )
        rows.append((size, build, on_disk, memory))
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("fill", "engine"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
        sys.path.insert(0, str(ROOT))
        fill(int(sys.argv[2])) if sys.argv[1] == "fill" else engine_latency(int(sys.argv[2]))
    else:
        main()
