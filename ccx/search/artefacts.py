"""What the engine stores and answers, independent of Django: documents, hits, snippets, its settings, the
per-document artefacts (term counts, passage vectors) and the array helpers the engine shares."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .language import LANGUAGES
from .text import NO_BOILERPLATE, Boilerplate, PassageSettings, passages, tokenize

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DIM = 512
# one bit per encoder language, one for every other language; a document of unknown language has all bits
_LANGUAGE_BIT = {code: 1 << i for i, code in enumerate(LANGUAGES)}
_OTHER_LANGUAGE = 1 << len(LANGUAGES)
_ANY_LANGUAGE = (1 << (len(LANGUAGES) + 1)) - 1


def language_bits(languages: str) -> int:
    """The bit mask of a comma-separated list of language codes ("" = unknown = every language)."""
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    if not codes:
        return _ANY_LANGUAGE
    return sum({_LANGUAGE_BIT.get(code, _OTHER_LANGUAGE) for code in codes})


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> Any: ...


@dataclass(frozen=True)
class Document:
    id: str
    fields: Mapping[str, str]  # "title" is the title; every other field is body text
    language: str = ""  # comma-separated languages the text is written in (original first); "" = unknown


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    lexical: float  # normalised lexical signal in [0, 1] (0: not a lexical candidate)
    dense: float  # raw dense score: (document-vector cosine + best passage cosine) / 2
    bm25: float = 0.0  # raw BM25 score (> 0 iff the document shares an index term with the query)
    language: str = ""  # the document's languages (comma-separated, original first)


@dataclass(frozen=True)
class Snippet:
    text: str
    terms: tuple[str, ...]  # surface forms in ``text`` that match the query, for <mark>


@dataclass(frozen=True)
class EngineConfig:
    k1: float = 1.2
    b: float = 0.75
    field_weights: Mapping[str, float] = field(default_factory=lambda: {"title": 2.0})  # others: 1.0
    stem: bool = False  # plural folding measured neutral-to-slightly-worse on dev: off
    passage: PassageSettings = field(default_factory=PassageSettings)
    candidates: int = 100  # per signal; the union is re-scored with both
    lexical_weight: float = 0.7  # w when the query is well covered lexically
    full_coverage: float = 0.3  # coverage at and above which w = lexical_weight (linear below)
    language_rules: bool = True  # False: every document takes part in the lexical signal (no language reading)
    # a document in another language than the query scores (1 - d x w) x normalised dense: with d = 1, like a
    # same-language document that shares no word with the query; with d = 0, its dense signal alone. None: d = the
    # share of the index written in the query's language (the prior that the answer is in that language), so an
    # English query over a mostly English index treats a Spanish case as an unmatched one (d 0.9), and a French
    # query over the same index lets English cases compete on meaning alone (d 0.03). Measured: d = 0 costs
    # English 0.011 MRR@10, d = 1 costs French 0.26 and Spanish 0.23; the share keeps English and French at their best.
    cross_discount: float | None = None
    # cross-lingual pseudo-relevance feedback, for documents in another language than the query: the
    # ``feedback_terms`` best tf-idf terms of the ``feedback_docs`` best dense hits in another language form a
    # lexical query; its normalised BM25 weighs ``feedback_weight`` against the dense signal (0 docs: off).
    # Measured worse in every language on the multilingual dev set (3, 5 or 10 docs; weight 0.3 or 0.5): off.
    feedback_docs: int = 0
    feedback_terms: int = 30
    feedback_weight: float = 0.3
    # embed the query without its language's function words: helped fr, ru and the city-style problems but cost
    # en, es and ar on the multilingual dev set (bench/README.md), so off
    dense_content_words: bool = False
    # a query's lexical statistics come from the documents of its language: a native match's idf from the
    # documents in the query's language, a translated match's from the English documents, and both matches are
    # normalised on one scale. Without it (False), a French query over a mostly English index gave French words
    # their index-wide rarity and its best French match the top lexical score whatever its strength, so French
    # records (3% of the benchmark corpus) took 44% of French queries' top ten. Measured (bench/README.md):
    # French 0.592 -> 0.632, Spanish 0.585 -> 0.617 MRR@10 on the multilingual dev set.
    language_statistics: bool = True
    # documents' worth of the index-wide rate in a language's own document frequencies (see
    # LexicalScoring.idf_within): a language with few documents borrows the index's statistics. Measured on the
    # multilingual dev set: 0, 20 and 100 give the same MRR@10 (French 0.631-0.632), 500 costs French 0.014
    idf_prior: float = 100.0
    compact_delta_share: float = 0.05  # compact postings when the delta segment passes this share
    compact_dead_share: float = 0.2  # ... or when removed slots pass this share


@dataclass
class DocumentArtefacts:
    """What the engine needs for one document; store it to rebuild the index without re-embedding."""

    id: str
    language: str
    terms: dict[str, dict[str, int]]  # field → term → count
    passages: list[str]
    vectors: npt.NDArray[np.float16] | None = None  # (len(passages), 512), L2-normalised

    def to_record(self) -> dict[str, Any]:
        """JSON-friendly dict (vectors as raw little-endian float16 bytes, e.g. a bytea column)."""
        vectors = None if self.vectors is None else self.vectors.astype("<f2").tobytes()
        return {
            "id": self.id,
            "language": self.language,
            "terms": self.terms,
            "passages": self.passages,
            "vectors": vectors,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> DocumentArtefacts:
        raw = record.get("vectors")
        vectors = None if raw is None else np.frombuffer(raw, dtype="<f2").reshape(-1, DIM).astype(np.float16)
        return cls(
            record["id"],
            record.get("language", ""),
            {f: dict(t) for f, t in record["terms"].items()},
            list(record["passages"]),
            vectors,
        )


def analyse(
    document: Document, config: EngineConfig = EngineConfig(), boilerplate: Boilerplate = NO_BOILERPLATE
) -> DocumentArtefacts:
    """Tokens per field and passages (no vectors yet: see :func:`embed`)."""
    terms: dict[str, dict[str, int]] = {}
    bodies: list[str] = []
    for name, value in document.fields.items():
        text = boilerplate.clean(value) if name != "title" else value
        terms[name] = dict(Counter(tokenize(text, stem=config.stem)))
        if name != "title" and text:
            bodies.append(text)
    cut = passages(document.fields.get("title", ""), "\n".join(bodies), config.passage)
    return DocumentArtefacts(document.id, document.language, terms, cut)


def embed(encoder: Encoder, artefacts: Sequence[DocumentArtefacts]) -> None:
    """Fill ``vectors`` of the artefacts that lack them, in one encoder batch."""
    todo = [a for a in artefacts if a.vectors is None]
    texts = [p for a in todo for p in a.passages]
    if not texts:
        return
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32).astype(np.float16)
    position = 0
    for a in todo:
        a.vectors = vectors[position : position + len(a.passages)]
        position += len(a.passages)


def _grow(array: npt.NDArray[Any], needed: int) -> npt.NDArray[Any]:
    if needed <= len(array):
        return array
    bigger = np.zeros((max(needed, 2 * len(array), 64), *array.shape[1:]), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


def _top(scores: FloatArray, mask: BoolArray, n: int) -> IntArray:
    """Indices of the ``n`` best scores among ``mask`` (the mask is applied before the cut), best first."""
    eligible = np.flatnonzero(mask)
    if len(eligible) > n:
        part = np.argpartition(-scores[eligible], n - 1)[:n]
        eligible = eligible[part]
    return eligible[np.argsort(-scores[eligible], kind="stable")]


def range_normalise(values: FloatArray) -> FloatArray:
    """Map the candidate scores to [0, 1]: 0 at the candidate median (or below), 1 at the best."""
    if not len(values):
        return values
    top = float(values.max())
    floor = float(np.median(values))
    if top <= floor:
        return np.zeros_like(values)
    result: FloatArray = np.clip((values - floor) / (top - floor), 0.0, 1.0).astype(np.float32)
    return result
