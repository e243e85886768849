"""What reading languages costs the engine at 100k documents: the same index searched with and without
language rules (issue 11), in one process, so that machine load affects both alike.

Usage: CCX_DEBUG=true .venv/bin/python bench/search_language_overhead.py [--size 100000] [--queries 200]
       [--translation | --statistics]

The index is synthetic: documents recombine the term counts and passage vectors of the real cases already
embedded in var/eval (see search_multilingual.py), with Gaussian noise on the vectors, each tagged with the
detected language of the case it copies. Queries are the multilingual dev set (six languages), embedded once
(cached); times exclude query embedding and include language detection. Prints p50/p95 per configuration,
alternating the configurations query by query.
"""

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CCX_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")

HERE = Path(__file__).resolve().parent / "multilingual"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--eval-dir", type=Path, default=Path("/work/shared/eval"))
    parser.add_argument(
        "--translation",
        action="store_true",
        help="compare without and with query translation (the lexicon of the real cases; word vectors cached)",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="compare without and with each language's own statistics (EngineConfig.language_statistics), both "
        "with query translation",
    )
    arguments = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    from ccx.search.artefacts import DocumentArtefacts, EngineConfig
    from ccx.search.engine import Engine
    from ccx.search.evaluation import CachedEncoder, ScratchStore, build_engine, learn_boilerplate, read_jsonl

    records = read_jsonl(arguments.eval_dir / "cases_corpus.jsonl.gz")
    store = ScratchStore(Path(settings.VAR_DIR) / "eval" / "cases_corpus.jsonl.gz.sqlite3")
    real, _timings = build_engine(records, store, EngineConfig(), learn_boilerplate(records), cached_or=set())
    print(f"real cases available: {real.size}")
    rng = random.Random(arguments.size)  # noqa: S311
    noise = np.random.default_rng(arguments.size)
    artefacts = []
    for i in range(arguments.size):
        slot = rng.randrange(real.size)
        start, count = int(real.pstart[slot]), int(real.pcount[slot])
        vectors = real.pvecs[start : start + count].astype(np.float32)
        vectors += noise.normal(0.0, 0.02, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        terms = {
            "body": {real.term_of[t]: int(f) for t, f in zip(real.doc_terms[slot], real.doc_tf[slot], strict=True)}
        }
        artefacts.append(DocumentArtefacts(f"syn-{i}", real.languages[slot], terms, [], vectors.astype(np.float16)))
    engine = Engine.from_artefacts(None, artefacts, real.config, real.boilerplate)
    del artefacts
    encoder = CachedEncoder(real.encoder, Path(settings.VAR_DIR) / "eval" / "query-vectors.sqlite3")
    queries = rng.sample(read_jsonl(HERE / "queries.jsonl"), arguments.queries)
    real.encoder = encoder
    vectors = [real.encode_query(q["text"]) for q in queries]
    configs = {
        "without language rules": replace(real.config, language_rules=False, dense_content_words=False),
        "with language rules": real.config,
    }
    lexicons = dict.fromkeys(configs, None)
    if arguments.translation:  # both with language rules; times include translating (cached word vectors)
        configs = {"without translation": real.config, "with translation": real.config}
        lexicons = {"without translation": None, "with translation": real.lexicon}
        engine.encoder = encoder
    if arguments.statistics:
        configs = {
            "index-wide statistics": replace(real.config, language_statistics=False),
            "each language's statistics": real.config,
        }
        lexicons = dict.fromkeys(configs, real.lexicon)
        engine.encoder = encoder
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _round in range(2):  # the first round warms caches
        for name in times:
            times[name].clear()
        for query, vector in zip(queries, vectors, strict=True):
            for name, config in configs.items():
                engine.config = config
                engine.lexicon = lexicons[name]
                started = time.perf_counter()
                engine.search(query["text"], k=10, qvec=vector)
                times[name].append(time.perf_counter() - started)
    print(f"{engine.size:,} documents, {len(queries)} queries in six languages")
    for name, samples in times.items():
        p50, p95 = np.percentile(np.array(samples) * 1000, [50, 95])
        print(f"{name:26} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
