"""Latency, build throughput and memory of ccx.search on synthetic 10k / 100k-document indexes.

Usage: .venv/bin/python bench/search_latency.py [--sizes 10000 100000] [--queries 200]

Synthetic documents recombine the real cases corpus (/work/shared/eval): each one borrows the title and the
length (in sentences) of a random real record and draws that many sentences at random from the whole corpus,
so vocabulary, term statistics and document lengths stay realistic.  Embedding 100k documents for real would
take hours on 2 cores, so a synthetic document reuses the cached passage vectors of the real record it
mimics (search_eval.py's cache) plus Gaussian noise (sigma = 0.02 per dimension, re-normalised), stored as float16
like real ones.  Queries are the real dev challenge statements and summaries, embedded once up front: search
latency excludes query embedding, which is reported separately.
Prints p50/p95 search latency (hybrid and BM25-only, with and without an ``allowed`` mask of 10% of the
documents), the time to rebuild the index from stored artefacts, the real build throughput (analyse + embed +
index of 200 real records), the index's bytes per document, and peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CCX_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
os.environ.setdefault("CCX_ENCODER_THREADS", "2")  # alone on the machine: both cores

import django

django.setup()

from django.conf import settings  # noqa: E402

from ccx.search.artefacts import Document as SearchDocument  # noqa: E402
from ccx.search.artefacts import DocumentArtefacts, EngineConfig  # noqa: E402
from ccx.search.engine import Engine  # noqa: E402
from ccx.search.evaluation import ScratchStore, build_engine, learn_boilerplate, read_jsonl  # noqa: E402
from ccx.search.index import encoder  # noqa: E402
from ccx.search.text import tokenize  # noqa: E402

# shared/eval beside the checkout (or beside the folder of worktrees); --eval-dir names another place
EVAL_DIR = next(
    (p / "shared" / "eval" for p in Path(__file__).resolve().parents[1:4] if (p / "shared" / "eval").is_dir()),
    Path("shared/eval"),
)

SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def index_bytes(engine: Engine) -> int:
    """Memory held by the index's arrays (postings, per-document terms, vectors), excluding Python dicts."""
    arrays: list[Any] = [
        engine._indptr,
        engine._post_doc,
        engine._post_tf,
        engine.df,
        engine.length,
        engine.alive,
        engine.doc_vecs,
        engine.pvecs[: engine._pused],
        engine.pstart,
        engine.pcount,
    ]
    per_doc = sum(t.nbytes + f.nbytes for t, f in zip(engine.doc_terms, engine.doc_tf, strict=True))
    return int(sum(a.nbytes for a in arrays) + per_doc)


def synthetic(engine: Engine, records: list[dict[str, Any]], n: int, seed: int) -> list[DocumentArtefacts]:
    rng = random.Random(seed)  # noqa: S311
    noise = np.random.default_rng(seed)
    cleaned = [engine.boilerplate.clean(r["text"]) for r in records]
    sentences = [s for text in cleaned for s in SENTENCE.split(text) if s.strip()]
    shapes = [max(1, len(SENTENCE.split(text))) for text in cleaned]
    out = []
    for i in range(n):
        source = rng.randrange(len(records))
        body = " ".join(rng.choice(sentences) for _ in range(min(shapes[source], 400)))
        title = records[source].get("title", "")
        slot = engine.slot_of[records[source]["id"]]
        start, count = int(engine.pstart[slot]), int(engine.pcount[slot])
        vectors = engine.pvecs[start : start + count].astype(np.float32)
        vectors += noise.normal(0.0, 0.02, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        terms = {"title": dict(_counts(title)), "body": dict(_counts(body))}
        out.append(DocumentArtefacts(f"syn-{i}", "", terms, [], vectors.astype(np.float16)))
    return out


def _counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for term in tokenize(text):
        counts[term] = counts.get(term, 0) + 1
    return counts


def percentiles(samples: list[float]) -> str:
    p50, p95 = np.percentile(np.array(samples) * 1000, [50, 95])
    return f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"


def exact_scan_floor(size: int, qvecs: np.ndarray, picked: list[int]) -> list[float]:
    """The floor any dense search must be judged against: one matrix-vector product over every document vector
    in float32 and a top-10 selection, measured in the same run as the engine (same machine load)."""
    matrix = np.random.default_rng(size).standard_normal((size, qvecs.shape[1]), dtype=np.float32)
    times = []
    for i in picked:
        t0 = time.perf_counter()
        scores = matrix @ qvecs[i].astype(np.float32)
        top = np.argpartition(-scores, 10)[:10]
        top[np.argsort(-scores[top])]
        times.append(time.perf_counter() - t0)
    del matrix
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    arguments = parser.parse_args()
    corpus = arguments.eval_dir / "cases_corpus.jsonl.gz"
    records = read_jsonl(corpus)
    store = ScratchStore(Path(settings.VAR_DIR) / "eval" / f"{corpus.name}.sqlite3")  # shared with search_eval.py
    real = build_engine(records, store, EngineConfig(), learn_boilerplate(records))[0]  # embeds once, then cached
    queries: list[dict[str, Any]] = []
    vectors = []
    for prefix in ("challenge", "tweet"):
        batch = read_jsonl(arguments.eval_dir / "dev" / f"{prefix}_queries.jsonl")
        queries += batch
        vectors.append(np.stack([real.encode_query(q["text"]) for q in batch]))
    qvecs = np.concatenate(vectors)
    picked = random.Random(1).sample(range(len(queries)), min(arguments.queries, len(queries)))  # noqa: S311
    print(f"RSS after loading the real corpus and its cached vectors: {current_rss_mb():.0f} MB")

    for size in arguments.sizes:
        started = time.perf_counter()
        artefacts = synthetic(real, records, size, seed=size)
        made = time.perf_counter() - started
        stored = [a.to_record() for a in artefacts]
        del artefacts
        started = time.perf_counter()
        engine = Engine.from_artefacts(
            None, [DocumentArtefacts.from_record(r) for r in stored], real.config, real.boilerplate
        )
        load = time.perf_counter() - started
        del stored
        gc.collect()
        passages = engine._pused / engine.size
        print(f"\n== {size:,} synthetic documents (made in {made:.1f} s, {passages:.2f} passages/doc)")
        print(
            f"rebuild from stored artefacts: {load:.2f} s; index arrays {index_bytes(engine) / size:,.0f} bytes/doc "
            f"({index_bytes(engine) / 2**20:.0f} MB); RSS now {current_rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB "
            "(the peak includes the benchmark's own copies of the stored artefacts)"
        )
        floor = exact_scan_floor(size, qvecs, picked)
        print(f"exact scan floor ({size:,} x 512 float32 @ query, top 10) {percentiles(floor)}")
        mask = np.zeros(len(engine.slot_ids), dtype=bool)
        mask[np.random.default_rng(0).choice(len(mask), size=len(mask) // 10, replace=False)] = True
        for mode in ("bm25", "hybrid"):
            for label, allowed in (("all docs", None), ("10% allowed", mask)):
                for i in picked[:10]:  # warm-up
                    engine.search(queries[i]["text"], k=10, allowed=allowed, mode=mode, qvec=qvecs[i])
                times = []
                for i in picked:
                    t0 = time.perf_counter()
                    engine.search(queries[i]["text"], k=10, allowed=allowed, mode=mode, qvec=qvecs[i])
                    times.append(time.perf_counter() - t0)
                print(f"search {mode:<6} {label:<12} {percentiles(times)}")
        del engine

    sample = random.Random(2).sample(records, 200)  # noqa: S311
    docs = [
        SearchDocument(r["id"], {"title": r.get("title", ""), "body": r["text"]}, r.get("lang", "")) for r in sample
    ]
    model = encoder()
    model.encode(["warm-up"])
    engine = Engine(model, real.config, real.boilerplate)
    started = time.perf_counter()
    engine.add(docs)
    seconds = time.perf_counter() - started
    print(
        f"\nreal build (analyse + embed + index) of 200 records: {seconds:.1f} s = {200 / seconds:.1f} docs/s, "
        f"{engine._pused / 200:.2f} passages/doc"
    )
    times = []
    for q in [queries[i]["text"] for i in picked[:50]]:
        t0 = time.perf_counter()
        model.encode([q])
        times.append(time.perf_counter() - t0)
    print(f"query embedding (USE, one query): {percentiles(times)}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
