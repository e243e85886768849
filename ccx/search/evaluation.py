"""Evaluate the app's search engine on a benchmark corpus (the format of shared/eval: JSON lines, TSV qrels).

The corpus is indexed with the same engine the site uses; its per-document artefacts (terms, passages,
passage vectors) are kept in a scratch SQLite database keyed by content, so a second run embeds nothing.
"""

import gzip
import hashlib
import json
import math
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ccx.core.progress import Progress, silent
from ccx.search.artefacts import Document, DocumentArtefacts, EngineConfig, analyse, embed
from ccx.search.engine import Engine
from ccx.search.index import encoder
from ccx.search.language import detect
from ccx.search.lexicon import Lexicon
from ccx.search.text import Boilerplate

Results = dict[str, list[tuple[str, float]]]
# "Plain BM25 over title + text": no field weights, no boilerplate removal, lexical only.
BASELINE = replace(EngineConfig(), field_weights={"title": 1.0})


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener: Callable[..., Any] = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class ScratchStore:
    """A SQLite file of document artefacts, keyed by the document's text and the engine settings."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.connection = sqlite3.connect(path)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS artefacts (key TEXT PRIMARY KEY, record TEXT, vectors BLOB)"
        )

    def get(self, key: str) -> DocumentArtefacts | None:
        row = self.connection.execute("SELECT record, vectors FROM artefacts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return DocumentArtefacts.from_record({**json.loads(row[0]), "vectors": row[1]})

    def put(self, key: str, artefacts: DocumentArtefacts) -> None:
        record = artefacts.to_record()
        vectors = record.pop("vectors")
        self.connection.execute("INSERT OR REPLACE INTO artefacts VALUES (?, ?, ?)", (key, json.dumps(record), vectors))

    def commit(self) -> None:
        self.connection.commit()


class CachedEncoder:
    """An encoder that remembers the vectors of the texts it has embedded, in a SQLite file (query vectors of a
    benchmark: the second run of the same queries embeds nothing)."""

    def __init__(self, encoder: Any, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.encoder = encoder
        self.connection = sqlite3.connect(path)
        self.connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")

    def encode(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        keys = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
        found: dict[str, bytes] = {}
        for key in keys:
            row = self.connection.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone()
            if row is not None:
                found[key] = row[0]
        missing = [(key, text) for key, text in zip(keys, texts, strict=True) if key not in found]
        if missing:
            vectors = np.asarray(self.encoder.encode([text for _key, text in missing]), dtype=np.float32)
            for (key, _text), vector in zip(missing, vectors, strict=True):
                found[key] = vector.astype("<f4").tobytes()
                self.connection.execute("INSERT OR REPLACE INTO vectors VALUES (?, ?)", (key, found[key]))
            self.connection.commit()
        return np.stack([np.frombuffer(found[key], dtype="<f4") for key in keys])


def build_engine(
    records: list[dict[str, Any]],
    store: ScratchStore,
    config: EngineConfig,
    boilerplate: Boilerplate,
    progress: Progress = silent,
    lexical_only: bool = False,
    cached_or: set[str] | None = None,
) -> tuple[Engine, dict[str, float]]:
    """An engine over the corpus records; returns it with timings (seconds, docs embedded, passages).

    lexical_only: for a BM25 baseline; passages get zero vectors and nothing is embedded or stored.
    cached_or: index only the records already in the store plus these ids (a sub-corpus, while the store fills).
    """
    started = time.perf_counter()
    artefacts: list[DocumentArtefacts] = []
    missing: list[tuple[str, DocumentArtefacts]] = []
    settings = f"{config.passage.key()}|{hashlib.sha256(chr(10).join(sorted(boilerplate.keys)).encode()).hexdigest()}"
    for record in records:
        fields = {"title": record.get("title", ""), "body": record["text"]}
        # the record's declared language is not trusted: the engine reads the text (see ccx.search.language)
        document = Document(record["id"], fields, detect(f"{fields['title']}\n{boilerplate.clean(fields['body'])}"))
        key = hashlib.sha256(json.dumps([record["id"], document.fields, settings]).encode()).hexdigest()
        found = None if lexical_only else store.get(key)
        if found is not None:
            found.language = document.language
        if found is None and lexical_only:
            found = analyse(document, config, boilerplate)
            found.vectors = np.zeros((max(1, len(found.passages)), 512), dtype=np.float16)
        elif found is None:
            if cached_or is not None and record["id"] not in cached_or:
                continue
            found = analyse(document, config, boilerplate)
            missing.append((key, found))
        artefacts.append(found)
    embedding_started = time.perf_counter()
    for done in range(0, len(missing), 64):
        batch = missing[done : done + 64]
        embed(encoder(), [a for _key, a in batch])
        for key, a in batch:
            store.put(key, a)
        store.commit()
        progress(min(done + 64, len(missing)), len(missing), "embedding")
    embedding_seconds = time.perf_counter() - embedding_started
    engine = Engine.from_artefacts(encoder(), artefacts, config, boilerplate)
    if not lexical_only:
        engine.lexicon = cached_lexicon(engine, store.path.parent)
    return engine, {
        "documents": len(artefacts),
        "embedded": len(missing),
        "passages": sum(len(a.passages) for a in artefacts),
        "embedding_seconds": round(embedding_seconds, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def cached_lexicon(engine: Engine, directory: Path) -> Lexicon:
    """The engine's query-translation lexicon (ccx.search.lexicon), as the site builds it at index time, embedded
    once per vocabulary and kept beside the artefact cache."""
    terms = engine.translation_vocabulary()
    digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()[:16]
    path = directory / f"lexicon-{digest}.npz"
    if path.is_file():
        return Lexicon.load(path)
    lexicon = Lexicon.build(terms, encoder())
    lexicon.save(path)
    return lexicon


def run_queries(
    engine: Engine,
    queries: Iterable[dict[str, Any]],
    mode: str,
    k: int = 10,
    vectors: dict[str, Any] | None = None,
) -> Results:
    """The top ``k`` per query; ``vectors``: query vectors by qid, computed ahead (e.g. once for every mode)."""
    vectors = vectors or {}
    return {
        q["qid"]: [(hit.id, hit.score) for hit in engine.search(q["text"], k=k, mode=mode, qvec=vectors.get(q["qid"]))]
        for q in queries
    }


def query_vectors(engine: Engine, queries: list[dict[str, Any]], *, read_language: bool = False) -> dict[str, Any]:
    """Each query's vector, embedded once. read_language: as the hybrid engine embeds it, read in its detected
    language (without its function words); otherwise the query as typed (the dense-alone baseline)."""
    return {
        q["qid"]: engine.encode_query(q["text"], engine.query_language(q["text"]) if read_language else "")
        for q in queries
    }


def reciprocal_ranks(results: Results, qrels: dict[str, set[str]], k: int = 10) -> dict[str, float]:
    """Per query: 1 / rank of the first relevant document in the top ``k`` (0 when none)."""
    return {
        qid: next((1 / (i + 1) for i, (doc, _s) in enumerate(results.get(qid, [])[:k]) if doc in relevant), 0.0)
        for qid, relevant in qrels.items()
    }


def write_run(results: Results, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for qid, hits in results.items():
            for rank, (doc_id, score) in enumerate(hits, 1):
                out.write(f"{qid}\t{doc_id}\t{rank}\t{score:.6f}\n")


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and int(parts[2]) > 0:
            relevant[parts[0]].add(parts[1])
    return relevant


def score(results: Results, qrels: dict[str, set[str]], k: int = 10) -> dict[str, float]:
    """The metrics of shared/eval/score.py, computed the same way (a query missing from the run scores 0)."""
    totals: dict[str, float] = defaultdict(float)
    for qid, relevant in qrels.items():
        hits = [doc_id in relevant for doc_id, _score in results.get(qid, [])[:k]]
        totals["success@1"] += float(any(hits[:1]))
        totals["recall@10"] += sum(hits) / len(relevant)
        totals["mrr@10"] += next((1 / (i + 1) for i, hit in enumerate(hits) if hit), 0.0)
        dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits) if hit)
        totals["ndcg@10"] += dcg / sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return {name: round(value / len(qrels), 4) for name, value in totals.items()}


def learn_boilerplate(records: list[dict[str, Any]]) -> Boilerplate:
    return Boilerplate.learn(record["text"] for record in records)
