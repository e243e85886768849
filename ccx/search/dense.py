"""The dense half of the engine: passage vectors, the documents' retrieval vectors and the query's vector.

A mixin of :class:`ccx.search.engine.Engine`, which owns the index it reads (see that module's docstring);
:class:`ccx.search.snapshot.SharedEngine` reads them from a memory-mapped snapshot instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from .artefacts import DIM, Encoder, EngineConfig, FloatArray, IntArray, _grow
from .language import UNDETERMINED, stop_words
from .text import strip_words

QUERY_VECTORS_KEPT = 64


class DenseScoring:
    """Each document's passage vectors (float16) and retrieval vector (float32, their normalised mean)."""

    encoder: Encoder | None
    config: EngineConfig
    ids: list[str | None]
    _query_vectors: dict[tuple[str, str], FloatArray]
    doc_vecs: FloatArray
    pvecs: npt.NDArray[np.float16]
    pstart: npt.NDArray[np.int64]
    pcount: npt.NDArray[np.int64]
    _pused: int
    _clean_query: Callable[[str], str]  # the engine's own method, declared for the type checker

    def _store_vectors(self, slot: int, vectors: npt.NDArray[np.float16]) -> None:
        """Keep a new slot's passage vectors and its retrieval vector (their normalised mean)."""
        n = len(vectors)
        self.pvecs = _grow(self.pvecs, self._pused + n)
        self.pvecs[self._pused : self._pused + n] = vectors
        self.pstart = _grow(self.pstart, slot + 1)
        self.pcount = _grow(self.pcount, slot + 1)
        self.pstart[slot] = self._pused
        self.pcount[slot] = n
        self._pused += n
        mean = vectors.astype(np.float32).mean(axis=0)
        self.doc_vecs = _grow(self.doc_vecs, slot + 1)
        self.doc_vecs[slot] = mean / max(float(np.linalg.norm(mean)), 1e-12)

    def _compact_vectors(self, keep: IntArray) -> None:
        n = len(keep)
        pcount = self.pcount[keep]
        pstart = np.zeros(n, dtype=np.int64)
        if n:
            np.cumsum(pcount[:-1], out=pstart[1:])
            rows = np.concatenate([np.arange(self.pstart[s], self.pstart[s] + self.pcount[s]) for s in keep])
            self.pvecs = np.ascontiguousarray(self.pvecs[rows])
        else:
            self.pvecs = np.zeros((0, DIM), dtype=np.float16)
        self._pused = len(self.pvecs)
        self.pstart, self.pcount = pstart, pcount.copy()
        self.doc_vecs = np.ascontiguousarray(self.doc_vecs[keep])

    def dense_scores(self, qvec: FloatArray, slots: IntArray) -> FloatArray:
        """(document-vector cosine + best passage cosine) / 2 for each slot (float32 on gathered rows)."""
        if not len(slots):
            return np.zeros(0, dtype=np.float32)
        counts = self.pcount[slots]
        starts = self.pstart[slots]
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        rows = np.arange(int(counts.sum())) + offsets
        sims = self.pvecs[rows].astype(np.float32) @ qvec
        bounds = np.concatenate([[0], np.cumsum(counts)[:-1]])
        best = np.maximum.reduceat(sims, bounds)
        result: FloatArray = (0.5 * (best + self.doc_vecs[slots] @ qvec)).astype(np.float32)
        return result

    def document_scores(self, qvec: FloatArray) -> FloatArray:
        """Cosine of every slot's retrieval vector with the query (the dense candidates' scan)."""
        result: FloatArray = self.doc_vecs[: len(self.ids)] @ qvec
        return result

    def document_vector(self, slot: int) -> FloatArray:
        return np.array(self.doc_vecs[slot], dtype=np.float32)

    def encode_query(self, query: str, language: str = UNDETERMINED) -> FloatArray:
        if self.encoder is None:
            raise ValueError("an encoder is needed to embed queries")
        known = self._query_vectors.get((query, language))
        if known is not None:
            return known
        text = self._clean_query(query)
        if language and self.config.dense_content_words:
            text = strip_words(text, stop_words(language)) or text
        vec: FloatArray = np.asarray(self.encoder.encode([text]), dtype=np.float32)[0]
        vec.flags.writeable = False  # shared by the searches of the same query
        if len(self._query_vectors) >= QUERY_VECTORS_KEPT:
            self._query_vectors.clear()
        self._query_vectors[(query, language)] = vec
        return vec
