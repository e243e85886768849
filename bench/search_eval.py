"""The search engine on the four dev tasks of shared/eval, in hybrid, BM25-only and dense-only modes.

Usage: CCX_DEBUG=true .venv/bin/python bench/search_eval.py [--eval-dir ../shared/eval]
Uses the same code as `ccx eval-search` (ccx/search/evaluation.py) and its scratch artefact databases under
var/eval/, so after a first run (about 3 minutes of embedding) it takes seconds.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CCX_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")

TASKS = [
    ("challenge", "cases_corpus.jsonl.gz", "challenge"),
    ("summary", "cases_corpus.jsonl.gz", "tweet"),
    ("sdg-targets", "sdg_targets_corpus.jsonl", "sdg_xling"),
    ("sdg-indicators", "sdg_indicators_corpus.jsonl", "sdg_indicators_xling"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    arguments = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    from ccx.search.artefacts import EngineConfig
    from ccx.search.evaluation import (
        ScratchStore,
        build_engine,
        learn_boilerplate,
        read_jsonl,
        read_qrels,
        run_queries,
        score,
    )

    print(f"{'task':16} {'mode':7} {'MRR@10':>7} {'R@10':>7} {'S@1':>7}")
    engines = {}
    for label, corpus_name, prefix in TASKS:
        corpus = arguments.eval_dir / corpus_name
        if corpus_name not in engines:
            records = read_jsonl(corpus)
            store = ScratchStore(Path(settings.VAR_DIR) / "eval" / f"{corpus_name}.sqlite3")
            engines[corpus_name] = build_engine(records, store, EngineConfig(), learn_boilerplate(records))[0]
        queries = read_jsonl(arguments.eval_dir / "dev" / f"{prefix}_queries.jsonl")
        qrels = read_qrels(arguments.eval_dir / "dev" / f"{prefix}_qrels.tsv")
        for mode in ("bm25", "dense", "hybrid"):
            metrics = score(run_queries(engines[corpus_name], queries, mode), qrels)
            print(
                f"{label:16} {mode:7} {metrics['mrr@10']:7.4f} {metrics['recall@10']:7.4f} {metrics['success@1']:7.4f}"
            )


if __name__ == "__main__":
    main()
