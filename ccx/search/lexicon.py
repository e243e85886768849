"""Query translation into English through the encoder: a bilingual lexicon induced from the index (no Django).

The index is mostly English, so a query in another language has, until translated, only the dense signal
against most documents. The multilingual encoder places a word and its translations close together, so:

- at index time, the English content vocabulary of the index (the ``size`` terms of most English documents,
  in as many of them as fit) is embedded once with the same encoder (:meth:`Lexicon.build`; 20,000 terms
  take about 15 s on one core) and kept with the index artefacts (:meth:`Lexicon.save`, :meth:`Lexicon.load`);
- at query time, the query's content words (function words of its language dropped; Chinese and Japanese
  runs cut into the index's character bigrams) are embedded in one batch, and each word lends its nearest
  English terms, weighted by similarity (:meth:`Lexicon.translate`). A word's candidates are ranked by the
  mean of their similarity to the word and to the whole query (so "centre" in a traffic query goes to
  "downtown" rather than "centres"), the word's weight (its best similarity) is shared among the terms it
  keeps, and words whose best similarity stays below ``min_similarity`` lend nothing.

The engine runs its English lexical pass (BM25) on these weighted terms over the English documents and fuses
it with the dense signal as it fuses a native lexical match (see :mod:`ccx.search.engine`).
Nothing is downloaded: the lexicon is built from the index with the encoder that embeds the documents.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .text import _HAS_NOSPACE, _WORD, fold, tokenize

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
NEAREST = 12  # English terms a query word is compared with (its nearest by cosine)
CACHED_WORDS = 50_000  # query words whose nearest terms are remembered (about 5 MB)
_ALPHA_TERM = re.compile(r"^[a-z]{3,}$")


@dataclass(frozen=True)
class LexiconSettings:
    size: int = 20000  # English terms kept, by document frequency
    english_only: bool = True  # leave out terms relatively more frequent in the documents in other languages
    min_df: int = 1  # a term in fewer English documents is left out (see english_vocabulary for the size cut)
    single_known_only: bool = True  # a term of a single English document is kept only if it is a known word
    neighbours: int = 3  # English terms a query word may lend its weight to
    min_similarity: float = 0.6  # a word whose nearest English term is further than this lends nothing
    context: float = 0.5  # share of the whole query's similarity in ranking a word's candidates
    margin: float = 1.0  # a candidate this much less similar to the word than its best one is dropped
    dictionary: bool = True  # a word's dictionary translations join its encoder neighbours (ccx.search.dictionary)
    dictionary_weight: float = 0.8  # the weight of a dictionary translation (an encoder neighbour: its cosine)
    dictionary_below: float = 0.8  # the dictionary is consulted for a word whose best encoder cosine is below this
    dictionary_overrules: bool = True  # ... and for one whose close encoder translations the dictionary lacks
    transliterate: bool = True  # a word in Cyrillic also finds the English terms its Latin spelling gives
    places: bool = True  # a word that names a country or city lends its English name (ccx.search.places)
    place_weight: float = 1.0  # the weight of a place's English name
    names_kept: bool = True  # a capitalised word inside a sentence that English documents have lends itself
    dense_mix: float = 0.3  # share of the English translation's vector in the query's (0: the query's own only)
    salience: float = 0.0  # 0..1: share of a term's weight that depends on its similarity to the whole query
    split: bool = False  # a word's weight is shared among its terms (else each term carries its own)
    grouped: bool = True  # a document scores a word by its best translation (else by all translations)
    segment: bool = True  # cut Han runs into the encoder's own word pieces (else into character bigrams)
    share: bool = True  # scale the translated coverage by the share of the query's words that found a translation
    weight: float = 0.6  # lexical weight of the translated query at full coverage (native matches: 0.7)

    def key(self) -> str:
        return f"n{self.size}-df{self.min_df}-{'en' if self.english_only else 'all'}"


def english_vocabulary(
    document_frequency: Iterable[tuple[str, int]],
    settings: LexiconSettings,
    known: Callable[[str], bool] | None = None,
) -> list[str]:
    """The terms to embed: ASCII-alphabetic index terms of 3+ letters in at least ``min_df`` English documents,
    most frequent first (ties by term, so the list is deterministic).

    - A term of a single English document is kept only if ``known`` takes it for an English word (with
      ``single_known_only``; see :func:`ccx.search.dictionary.is_english_word`). Half of the bundled library's
      9,408 such terms are in no shipped dictionary: typos ("enegagement", "attetion"), names, words of other
      languages. Each is rare, so a query word the encoder reads as one of them ("выступлений", performances,
      came out as those two) matches its one document strongly: kept, they cost the multilingual dev set
      0.01-0.03 MRR@10 in every language (bench/README.md). A known word of one practice stays: in a small
      library, or among the SDG indicators, it is what a query must find.
    - When more than ``size`` qualify, whole frequency levels are left out from the rarest up: a large index
      keeps its words of two or more documents and drops its one-off names and typos, a small index keeps
      every word (none is arbitrarily cut)."""
    single = known if settings.single_known_only and known is not None else None
    kept = [
        (df, term)
        for term, df in document_frequency
        if df >= settings.min_df and _ALPHA_TERM.match(term) and (df > 1 or single is None or single(term))
    ]
    kept.sort(key=lambda item: (-item[0], item[1]))
    if len(kept) > settings.size:
        floor = kept[settings.size][0]  # the frequency of the first term that does not fit
        kept = [(df, term) for df, term in kept[: settings.size] if df > floor]
    return [term for _df, term in kept]


class Lexicon:
    """English index terms and their encoder vectors (L2-normalised, float32 in memory, float16 on disk)."""

    def __init__(self, terms: Sequence[str], vectors: npt.NDArray[Any], model: str = "") -> None:
        if len(terms) != len(vectors):
            raise ValueError("one vector per term")
        self.terms = list(terms)
        self.vectors: FloatArray = np.ascontiguousarray(vectors, dtype=np.float32)
        self.model = model
        self._cache: dict[str, tuple[IntArray, FloatArray]] = {}
        self._lock = threading.Lock()
        self._alphabetical: list[str] | None = None

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def build(cls, terms: Sequence[str], encoder: Any, model: str = "", batch: int = 512) -> Lexicon:
        vectors = [
            np.asarray(encoder.encode(list(terms[i : i + batch])), dtype=np.float32)
            for i in range(0, len(terms), batch)
        ]
        matrix = np.concatenate(vectors) if vectors else np.zeros((0, 512), dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return cls(terms, matrix / np.maximum(norms, 1e-12), model)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial.npz")
        np.savez(partial, terms=np.array(self.terms), vectors=self.vectors.astype("<f2"), model=np.array(self.model))
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        with np.load(path, allow_pickle=False) as archive:
            return cls([str(t) for t in archive["terms"]], archive["vectors"], str(archive["model"]))

    def spelled(self, spelling: str, stem: str, min_stem: int, ending: int) -> list[str]:
        """The terms spelled ``spelling``, or starting with ``stem`` (``min_stem`` letters or more) and at most
        ``ending`` letters longer (see :mod:`ccx.search.transliteration`)."""
        if self._alphabetical is None:
            self._alphabetical = sorted(self.terms)
        terms = self._alphabetical
        at = bisect_left(terms, spelling)
        found = [spelling] if spelling and terms[at : at + 1] == [spelling] else []
        if len(stem) >= min_stem:
            start = bisect_left(terms, stem)
            for term in terms[start : bisect_left(terms, stem + "{", start)]:
                if len(term) <= len(stem) + ending and term not in found:
                    found.append(term)
        return found

    def nearest(self, vectors: FloatArray) -> list[tuple[IntArray, FloatArray]]:
        """For each word vector, its ``NEAREST`` closest English terms (indices) and their cosines."""
        if not len(self.terms) or not len(vectors):
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in range(len(vectors))]
        sims = np.asarray(vectors, dtype=np.float32) @ self.vectors.T
        k = min(NEAREST, len(self.terms))
        tops = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        return [(top.astype(np.int64), row[top]) for row, top in zip(sims, tops, strict=True)]

    def nearest_words(self, words: Sequence[str], encoder: Any) -> list[tuple[IntArray, FloatArray]]:
        """:meth:`nearest` for words, embedding in one batch only the words not met before (a word's
        neighbours depend on nothing else: the last ``CACHED_WORDS`` words are remembered)."""
        with self._lock:
            missing = [word for word in dict.fromkeys(words) if word not in self._cache]
        if missing:
            found = self.nearest(np.asarray(encoder.encode(missing), dtype=np.float32))
            with self._lock:
                for word, neighbours in zip(missing, found, strict=True):
                    self._cache[word] = neighbours
                while len(self._cache) > CACHED_WORDS:
                    del self._cache[next(iter(self._cache))]
        with self._lock:
            return [self._cache.get(word) or self.nearest(np.asarray(encoder.encode([word])))[0] for word in words]

    def translate(
        self, vectors: FloatArray, query: FloatArray | None = None, settings: LexiconSettings = LexiconSettings()
    ) -> list[dict[str, float]]:
        """The English translations of a query's content words (one vector per word): see :meth:`choose`."""
        return self.choose(self.nearest(vectors), query, settings)

    def choose(
        self,
        candidates: Sequence[tuple[IntArray, FloatArray]],
        query: FloatArray | None = None,
        settings: LexiconSettings = LexiconSettings(),
    ) -> list[dict[str, float]]:
        """One weighted group of English terms per word that found any, from each word's nearest terms, using
        the whole query's vector to choose among them."""
        return [group for group in self.choose_each(candidates, query, settings) if group]

    def choose_each(
        self,
        candidates: Sequence[tuple[IntArray, FloatArray]],
        query: FloatArray | None = None,
        settings: LexiconSettings = LexiconSettings(),
    ) -> list[dict[str, float]]:
        """:meth:`choose`, one group per word in the words' order (empty for a word that found none)."""
        groups: list[dict[str, float]] = []
        if not candidates:
            return groups
        tops = [top for top, _sims in candidates]
        flat = np.concatenate(tops) if tops else np.zeros(0, np.int64)
        topical_all = self.vectors[flat] @ query if query is not None and len(flat) else np.zeros(len(flat), np.float32)
        ceiling = max(float(topical_all.max()), 1e-6) if len(flat) else 1e-6
        offset = 0
        for top, similarity in candidates:
            near = topical_all[offset : offset + len(top)]
            offset += len(top)
            groups.append({})
            if not len(top):
                continue
            best = float(similarity.max())
            if best < settings.min_similarity:
                continue
            rank = (1 - settings.context) * similarity + settings.context * near
            order = np.argsort(-rank, kind="stable")[: settings.neighbours]
            keep = order[similarity[order] >= max(settings.min_similarity, best - settings.margin)]
            if not len(keep):
                continue
            salience = (1 - settings.salience) + settings.salience * np.clip(near[keep] / ceiling, 0.0, 1.0)
            weight = similarity[keep] * salience
            if settings.split:
                weight = best * weight / max(float(weight.sum()), 1e-6)
            groups[-1] = {self.terms[int(top[i])]: float(w) for i, w in zip(keep, weight, strict=True) if w > 0}
        return groups


Segmenter = Callable[[str], list[str]]


def content_words(text: str, stop: frozenset[str], segment: Segmenter | None = None) -> list[str]:
    """The words of a query to translate, in order, each once: words that are not function words (``stop``,
    index terms) nor numbers, as written (lower case). A run of Han or kana is cut by ``segment`` (see
    :func:`piece_segmenter`) or else into the index's character bigrams."""
    words: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        if _HAS_NOSPACE.search(word):
            for term in segment(word) if segment is not None else tokenize(word, stop=stop):
                if not term.isdigit() and term not in stop:
                    words.setdefault(term, None)
            continue
        if fold(word) in stop or word.isdigit() or len(word) < 2:
            continue
        words.setdefault(word.lower(), None)
    return list(words)


def piece_segmenter(encoder: Any) -> Segmenter | None:
    """Words of a text without spaces, as the encoder's own sentence-piece vocabulary cuts it: pieces of two
    characters or more are words; a run of one-character pieces (words the vocabulary lacks, e.g. 拥 堵) is cut
    into character bigrams as the index does. None when the encoder exposes no such tokenizer (a wrapper, such
    as a cache of vectors, may hold the encoder as ``encoder``)."""
    tokenizer = getattr(encoder, "_tokenizer", None) or getattr(getattr(encoder, "encoder", None), "_tokenizer", None)
    pieces = getattr(tokenizer, "_pieces", None)
    if tokenizer is None or pieces is None or not hasattr(tokenizer, "encode"):
        return None

    def segment(text: str) -> list[str]:
        cut = [pieces[i].lstrip("\u2581") for i in tokenizer.encode([text], add_bos=False, add_eos=False)[0]]
        words: list[str] = []
        run: list[str] = []
        for piece in [*cut, ""]:
            if len(piece) == 1 and _HAS_NOSPACE.match(piece):
                run.append(piece)
                continue
            if len(run) == 1:
                words.append(run[0])
            words.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
            run = []
            if len(piece) > 1 and _HAS_NOSPACE.search(piece):
                words.append(fold(piece))
        return words

    return segment
