"""The lexical half of the engine: BM25 over the inverted index, for a query and for a translated query.

A mixin of :class:`ccx.search.engine.Engine`, which owns the index it reads (see that module's docstring).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from .artefacts import BoolArray, EngineConfig, FloatArray
from .lexicon import LexiconSettings

# documents whose statistics give a query's idf: a name that says which (e.g. "fr", "en-not-fr") and their mask
Within = tuple[str, BoolArray]


class LexicalScoring:
    """BM25 (Okapi, Lucene's non-negative idf) over the engine's CSR postings plus its delta segment."""

    config: EngineConfig
    translation: LexiconSettings
    ids: list[str | None]
    vocab: dict[str, int]
    df: npt.NDArray[np.int64]
    n_alive: int
    total_length: float
    length: FloatArray
    alive: npt.NDArray[np.bool_]
    _indptr: npt.NDArray[np.int64]
    _post_doc: npt.NDArray[np.int32]
    _post_tf: FloatArray
    _delta: dict[int, tuple[list[int], list[float]]]
    _within_counts: dict[tuple[str, int], int]  # see _count_within; emptied whenever documents change

    # the engine's own methods, declared for the type checker
    _needs_compaction: Callable[[], bool]
    _compact: Callable[[], None]

    def idf(self, tids: npt.NDArray[np.integer[Any]]) -> FloatArray:
        df = self.df[tids].astype(np.float64)
        n = max(self.n_alive, 1)
        result: FloatArray = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        return result

    def idf_within(self, tids: npt.NDArray[np.integer[Any]], within: Within | None) -> FloatArray:
        """:meth:`idf` from the live documents of ``within`` (all of them when None): a French word of a mostly
        English index is rare in the index and common among French documents; scoring French documents with its
        index-wide rarity let French words of every record ("défi", "ville") decide a ranking.

        A few documents tell little about a word's rarity (in a library with three French records every French
        word is in a third of them), so a term's document frequency among them is smoothed towards its index-wide
        rate, with that rate counting as ``config.idf_prior`` documents: idf = log((n + 1 + m) / (df + 0.5 +
        m x rate)), which is BM25's idf, log((N + 1) / (df + 0.5)) in effect, when the documents are many."""
        if within is None:
            return self.idf(tids)
        n = self._count_within(within, -1)
        df = np.array([self._count_within(within, int(t)) for t in tids], dtype=np.float64)
        prior = self.config.idf_prior
        rate = self.df[tids].astype(np.float64) / max(self.n_alive, 1)
        result: FloatArray = np.log((n + 1.0 + prior) / (df + 0.5 + prior * rate)).astype(np.float32)
        return result

    def _unknown_idf(self, within: Within | None) -> float:
        """The idf of a term in no document (of ``within``), see :meth:`idf_within`."""
        if within is None:
            return math.log1p((max(self.n_alive, 1) + 0.5) / 0.5)
        return math.log((self._count_within(within, -1) + 1.0 + self.config.idf_prior) / 0.5)

    def _count_within(self, within: Within, tid: int) -> int:
        """The live documents of ``within`` that contain term ``tid`` (all of them for -1), remembered until the
        documents change (at 100k documents, counting a translated query's terms again each time cost 6%)."""
        counts = self._within_counts  # the documents may change meanwhile: a stale count goes to the old dict
        key = (within[0], tid)
        count = counts.get(key)
        if count is None:
            n_slots = len(self.ids)
            members = within[1][:n_slots] & self.alive[:n_slots]
            count = int(np.count_nonzero(members if tid < 0 else members[self._postings(tid)[0]]))
            counts[key] = count
        return count

    def bm25(self, terms: Mapping[str, float]) -> tuple[FloatArray, float]:
        """BM25 scores of every slot for a bag of query terms, and the lexical "coverage" of the best-scoring
        document: the share of the query's idf mass it contains (0 when nothing matches)."""
        scores, matched, total = self._bm25(terms)
        best = int(np.argmax(scores)) if len(scores) else 0
        coverage = float(matched[best]) / total if len(scores) and scores[best] > 0 and total > 0 else 0.0
        return scores, coverage

    def _bm25(self, terms: Mapping[str, float], within: Within | None = None) -> tuple[FloatArray, FloatArray, float]:
        """BM25 scores of every slot, the query idf mass each slot contains, and the query's total idf mass;
        ``within``: the documents whose statistics give the idf (see :meth:`idf_within`; None: all).

        Terms unknown to the index count with the idf of a term in no document (they are the typical
        cross-language case).
        """
        if self._needs_compaction():
            self._compact()
        n_slots = len(self.ids)
        scores = np.zeros(n_slots, dtype=np.float32)
        known = [(self.vocab[t], q) for t, q in terms.items() if t in self.vocab]
        unknown_weight = sum(q for t, q in terms.items() if t not in self.vocab)
        n = max(self.n_alive, 1)
        total = unknown_weight * self._unknown_idf(within)
        if not known:
            return scores, scores.copy(), total
        tids = np.array([t for t, _ in known], dtype=np.int64)
        qtf = np.array([q for _, q in known], dtype=np.float32)
        idf = self.idf_within(tids, within) * qtf
        k1, b = self.config.k1, self.config.b
        avgdl = self.total_length / n if self.total_length > 0 else 1.0
        norm = (k1 * (1.0 - b + b * self.length[:n_slots] / avgdl)).astype(np.float32)
        matched = np.zeros(n_slots, dtype=np.float32)
        for tid, weight in zip(tids.tolist(), idf.tolist(), strict=True):
            if weight <= 0:
                continue
            docs, tf = self._postings(tid)
            if len(docs):
                scores[docs] += weight * (tf * (k1 + 1.0) / (tf + norm[docs]))
                matched[docs] += weight
        scores[~self.alive[:n_slots]] = 0.0
        return scores, matched, total + float(idf.sum())

    def _bm25_groups(
        self, groups: list[dict[str, float]], within: Within | None = None
    ) -> tuple[FloatArray, FloatArray, float]:
        """BM25 of a translated query (one group of weighted alternatives per source word), as :meth:`_bm25`.
        With ``translation.grouped`` a document scores each group by its best-scoring term, otherwise the
        terms of all groups are summed as one weighted query."""
        if not self.translation.grouped:
            merged: dict[str, float] = {}
            for group in groups:
                for term, weight in group.items():
                    merged[term] = merged.get(term, 0.0) + weight
            return self._bm25(merged, within)
        if self._needs_compaction():
            self._compact()
        n_slots = len(self.ids)
        scores = np.zeros(n_slots, dtype=np.float32)
        matched = np.zeros(n_slots, dtype=np.float32)
        total = 0.0
        n = max(self.n_alive, 1)
        k1, b = self.config.k1, self.config.b
        avgdl = self.total_length / n if self.total_length > 0 else 1.0
        norm = (k1 * (1.0 - b + b * self.length[:n_slots] / avgdl)).astype(np.float32)
        known = sorted({self.vocab[term] for group in groups for term in group if term in self.vocab})
        idf = dict(zip(known, self.idf_within(np.array(known, dtype=np.int64), within).tolist(), strict=True))
        for group in groups:
            best_score = np.zeros(n_slots, dtype=np.float32)
            best_mass = np.zeros(n_slots, dtype=np.float32)
            group_mass = 0.0
            for term, weight in group.items():
                tid = self.vocab.get(term)
                if tid is None:
                    continue
                mass = idf[tid] * weight
                if mass <= 0:
                    continue
                docs, tf = self._postings(tid)
                if len(docs):
                    part = mass * (tf * (k1 + 1.0) / (tf + norm[docs]))
                    best_score[docs] = np.maximum(best_score[docs], part)
                    best_mass[docs] = np.maximum(best_mass[docs], np.float32(mass))
                group_mass = max(group_mass, mass)
            scores += best_score
            matched += best_mass
            total += group_mass
        scores[~self.alive[:n_slots]] = 0.0
        return scores, matched, total

    def _postings(self, tid: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
        if tid + 1 < len(self._indptr):
            lo, hi = int(self._indptr[tid]), int(self._indptr[tid + 1])
            docs: npt.NDArray[Any] = self._post_doc[lo:hi]
            tf: FloatArray = self._post_tf[lo:hi]
        else:
            docs, tf = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        extra = self._delta.get(tid)
        if extra:
            docs = np.concatenate([docs, np.asarray(extra[0], dtype=np.int32)])
            tf = np.concatenate([tf, np.asarray(extra[1], dtype=np.float32)])
        return docs.astype(np.int64, copy=False), tf
