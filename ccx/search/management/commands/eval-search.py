from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.core.management.base import command_progress
from ccx.search.artefacts import EngineConfig
from ccx.search.evaluation import (
    BASELINE,
    ScratchStore,
    build_engine,
    learn_boilerplate,
    read_jsonl,
    read_qrels,
    run_queries,
    score,
    write_run,
)
from ccx.search.text import NO_BOILERPLATE


class Command(BaseCommand):
    help = (
        "Index a benchmark corpus (JSON lines: id, title, text, lang) with the app's search engine and write the "
        "top 10 per query (TSV: qid, docid, rank, score). With --qrels, print the scores of the engine and of a "
        "plain BM25 baseline computed in the same run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", type=Path)
        parser.add_argument("queries", type=Path)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--qrels", type=Path)
        parser.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
        parser.add_argument("--store", type=Path, help="Scratch database of artefacts (default: var/eval/…)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("corpus", "queries", "qrels"):
            if options[name] is not None and not options[name].is_file():
                raise CommandError(f"{options[name]}: file not found")
        records = read_jsonl(options["corpus"])
        queries = read_jsonl(options["queries"])
        store = ScratchStore(options["store"] or Path(settings.VAR_DIR) / "eval" / f"{options['corpus'].name}.sqlite3")
        with command_progress(self, "Embedding the corpus", options) as progress:
            engine, timings = build_engine(records, store, EngineConfig(), learn_boilerplate(records), progress)
        self.stdout.write(
            f"indexed {timings['documents']} documents ({timings['passages']} passages; {timings['embedded']} embedded "
            f"now in {timings['embedding_seconds']} s) in {timings['seconds']} s"
        )
        results = run_queries(engine, queries, options["mode"])
        write_run(results, options["out"])
        self.stdout.write(f"wrote the top 10 of {len(results)} queries to {options['out']}")
        if options["qrels"]:
            qrels = read_qrels(options["qrels"])
            baseline_engine, _timings = build_engine(records, store, BASELINE, NO_BOILERPLATE, lexical_only=True)
            baseline = run_queries(baseline_engine, queries, "bm25")
            for label, run in ((f"engine ({options['mode']})", results), ("plain BM25 baseline", baseline)):
                metrics = score(run, qrels)
                self.stdout.write(f"{label:24} " + "  ".join(f"{name}={value}" for name, value in metrics.items()))
