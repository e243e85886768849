"""Hybrid retrieval engine: BM25F over an inverted index + multilingual passage embeddings (numpy only).

Independent of Django: the app wraps it, stores :class:`DocumentArtefacts` (term counts per field and
passage vectors) in its database and rebuilds the in-memory index with :meth:`Engine.from_artefacts`.

Lexical signal
    BM25 (Okapi, Lucene's non-negative idf) with field weights (BM25F-style: a term's frequency and the
    document length are the field-weighted sums, title x2), ``k1 = 1.2``, ``b = 0.75``.  Postings live in a
    CSR array (term → document slots, weighted tf) plus a small "delta" segment for documents added since the
    last compaction; statistics (N, df, average length) are kept exact on every add/remove, and the postings
    are compacted lazily (at the next search once the delta or the removed documents pass a threshold).
Dense signal
    Each document is cut into ≤ 8 passages (title + head, then overlapping windows, see
    :class:`~ccx.search.text.PassageSettings`), embedded once and stored as float16.  A document also keeps
    one float32 retrieval vector (the normalised mean of its passages) used to find dense candidates over
    the whole index; a candidate's dense score is the mean of that vector's cosine (whole-document topic)
    and of its best passage's cosine (the best local match), computed in float32 on the gathered rows.
Fusion
    Candidates = top-``candidates`` by BM25 union top-``candidates`` by retrieval vector, both restricted to the
    allowed documents before any cut.  Each signal is normalised over the candidate set to ``[0, 1]`` of its
    range above the candidate median, and combined as ``w·lex + (1 - w)·dense`` where the lexical weight
    ``w = lexical_weight x min(1, coverage / full_coverage)`` = ``0.7 x min(1, coverage / 0.3)`` shrinks with
    the share of the query's idf mass that the best allowed lexical match contains ("coverage"): a query in
    another language (only numbers and names match) falls back to the dense signal automatically.
Query translation
    A query in another language than English is also translated into English (see :mod:`ccx.search.lexicon`:
    each content word's nearest English index terms by the encoder's cosine); English documents not written
    in the query's language score that translated query with BM25, each word by its best translation, and
    fuse it with the dense signal as above with ``w_t = translation.weight x min(1, share x coverage_t /
    full_coverage)``. English and undetermined queries are never translated.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from .artefacts import (
    _LANGUAGE_BIT,
    _OTHER_LANGUAGE,
    DIM,
    BoolArray,
    Document,
    DocumentArtefacts,
    Encoder,
    EngineConfig,
    FloatArray,
    Hit,
    IntArray,
    Snippet,
    _grow,
    _top,
    analyse,
    embed,
    language_bits,
    range_normalise,
)
from .crosslingual import PIVOT, QueryTranslation
from .dense import DenseScoring
from .language import UNDETERMINED, detect, stop_words
from .lexical import LexicalScoring
from .lexicon import Lexicon, LexiconSettings
from .text import NO_BOILERPLATE, STOP_WORDS, Boilerplate, snippet, tokenize


class Engine(LexicalScoring, DenseScoring, QueryTranslation):
    def __init__(
        self, encoder: Encoder | None, config: EngineConfig = EngineConfig(), boilerplate: Boilerplate = NO_BOILERPLATE
    ) -> None:
        self.encoder = encoder
        self.config = config
        self.boilerplate = boilerplate
        # The last queries' vectors: one page asks for the same query once per selected facet (issue 12).
        self._query_vectors: dict[tuple[str, str], FloatArray] = {}
        # vocabulary and exact statistics
        self.vocab: dict[str, int] = {}
        self.term_of: list[str] = []  # term id → term
        self.df = np.zeros(0, dtype=np.int64)
        # slots (one per added document; removed documents leave dead slots until compaction)
        self.ids: list[str | None] = []
        self.slot_of: dict[str, int] = {}
        self.alive = np.zeros(0, dtype=bool)
        self.length = np.zeros(0, dtype=np.float32)
        self.languages: list[str] = []  # per slot: the document's languages (comma-separated)
        self.language_bits = np.zeros(0, dtype=np.int32)  # per slot: language_bits(languages)
        self.doc_terms: list[npt.NDArray[np.int32]] = []  # per slot: term ids (for df updates and compaction)
        self.doc_tf: list[FloatArray] = []  # per slot: field-weighted tf
        self.total_length = 0.0
        self.n_alive = 0
        # postings: CSR over slots < self._csr_slots, plus the delta segment for later slots
        self._indptr = np.zeros(1, dtype=np.int64)
        self._post_doc = np.zeros(0, dtype=np.int32)
        self._post_tf = np.zeros(0, dtype=np.float32)
        self._csr_slots = 0
        self._delta: dict[int, tuple[list[int], list[float]]] = {}
        self._delta_postings = 0
        self._dead = 0
        self._within_counts: dict[tuple[str, int], int] = {}  # document counts per language (see LexicalScoring)
        # dense
        self.doc_vecs = np.zeros((0, DIM), dtype=np.float32)
        self.pvecs = np.zeros((0, DIM), dtype=np.float16)
        self.pstart = np.zeros(0, dtype=np.int64)
        self.pcount = np.zeros(0, dtype=np.int64)
        self._pused = 0
        # query translation (see ccx.search.lexicon): None = queries in other languages than English are not
        # translated, and English documents get only the dense signal for them
        self.lexicon: Lexicon | None = None
        self.translation = LexiconSettings()

    # ------------------------------------------------------------ building

    def analyse(self, document: Document) -> DocumentArtefacts:
        return analyse(document, self.config, self.boilerplate)

    def add(self, documents: Iterable[Document]) -> None:
        """Add or replace documents (embeds their passages with the encoder)."""
        artefacts = [self.analyse(d) for d in documents]
        if self.encoder is None:
            raise ValueError("an encoder is needed to embed new documents")
        embed(self.encoder, artefacts)
        self.add_artefacts(artefacts)

    def add_artefacts(self, artefacts: Iterable[DocumentArtefacts]) -> None:
        """Add or replace documents from stored artefacts (vectors must be present)."""
        for a in artefacts:
            if a.vectors is None:
                raise ValueError(f"artefacts of {a.id!r} have no vectors")
            if a.id in self.slot_of:
                self.remove([a.id])
            self._add_one(a)

    @classmethod
    def from_artefacts(
        cls,
        encoder: Encoder | None,
        artefacts: Iterable[DocumentArtefacts],
        config: EngineConfig = EngineConfig(),
        boilerplate: Boilerplate = NO_BOILERPLATE,
    ) -> Engine:
        engine = cls(encoder, config, boilerplate)
        engine.add_artefacts(artefacts)
        engine._compact()
        return engine

    def _term_id(self, term: str) -> int:
        tid = self.vocab.get(term)
        if tid is None:
            tid = self.vocab[term] = len(self.vocab)
            self.term_of.append(term)
            if tid >= len(self.df):
                self.df = _grow(self.df, tid + 1)
        return tid

    def _add_one(self, a: DocumentArtefacts) -> None:
        assert a.vectors is not None
        weights = self.config.field_weights
        merged: dict[int, float] = {}
        length = 0.0
        for name, counts in a.terms.items():
            w = weights.get(name, 1.0)
            for term, count in counts.items():
                tid = self._term_id(term)
                merged[tid] = merged.get(tid, 0.0) + w * count
                length += w * count
        slot = len(self.ids)
        terms = np.fromiter(merged.keys(), dtype=np.int32, count=len(merged))
        tfs = np.fromiter(merged.values(), dtype=np.float32, count=len(merged))
        self._within_counts = {}  # a new dict: a search counting meanwhile fills the old one
        self.ids.append(a.id)
        self.slot_of[a.id] = slot
        self.languages.append(a.language)
        self.alive = _grow(self.alive, slot + 1)
        self.length = _grow(self.length, slot + 1)
        self.language_bits = _grow(self.language_bits, slot + 1)
        self.language_bits[slot] = language_bits(a.language)
        self.alive[slot] = True
        self.length[slot] = length
        self.doc_terms.append(terms)
        self.doc_tf.append(tfs)
        self.df[terms] += 1
        self.total_length += length
        self.n_alive += 1
        for tid, tf in merged.items():
            entry = self._delta.setdefault(tid, ([], []))
            entry[0].append(slot)
            entry[1].append(tf)
        self._delta_postings += len(merged)
        self._store_vectors(slot, np.asarray(a.vectors, dtype=np.float16))

    def remove(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            slot = self.slot_of.pop(doc_id, None)
            if slot is None:
                continue
            self._within_counts = {}  # a new dict: a search counting meanwhile fills the old one
            self.alive[slot] = False
            self.ids[slot] = None
            self.df[self.doc_terms[slot]] -= 1
            self.total_length -= float(self.length[slot])
            self.n_alive -= 1
            self._dead += 1

    def _needs_compaction(self) -> bool:
        postings = max(len(self._post_doc), 1)
        return (self._delta_postings > self.config.compact_delta_share * postings and self._delta_postings > 5000) or (
            self._dead > self.config.compact_dead_share * max(len(self.ids), 1)
        )

    def _compact(self) -> None:
        """Renumber the live slots densely and rebuild the CSR postings (O(total postings))."""
        keep = np.flatnonzero(self.alive[: len(self.ids)])
        n = len(keep)
        terms = [self.doc_terms[s] for s in keep]
        tfs = [self.doc_tf[s] for s in keep]
        counts = np.fromiter((len(t) for t in terms), dtype=np.int64, count=n)
        all_terms = np.concatenate(terms) if n else np.zeros(0, dtype=np.int32)
        all_tf = np.concatenate(tfs) if n else np.zeros(0, dtype=np.float32)
        all_docs = np.repeat(np.arange(n, dtype=np.int32), counts)
        order = np.argsort(all_terms, kind="stable")
        self._post_doc = all_docs[order]
        self._post_tf = all_tf[order]
        self._indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(all_terms, minlength=len(self.vocab)), out=self._indptr[1:])
        self._compact_vectors(keep)
        self.length = self.length[keep].copy()
        self.language_bits = self.language_bits[keep].copy()
        self.languages = [self.languages[s] for s in keep]
        self.alive = np.ones(n, dtype=bool)
        self.ids = [self.ids[s] for s in keep]
        self.slot_of = {doc_id: i for i, doc_id in enumerate(self.ids) if doc_id is not None}
        self.doc_terms, self.doc_tf = terms, tfs
        self._csr_slots = n
        self._delta, self._delta_postings, self._dead = {}, 0, 0

    # ------------------------------------------------------------ scoring

    @property
    def size(self) -> int:
        return self.n_alive

    def query_language(self, query: str) -> str:
        """The language the query is read as ("" when it cannot be told)."""
        return detect(self._clean_query(query))

    def query_terms(self, query: str, language: str = UNDETERMINED) -> Counter[str]:
        """The query's index terms, without the function words of its language."""
        stop = STOP_WORDS | stop_words(language)
        return Counter(tokenize(self._clean_query(query), stem=self.config.stem, stop=stop))

    def _clean_query(self, query: str) -> str:
        return self.boilerplate.clean(query) or query

    def search(
        self,
        query: str,
        k: int = 10,
        allowed: BoolArray | Iterable[str] | None = None,
        mode: str = "hybrid",
        qvec: FloatArray | None = None,
        language: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best documents for ``query`` among ``allowed`` (a boolean mask over :attr:`slot_ids`
        order, or an iterable of document ids); ``mode`` is "hybrid", "bm25" or "dense". ``language``: the
        query's language when already known (see :meth:`query_language`; "" = search without language rules).

        "bm25" is plain BM25 (the keyword search baseline): no language rules.
        """
        if language is None or not self.config.language_rules:
            language = self.query_language(query) if mode == "hybrid" and self.config.language_rules else UNDETERMINED
        terms = self.query_terms(query, language) if mode != "dense" else Counter[str]()
        if mode != "bm25" and qvec is None:
            qvec = self.encode_query(query, language)
        translated = self.translate_query(query, language, qvec) if mode == "hybrid" else None
        if translated is not None and qvec is not None and self.translation.dense_mix > 0:
            qvec = self.blend_translation(qvec, translated[0])
        return self._search(terms, qvec, k, allowed, mode, language, translated)

    def similar(self, doc_id: str, k: int = 10, allowed: BoolArray | Iterable[str] | None = None) -> list[Hit]:
        """Documents like ``doc_id``: its 30 best tf-idf terms and its retrieval vector, fused as in search."""
        if self._needs_compaction():
            self._compact()
        slot = self.slot_of[doc_id]
        tids, tfs = self.doc_terms[slot], self.doc_tf[slot]
        weights: FloatArray = tfs * self.idf(tids)
        best = np.argsort(-weights)[:30]
        terms = Counter({self.term_of[int(t)]: 1 for t in tids[best]})
        mask = self._mask(allowed)
        mask[slot] = False
        language = self.languages[slot].split(",")[0]
        return self._search(terms, self.document_vector(slot), k, mask, "hybrid", language)

    @property
    def slot_ids(self) -> list[str | None]:
        """Document id per slot (None for a removed document): the order of an ``allowed`` mask.
        Compaction renumbers slots, so build masks right before searching (or pass ids)."""
        if self._needs_compaction():
            self._compact()
        return self.ids

    def mask_for(self, ids: Iterable[str]) -> BoolArray:
        mask = np.zeros(len(self.slot_ids), dtype=bool)
        slots = [self.slot_of[i] for i in ids if i in self.slot_of]
        mask[slots] = True
        return mask

    def _mask(self, allowed: BoolArray | Iterable[str] | None) -> BoolArray:
        n_slots = len(self.ids)
        mask = self.alive[:n_slots].copy()
        if allowed is None:
            return mask
        if isinstance(allowed, np.ndarray) and allowed.dtype == bool:
            if len(allowed) != n_slots:
                raise ValueError("allowed mask does not match the index size (see slot_ids)")
            return mask & allowed
        return mask & self.mask_for(allowed)

    def _search(
        self,
        terms: Mapping[str, int],
        qvec: FloatArray | None,
        k: int,
        allowed: BoolArray | Iterable[str] | None,
        mode: str,
        language: str = UNDETERMINED,
        translated: tuple[list[dict[str, float]], float] | None = None,
    ) -> list[Hit]:
        statistics = self.config.language_statistics and mode == "hybrid" and bool(language)
        if terms:
            lex, matched, total = self._bm25(terms, (language, self._in_language(language)) if statistics else None)
        else:
            lex, matched, total = np.zeros(len(self.ids), np.float32), np.zeros(len(self.ids), np.float32), 0.0
        mask = self._mask(allowed)
        n_cand = self.config.candidates
        if mode == "bm25" or qvec is None:
            top = _top(lex, mask & (lex > 0), k)
            return [Hit(self._id(s), float(lex[s]), float(lex[s]), 0.0, float(lex[s]), self.languages[s]) for s in top]
        dense_all = self.document_scores(qvec)
        if mode == "dense":
            cand = _top(dense_all, mask, max(n_cand, k))
            dense = self.dense_scores(qvec, cand)
            order = np.argsort(-dense, kind="stable")[:k]
            return [
                Hit(self._id(cand[i]), float(dense[i]), 0.0, float(dense[i]), 0.0, self.languages[cand[i]])
                for i in order
            ]
        # lexical evidence counts only in documents written in the query's language
        lexical = self._in_language(language)
        lex = np.where(lexical, lex, np.float32(0.0))
        cand = np.union1d(_top(lex, mask & (lex > 0), n_cand), _top(dense_all, mask, n_cand))
        # ... and the query's English translation counts in the English documents not written in its language
        pivot: tuple[FloatArray, FloatArray, float, BoolArray] | None = None
        if translated is not None:
            target = self._in_language(PIVOT) & ~lexical
            within = (f"{PIVOT}-not-{language}", target) if statistics else None
            lex_t, matched_t, total_t = self._bm25_groups(translated[0], within)
            lex_t = np.where(target, lex_t, np.float32(0.0))
            cand = np.union1d(cand, _top(lex_t, mask & (lex_t > 0), n_cand))
            pivot = (lex_t, matched_t, total_t, target)
        if not len(cand):
            return []
        dense = self.dense_scores(qvec, cand)
        lex_c = lex[cand]
        best = int(np.argmax(lex_c))
        coverage = float(matched[cand[best]]) / total if lex_c[best] > 0 and total > 0 else 0.0
        feedback = self._feedback(cand, dense, ~lexical[cand])
        # an English document's raw lexical score is its match with the translated query
        raw = lex_c if pivot is None else np.where(pivot[3][cand], pivot[0][cand], lex_c)
        # native and translated matches on one scale (their idf from their own languages' documents), or each
        # normalised on its own
        joint = range_normalise(raw) if pivot is not None and statistics else None
        fused, lex_n = self._fuse(lex_c, dense, coverage, lexical[cand], feedback, self._discount(lexical), joint)
        if pivot is not None and translated is not None:
            read = lexical | pivot[3]
            unread = (~read[cand], self._discount(read))
            fused, lex_n = self._fuse_translation(fused, lex_n, dense, cand, pivot, translated[1], joint, unread)
            lex_c = raw
        order = np.argsort(-fused, kind="stable")[:k]
        return [
            Hit(
                self._id(cand[i]),
                float(fused[i]),
                float(lex_n[i]),
                float(dense[i]),
                float(lex_c[i]),
                self.languages[cand[i]],
            )
            for i in order
        ]

    def _discount(self, read: BoolArray) -> float:
        """How much a candidate that no lexical signal reaches loses (``EngineConfig.cross_discount``): by default
        the share of the index that the query reads lexically (``read``, per slot)."""
        if self.config.cross_discount is not None:
            return self.config.cross_discount
        return float(np.count_nonzero(read & self.alive[: len(self.ids)])) / max(self.n_alive, 1)

    def _in_language(self, language: str, slots: IntArray | None = None) -> BoolArray:
        """Per slot (every slot, or ``slots``): is the document written in ``language`` (every document when it is
        undetermined)?"""
        bits = self.language_bits[: len(self.ids)] if slots is None else self.language_bits[slots]
        if not language:
            return np.ones(len(bits), dtype=bool)
        result: BoolArray = (bits & _LANGUAGE_BIT.get(language, _OTHER_LANGUAGE)) != 0
        return result

    def _feedback(self, cand: IntArray, dense: FloatArray, other_language: BoolArray) -> FloatArray | None:
        """BM25 of the candidates for the best terms of the best dense hits in another language (or None)."""
        config = self.config
        if not config.feedback_docs or not other_language.any():
            return None
        order = np.argsort(-np.where(other_language, dense, -np.inf), kind="stable")[: config.feedback_docs]
        weights: Counter[int] = Counter()
        for slot in cand[order[other_language[order]]]:
            tids, tfs = self.doc_terms[slot], self.doc_tf[slot]
            tfidf = tfs / max(float(tfs.sum()), 1.0) * self.idf(tids)
            for tid, weight in zip(tids.tolist(), tfidf.tolist(), strict=True):
                weights[tid] += weight
        terms = Counter({self.term_of[tid]: 1 for tid, _w in weights.most_common(config.feedback_terms)})
        scores, _matched, _total = self._bm25(terms)
        result: FloatArray = scores[cand]
        return result

    def _fuse(
        self,
        lex: FloatArray,
        dense: FloatArray,
        coverage: float,
        same_language: BoolArray,
        feedback: FloatArray | None = None,
        discount: float = 1.0,
        normalised: FloatArray | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Fused scores of the candidates (and their normalised lexical signal); ``normalised``: the lexical
        signal already normalised (with the translated query's, see :meth:`_search`)."""
        lex_n = range_normalise(lex) if normalised is None else normalised
        dense_n = range_normalise(dense)
        w = self.config.lexical_weight * min(1.0, coverage / self.config.full_coverage)
        cross = dense_n
        if feedback is not None:
            a = self.config.feedback_weight
            cross = a * range_normalise(feedback) + (1.0 - a) * dense_n
        cross = (1.0 - discount * w) * cross
        fused = np.where(same_language, w * lex_n + (1.0 - w) * dense_n, cross)
        return fused.astype(np.float32), lex_n

    def snippet(self, text: str, query: str, words: int = 30, language: str = UNDETERMINED) -> Snippet:
        """Best ~``words``-word passage of a document's text for ``query`` (boilerplate lines skipped, terms
        weighted by idf) and the surface words to highlight."""
        n = max(self.n_alive, 1)
        unknown = math.log1p((n + 0.5) / 0.5)

        def weight(term: str) -> float:
            tid = self.vocab.get(term)
            return unknown if tid is None else float(self.idf(np.array([tid], dtype=np.int64))[0])

        passage, terms = snippet(
            self.boilerplate.clean(text),
            self._clean_query(query),
            words=words,
            weight=weight,
            stem=self.config.stem,
            stop=STOP_WORDS | stop_words(language),
        )
        return Snippet(passage, terms)

    def _id(self, slot: int | np.integer[Any]) -> str:
        doc_id = self.ids[int(slot)]
        assert doc_id is not None
        return doc_id
