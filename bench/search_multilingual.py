"""The search engine on the multilingual dev set (bench/multilingual): MRR@10 and success@1 per language.

Usage: CCX_DEBUG=true .venv/bin/python bench/search_multilingual.py [--eval-dir /work/shared/eval]
       [--sets challenge summary city] [--write-runs DIR] [--examples N]

For each language, side by side in one run: the engine (hybrid), BM25 alone, the dense encoder alone, and the
per-query oracle of BM25 and dense (the better of the two ranks for each query: the headroom of any fusion).
The ratio column is the engine's MRR@10 over English's on the same needs. Then one line per language and set.
The corpus artefacts (passages and their vectors) are cached in var/eval/ by `ccx eval-search` and
bench/search_eval.py: the first run embeds the 7,563 cases (about 30 minutes on a busy 2-core machine), later
runs take about two minutes (query embedding and 4 x 780 searches). --write-runs writes a TSV run per language
and mode, which /work/shared/eval/score.py scores against that language's lines of bench/multilingual/qrels.tsv.
"""

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CCX_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")

HERE = Path(__file__).resolve().parent / "multilingual"
LANGUAGES = ("en", "fr", "es", "zh", "ar", "ru")
MODES = ("hybrid", "bm25", "dense")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", type=Path, default=Path("/work/shared/eval"))
    parser.add_argument("--sets", nargs="+", default=["challenge", "summary", "city"])
    parser.add_argument("--write-runs", type=Path)
    parser.add_argument(
        "--mapped",
        action="store_true",
        help="also search the index written as a memory-mapped snapshot (one index per machine) and print the "
        "MRR@10 difference per language (the quality cost of the shared, compact storage)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        help="also run the engine with these EngineConfig changes, e.g. feedback_docs=5,feedback_weight=0.3",
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="index only the cases already embedded in var/eval plus the relevant ones (a sub-corpus)",
    )
    arguments = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    from ccx.search.artefacts import EngineConfig
    from ccx.search.evaluation import (
        CachedEncoder,
        ScratchStore,
        build_engine,
        cached_lexicon,
        learn_boilerplate,
        query_vectors,
        read_jsonl,
        read_qrels,
        reciprocal_ranks,
        run_queries,
        write_run,
    )

    records = read_jsonl(arguments.eval_dir / "cases_corpus.jsonl.gz")
    store = ScratchStore(Path(settings.VAR_DIR) / "eval" / "cases_corpus.jsonl.gz.sqlite3")
    started = time.perf_counter()
    queries = [q for q in read_jsonl(HERE / "queries.jsonl") if q["set"] in arguments.sets]
    qrels = read_qrels(HERE / "qrels.tsv")
    qrels = {q["qid"]: qrels[q["qid"]] for q in queries}
    relevant = {doc for docs in qrels.values() for doc in docs} if arguments.cached_only else None
    boilerplate = learn_boilerplate(records)
    engine, timings = build_engine(records, store, EngineConfig(), boilerplate, cached_or=relevant)
    seconds = time.perf_counter() - started
    print(f"corpus: {timings['documents']} cases, {timings['embedded']} embedded now, {seconds:.0f} s")
    declared = {r["id"]: r.get("lang", "") for r in records}
    agree = sum(declared[doc_id] == lang for doc_id, lang in zip(engine.ids, engine.languages, strict=True) if doc_id)
    print(f"detected document language = declared one for {agree} of {engine.size} cases")

    print(f"lexicon: {len(engine.lexicon) if engine.lexicon is not None else 0} English terms (query translation)")
    engine.encoder = CachedEncoder(engine.encoder, Path(settings.VAR_DIR) / "eval" / "query-vectors.sqlite3")
    started = time.perf_counter()
    vectors = {"dense": query_vectors(engine, queries), "bm25": {}}
    vectors["hybrid"] = query_vectors(engine, queries, read_language=True)
    print(f"{len(queries)} queries embedded in {time.perf_counter() - started:.0f} s")
    ranks: dict[str, dict[str, float]] = {}
    success: dict[str, dict[str, float]] = {}
    for mode in MODES:
        started = time.perf_counter()
        results = run_queries(engine, queries, mode, vectors=vectors[mode])
        print(f"{mode}: {1000 * (time.perf_counter() - started) / len(queries):.1f} ms/query")
        ranks[mode] = reciprocal_ranks(results, qrels)
        success[mode] = {qid: float(rr == 1.0) for qid, rr in ranks[mode].items()}
        if arguments.write_runs:
            arguments.write_runs.mkdir(parents=True, exist_ok=True)
            for lang in LANGUAGES:
                subset = {qid: hits for qid, hits in results.items() if qid.startswith(f"{lang}|")}
                write_run(subset, arguments.write_runs / f"{lang}.{mode}.tsv")
    base, base_translation, base_lexicon = engine.config, engine.translation, engine.lexicon
    for variant in arguments.variant:
        pairs = [p.split("=") for p in variant.split(",")]
        changes = {name: parse(getattr(base, name), value) for name, value in pairs if hasattr(base, name)}
        translation = {
            name: parse(getattr(base_translation, name), value)
            for name, value in pairs
            if hasattr(base_translation, name)
        }
        engine.config = replace(base, **changes)
        engine.translation = replace(base_translation, **translation)
        engine.lexicon = None if ("translation", "off") in {tuple(p) for p in pairs} else base_lexicon
        if engine.lexicon is not None and {"english_only", "size", "min_df"} & set(translation):
            engine.lexicon = cached_lexicon(engine, Path(settings.VAR_DIR) / "eval")
        if "dense_content_words" not in changes:
            hybrid_vectors = vectors["hybrid"]
        else:
            hybrid_vectors = query_vectors(engine, queries, read_language=True)
        results = run_queries(engine, queries, "hybrid", vectors=hybrid_vectors)
        ranks[variant] = reciprocal_ranks(results, qrels)
        success[variant] = {qid: float(rr == 1.0) for qid, rr in ranks[variant].items()}
    engine.config, engine.translation, engine.lexicon = base, base_translation, base_lexicon
    ranks["oracle"] = {qid: max(ranks["bm25"][qid], ranks["dense"][qid]) for qid in qrels}
    success["oracle"] = {qid: float(rr == 1.0) for qid, rr in ranks["oracle"].items()}

    mapped_ranks = mapped_run(engine, queries, qrels, vectors) if arguments.mapped else {}
    language_of = {q["qid"]: q["lang"] for q in queries}
    set_of = {q["qid"]: q["set"] for q in queries}
    print_table(ranks, success, language_of, lambda qid: True, "all sets")
    for name in arguments.sets:
        print_table(ranks, success, language_of, lambda qid, name=name: set_of[qid] == name, name)
    for variant in arguments.variant:
        print(f"\nvariant {variant}: MRR@10 (success@1) per language, all sets")
        for lang in LANGUAGES:
            qids = [qid for qid in ranks[variant] if language_of[qid] == lang]
            mrr = sum(ranks[variant][q] for q in qids) / len(qids)
            s1 = sum(success[variant][q] for q in qids) / len(qids)
            print(f"{lang:5} {mrr:.3f} ({s1:.3f})")
    if arguments.mapped:
        print("\nmapped snapshot - in-memory engine: MRR@10 difference per language, all sets (target |diff| < 0.005)")
        for mode, mapped in mapped_ranks.items():
            cells = []
            for lang in LANGUAGES:
                qids = [qid for qid in mapped if language_of[qid] == lang]
                diff = sum(mapped[q] - ranks[mode][q] for q in qids) / len(qids)
                cells.append(f"{lang} {diff:+.4f}")
            print(f"{mode:7} " + "  ".join(cells))
    detected = defaultdict(int)
    for q in queries:
        detected[(q["lang"], engine.query_language(q["text"]) == q["lang"])] += 1
    print(
        "\nquery language detected correctly: "
        + ", ".join(
            f"{lang} {detected[(lang, True)]}/{detected[(lang, True)] + detected[(lang, False)]}" for lang in LANGUAGES
        )
    )


def mapped_run(engine, queries, qrels, vectors):  # type: ignore[no-untyped-def]
    """Reciprocal ranks per mode of the same engine written to a snapshot and opened from its mapped files."""
    import tempfile
    from datetime import UTC, datetime

    from ccx.search import snapshot
    from ccx.search.evaluation import reciprocal_ranks, run_queries

    with tempfile.TemporaryDirectory(prefix="ccx-mapped-") as folder:
        snapshot.write(Path(folder), engine, datetime.now(UTC), "eval")
        opened = snapshot.open_engine(Path(folder), "eval", engine.encoder, engine.config, engine.boilerplate)
        assert opened is not None
        mapped = opened[0]
        # as the live index does once it has opened a snapshot (ccx.search.index: _attach_lexicon)
        mapped.lexicon, mapped.translation = engine.lexicon, engine.translation
        runs = {mode: run_queries(mapped, queries, mode, vectors=vectors[mode]) for mode in MODES}
        return {mode: reciprocal_ranks(run, qrels) for mode, run in runs.items()}


def parse(default: object, value: str) -> object:
    """A command-line value in the type of the setting it changes."""
    if default is None or value == "None":
        return None if value == "None" else float(value)
    if isinstance(default, bool):
        return value.lower() in ("1", "true", "yes")
    return type(default)(value)


def print_table(ranks, success, language_of, keep, title) -> None:  # type: ignore[no-untyped-def]
    columns = ("hybrid", "bm25", "dense", "oracle")
    print(f"\n{title}: MRR@10 (success@1)")
    print(f"{'lang':5} {'n':>4} " + " ".join(f"{c:>15}" for c in columns) + f" {'vs en':>6}")
    english = None
    for lang in LANGUAGES:
        qids = [qid for qid in ranks["hybrid"] if language_of[qid] == lang and keep(qid)]
        if not qids:
            continue
        cells = []
        for column in columns:
            mrr = sum(ranks[column][q] for q in qids) / len(qids)
            s1 = sum(success[column][q] for q in qids) / len(qids)
            cells.append(f"{mrr:.3f} ({s1:.3f})")
        hybrid = sum(ranks["hybrid"][q] for q in qids) / len(qids)
        english = hybrid if lang == "en" else english
        ratio = f"{hybrid / english:.2f}" if english else ""
        print(f"{lang:5} {len(qids):4d} " + " ".join(f"{c:>15}" for c in cells) + f" {ratio:>6}")


if __name__ == "__main__":
    main()
