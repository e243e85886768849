"""One search index per machine: the engine's arrays in memory-mapped files, opened read-only by every process.

A snapshot is a folder of `.npy` files (postings, each document's terms, passage vectors in float16, retrieval
vectors in float32) and a `meta.json` (vocabulary, document ids, languages, the time of the database rows it
holds). One process writes it (under a file lock), every process maps it: the operating system keeps one copy
of the pages for the whole machine, so an extra worker costs only its small private arrays (document
frequencies, the alive flags, lengths: about 25 bytes per practice) and the Python dictionaries of ids and terms.

A process adds the rows changed since the snapshot on top of it, in private memory (the engine's delta
segment), exactly as before; when those pile up, one process writes a new snapshot and the others switch to it
at their next refresh.

Storage: passage vectors are float16 (as they were stored and embedded) and the dense score of a candidate is
computed in float32 from them, as before. The retrieval vectors used to scan the whole index stay float32: on
this machine numpy scans 100k x 512 float16 or int8 vectors 2.5-9x slower than float32 (no BLAS for them), and
the scan dominates a search; the snapshot shares them, so they are paid once per machine, not per worker.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .artefacts import DIM, Encoder, EngineConfig, FloatArray, IntArray, _grow
from .engine import Engine
from .text import NO_BOILERPLATE, Boilerplate

FORMAT = 1
CURRENT = "current"
MAPPED = ("indptr", "post_doc", "post_tf", "doc_indptr", "doc_terms", "doc_tf", "doc_vecs", "pvecs")
PRIVATE = ("df", "length", "language_bits", "pstart", "pcount")  # written in place by add/remove: each process's own


class Rows:
    """Per-slot arrays (a document's term ids or weighted tfs): the snapshot's CSR rows, then appended ones."""

    def __init__(self, indptr: npt.NDArray[np.int64], values: npt.NDArray[Any]) -> None:
        self.indptr, self.values = indptr, values
        self.base = len(indptr) - 1
        self.more: list[npt.NDArray[Any]] = []

    def __len__(self) -> int:
        return self.base + len(self.more)

    def __getitem__(self, slot: int | np.integer[Any]) -> npt.NDArray[Any]:
        slot = int(slot)
        if slot < self.base:
            return self.values[int(self.indptr[slot]) : int(self.indptr[slot + 1])]
        return self.more[slot - self.base]

    def __iter__(self) -> Iterator[npt.NDArray[Any]]:
        return (self[slot] for slot in range(len(self)))

    def append(self, row: npt.NDArray[Any]) -> None:
        self.more.append(row)


class SharedEngine(Engine):
    """An Engine whose big arrays are the snapshot's read-only mappings; later additions live in private memory.

    Slots below `base_slots` are the snapshot's (their vectors in the mapped `pvecs` / `doc_vecs`); later slots
    keep their vectors in `_more_pvecs` / `_more_doc`. Compaction is left to the next snapshot."""

    def __init__(
        self, encoder: Encoder | None, config: EngineConfig = EngineConfig(), boilerplate: Boilerplate = NO_BOILERPLATE
    ) -> None:
        super().__init__(encoder, config, boilerplate)
        self.base_slots = 0
        self.base_rows = 0
        self._more_pvecs = np.zeros((0, DIM), dtype=np.float16)
        self._more_doc = np.zeros((0, DIM), dtype=np.float32)
        self._more_used = 0

    def _store_vectors(self, slot: int, vectors: npt.NDArray[np.float16]) -> None:
        n = len(vectors)
        used = self._more_used
        self._more_pvecs = _grow(self._more_pvecs, used + n)
        self._more_pvecs[used : used + n] = vectors
        self.pstart = _grow(self.pstart, slot + 1)
        self.pcount = _grow(self.pcount, slot + 1)
        self.pstart[slot] = self.base_rows + used
        self.pcount[slot] = n
        self._more_used += n
        mean = vectors.astype(np.float32).mean(axis=0)
        self._more_doc = _grow(self._more_doc, slot - self.base_slots + 1)
        self._more_doc[slot - self.base_slots] = mean / max(float(np.linalg.norm(mean)), 1e-12)

    def _needs_compaction(self) -> bool:
        return False  # a new snapshot compacts (see LiveIndex); compacting here would copy the shared arrays

    def _compact_vectors(self, keep: IntArray) -> None:
        """(Only if asked explicitly.) Bring every vector into private arrays, as a plain Engine holds them."""
        rows = self._passage_rows(keep)
        self.pvecs = self._passages(rows).astype(np.float16)
        self.pcount = self.pcount[keep].copy()
        self.pstart = np.concatenate([[0], np.cumsum(self.pcount)[:-1]]).astype(np.int64)
        self.doc_vecs = np.stack([self.document_vector(int(s)) for s in keep]) if len(keep) else self.doc_vecs[:0]
        self._pused = len(self.pvecs)
        self.base_slots, self.base_rows = len(keep), len(self.pvecs)
        self._more_pvecs = np.zeros((0, DIM), dtype=np.float16)
        self._more_doc = np.zeros((0, DIM), dtype=np.float32)
        self._more_used = 0

    def _passage_rows(self, slots: IntArray) -> IntArray:
        counts = self.pcount[slots]
        starts = self.pstart[slots]
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        rows: IntArray = np.arange(int(counts.sum())) + offsets
        return rows

    def _passages(self, rows: IntArray) -> FloatArray:
        """Passage vectors of these rows, in float32 (gathered from the mapping and the private rows)."""
        out = np.empty((len(rows), DIM), dtype=np.float32)
        base = rows < self.base_rows
        out[base] = self.pvecs[rows[base]]
        out[~base] = self._more_pvecs[rows[~base] - self.base_rows]
        return out

    def dense_scores(self, qvec: FloatArray, slots: IntArray) -> FloatArray:
        if not len(slots):
            return np.zeros(0, dtype=np.float32)
        counts = self.pcount[slots]
        sims = self._passages(self._passage_rows(slots)) @ qvec
        best = np.maximum.reduceat(sims, np.concatenate([[0], np.cumsum(counts)[:-1]]))
        documents = np.empty(len(slots), dtype=np.float32)
        base = slots < self.base_slots
        documents[base] = self.doc_vecs[slots[base]] @ qvec
        documents[~base] = self._more_doc[slots[~base] - self.base_slots] @ qvec
        result: FloatArray = (0.5 * (best + documents)).astype(np.float32)
        return result

    def document_scores(self, qvec: FloatArray) -> FloatArray:
        more = len(self.ids) - self.base_slots
        scores: FloatArray = self.doc_vecs @ qvec
        if more:
            scores = np.concatenate([scores, self._more_doc[:more] @ qvec])
        return scores

    def document_vector(self, slot: int) -> FloatArray:
        if slot < self.base_slots:
            return np.array(self.doc_vecs[slot], dtype=np.float32)
        vector: FloatArray = self._more_doc[slot - self.base_slots].copy()
        return vector

    @property
    def added_since_snapshot(self) -> int:
        """Documents added or removed since the snapshot (what a new snapshot would compact)."""
        return len(self.ids) - self.base_slots + self._dead


@dataclass(frozen=True)
class Snapshot:
    path: Path
    seen: datetime  # database rows updated before this instant are in the snapshot
    key: str

    @property
    def name(self) -> str:
        return self.path.name


def write(root: Path, engine: Engine, seen: datetime, key: str) -> Snapshot:
    """Write a compacted `engine` as a new snapshot under `root` and make it the current one."""
    engine._compact()
    root.mkdir(parents=True, exist_ok=True)
    name = f"g{time.time_ns():x}-{os.getpid()}"
    folder = root / f".tmp-{name}"
    folder.mkdir()
    doc_indptr = np.zeros(len(engine.ids) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in engine.doc_terms], out=doc_indptr[1:])
    empty_terms = np.zeros(0, dtype=np.int32)
    arrays: dict[str, npt.NDArray[Any]] = {
        "indptr": engine._indptr,
        "post_doc": engine._post_doc,
        "post_tf": engine._post_tf,
        "doc_indptr": doc_indptr,
        "doc_terms": np.concatenate(list(engine.doc_terms)) if engine.ids else empty_terms,
        "doc_tf": np.concatenate(list(engine.doc_tf)) if engine.ids else empty_terms.astype(np.float32),
        "doc_vecs": engine.doc_vecs[: len(engine.ids)].astype(np.float32),
        "pvecs": engine.pvecs[: engine._pused].astype(np.float16),
        "df": engine.df[: len(engine.vocab)],
        "length": engine.length,
        "language_bits": engine.language_bits,
        "pstart": engine.pstart,
        "pcount": engine.pcount,
    }
    for array_name, array in arrays.items():
        np.save(folder / f"{array_name}.npy", np.ascontiguousarray(array))
    meta = {
        "format": FORMAT,
        "key": key,
        "seen": seen.isoformat(),
        "total_length": engine.total_length,
        "terms": engine.term_of,
        "ids": engine.ids,
        "languages": engine.languages,
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))
    final = root / name
    folder.rename(final)
    link = root / f".tmp-link-{name}"
    link.symlink_to(name)
    link.replace(root / CURRENT)
    _prune(root, keep={name})
    return Snapshot(final, seen, key)


def _prune(root: Path, keep: set[str], older_than: float = 60.0) -> None:
    """Delete superseded snapshots (a process that still maps one keeps its pages until it lets go)."""
    now = time.time()
    for folder in root.iterdir():
        superseded = folder.is_dir() and not folder.is_symlink() and folder.name not in keep
        if superseded and now - folder.stat().st_mtime > older_than:
            shutil.rmtree(folder, ignore_errors=True)


def current(root: Path) -> str | None:
    """The name of the current snapshot (one readlink: cheap enough to ask at every refresh)."""
    try:
        return os.readlink(root / CURRENT)
    except OSError:
        return None


def read_meta(root: Path) -> tuple[Path, dict[str, Any]] | None:
    name = current(root)
    if name is None:
        return None
    try:
        return root / name, json.loads((root / name / "meta.json").read_text())
    except (OSError, ValueError):
        return None


def _load(path: Path, mapped: bool) -> npt.NDArray[Any]:
    if mapped:
        try:
            array: npt.NDArray[Any] = np.load(path, mmap_mode="r")
            return array
        except ValueError:  # an empty array cannot be mapped
            pass
    array = np.load(path)
    return array


def open_engine(
    root: Path,
    key: str,
    encoder: Encoder | None,
    config: EngineConfig = EngineConfig(),
    boilerplate: Boilerplate = NO_BOILERPLATE,
) -> tuple[SharedEngine, Snapshot] | None:
    """The current snapshot as an engine, or None when there is none for `key` (model and settings)."""
    for attempt in range(3):
        found = read_meta(root)
        if found is None:
            return None
        path, meta = found
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        try:
            arrays = {name: _load(path / f"{name}.npy", mapped=True) for name in MAPPED}
            arrays |= {name: _load(path / f"{name}.npy", mapped=False) for name in PRIVATE}
            break
        except FileNotFoundError:  # superseded and pruned while we read it: take the new current one
            if attempt == 2:
                raise
    engine = SharedEngine(encoder, config, boilerplate)
    engine.term_of = list(meta["terms"])
    engine.vocab = {term: i for i, term in enumerate(engine.term_of)}
    engine.ids = list(meta["ids"])
    engine.languages = list(meta["languages"])
    engine.slot_of = {doc_id: i for i, doc_id in enumerate(meta["ids"])}
    n = len(engine.ids)
    engine.df = arrays["df"].astype(np.int64)
    engine.alive = np.ones(n, dtype=bool)
    engine.length = arrays["length"]
    engine.language_bits = arrays["language_bits"]
    engine.total_length = float(meta["total_length"])
    engine.n_alive = n
    engine._indptr, engine._post_doc, engine._post_tf = arrays["indptr"], arrays["post_doc"], arrays["post_tf"]
    engine._csr_slots = n
    engine.doc_terms = Rows(arrays["doc_indptr"], arrays["doc_terms"])  # type: ignore[assignment]
    engine.doc_tf = Rows(arrays["doc_indptr"], arrays["doc_tf"])  # type: ignore[assignment]
    engine.doc_vecs, engine.pvecs = arrays["doc_vecs"], arrays["pvecs"]
    engine.pstart, engine.pcount = arrays["pstart"], arrays["pcount"]
    engine._pused = len(engine.pvecs)
    engine.base_slots, engine.base_rows = n, len(engine.pvecs)
    return engine, Snapshot(path, datetime.fromisoformat(meta["seen"]), key)


@contextmanager
def build_lock(root: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the machine's snapshot-building lock (yields False when `wait` is off and another process holds it)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
