"""Query translation's part of the engine: the English vocabulary it embeds, the translated query, and the
fusion of its lexical score with the dense signal (see :mod:`ccx.search.lexicon` and the engine's docstring).

A mixin of :class:`ccx.search.engine.Engine`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from .artefacts import BoolArray, Encoder, EngineConfig, FloatArray, IntArray, range_normalise
from .dictionary import Dictionary, dictionary, is_english_word
from .language import UNDETERMINED, stop_words
from .lexicon import Lexicon, LexiconSettings, content_words, english_vocabulary, piece_segmenter
from .places import PlaceNames, place_names, written_words
from .text import STOP_WORDS, fold
from .transliteration import ENDING, MIN_STEM, TRANSLITERATED, spellings

# the language that query translation translates into (the index's main language)
PIVOT = "en"


class QueryTranslation:
    config: EngineConfig
    translation: LexiconSettings
    lexicon: Lexicon | None
    encoder: Encoder | None
    ids: list[str | None]
    vocab: dict[str, int]
    alive: npt.NDArray[np.bool_]
    term_of: list[str]
    doc_terms: list[npt.NDArray[np.int32]]

    # the engine's own methods, declared for the type checker
    _needs_compaction: Callable[[], bool]
    _compact: Callable[[], None]
    _in_language: Callable[..., BoolArray]  # (language, slots=None)
    _postings: Callable[[int], tuple[IntArray, FloatArray]]
    _clean_query: Callable[[str], str]
    encode_query: Callable[..., FloatArray]

    def translation_vocabulary(self) -> list[str]:
        """The English terms query translation translates into (see :func:`english_vocabulary`)."""
        return english_vocabulary(self.english_document_frequency(), self.translation, is_english_word)

    def english_document_frequency(self) -> list[tuple[str, int]]:
        """(term, number of live English documents containing it) for the terms of the English documents; with
        ``translation.english_only``, only the terms relatively more frequent in English documents than in the
        others (so that "ciudad", met in a few English records, is not taken for English)."""
        if self._needs_compaction():
            self._compact()
        alive = self.alive[: len(self.ids)]
        english = self._in_language(PIVOT) & alive
        slots = np.flatnonzero(english)
        if not len(slots):
            return []
        counts = np.bincount(np.concatenate([self.doc_terms[s] for s in slots]), minlength=len(self.term_of))
        keep = counts > 0
        others = np.flatnonzero(alive & ~english)
        if self.translation.english_only and len(others):
            other = np.bincount(np.concatenate([self.doc_terms[s] for s in others]), minlength=len(self.term_of))
            keep &= counts / len(slots) >= other / len(others)
        return [(self.term_of[int(t)], int(counts[t])) for t in np.flatnonzero(keep)]

    def build_lexicon(self, model: str = "") -> Lexicon:
        """Embed the index's English vocabulary (see :mod:`ccx.search.lexicon`); attach it with ``lexicon``."""
        if self.encoder is None:
            raise ValueError("an encoder is needed to build the lexicon")
        return Lexicon.build(self.translation_vocabulary(), self.encoder, model)

    def translate_query(
        self, query: str, language: str, qvec: FloatArray | None = None
    ) -> tuple[list[dict[str, float]], float] | None:
        """The query's content words in English (a group of weighted terms per word) and the share of its content
        words that found a translation; None when there is nothing to translate (English, undetermined, no lexicon)."""
        lexicon = self.lexicon  # one lexicon for the whole query: the live index may swap in a newer one
        if lexicon is None or not len(lexicon) or language in (UNDETERMINED, PIVOT):
            return None
        if not self.config.language_rules or self.encoder is None:
            return None
        found = dictionary(language) if self.translation.dictionary else None
        segment = piece_segmenter(self.encoder) if self.translation.segment else None
        if found is not None and found.segments:
            segment = found.segment
        words = content_words(self._clean_query(query), STOP_WORDS | stop_words(language), segment)
        if not words:
            return None
        groups = lexicon.choose_each(lexicon.nearest_words(words, self.encoder), qvec, self.translation)
        if found is not None:
            groups = [self._with_dictionary(group, word, found) for group, word in zip(groups, words, strict=True)]
        if self.translation.transliterate and language in TRANSLITERATED:
            groups = [
                self._with_spelling(group, word, language, lexicon) for group, word in zip(groups, words, strict=True)
            ]
        places = place_names(language) if self.translation.places else None
        if places is not None or self.translation.names_kept:
            written = written_words(self._clean_query(query))
            groups = [
                self._with_name(group, *written.get(word, (word, False)), places)
                for group, word in zip(groups, words, strict=True)
            ]
        terms = [group for group in groups if group]
        if not terms:
            return None
        share = len(terms) / len(words) if self.translation.share else 1.0
        return terms, share

    def blend_translation(self, qvec: FloatArray, groups: list[dict[str, float]]) -> FloatArray:
        """The query's vector moved towards its English translation's (each word's best English term, in order,
        embedded as an English query): a share ``translation.dense_mix`` of the direction."""
        english = " ".join(max(group, key=lambda term: group[term]) for group in groups)
        tvec = self.encode_query(english, PIVOT)
        mix = self.translation.dense_mix
        blended = (1.0 - mix) * qvec + mix * tvec
        result: FloatArray = (blended / max(float(np.linalg.norm(blended)), 1e-12)).astype(np.float32)
        return result

    def _encoder_sure(self, group: dict[str, float]) -> bool:
        """Did the encoder translate this word closely (``translation.dictionary_below``)? Then neither a
        dictionary nor a spelling is consulted for it."""
        return bool(group) and max(group.values()) >= self.translation.dictionary_below

    def _with_dictionary(self, group: dict[str, float], word: str, found: Dictionary) -> dict[str, float]:
        """A word's encoder translations joined by its dictionary translations that are index terms (each also
        in its English plural or singular form where the index has it), unless the encoder already found a close
        translation (``translation.dictionary_below``) that the dictionary shares. A single Han character is not
        looked up: its dictionary senses are too many to choose from.

        A close translation the dictionary gives too keeps the word to the encoder's reading (街道 "streets": the
        dictionary's other sense, "subdistrict", would only add false matches); one the dictionary does not know
        is taken for a confusion of the encoder's ("informels", informal, read as "informants" at cosine 0.88), and
        the dictionary's senses join it (``translation.dictionary_overrules``)."""
        if found.segments and len(word) < 2:
            return group
        forms = [
            form
            for term in found.lookup(word)
            for form in (term, f"{term}s", term[:-1] if term.endswith("s") else "")
            if form in self.vocab
        ]
        if self._encoder_sure(group) and (not self.translation.dictionary_overrules or set(forms) & set(group)):
            return group
        merged = dict(group)
        weight = self.translation.dictionary_weight
        for form in forms:
            merged[form] = max(merged.get(form, 0.0), weight)
        return merged

    def _with_spelling(self, group: dict[str, float], word: str, language: str, lexicon: Lexicon) -> dict[str, float]:
        """A word's translations joined by the English terms its Latin spelling gives (see
        :mod:`ccx.search.transliteration`), at a dictionary translation's weight, unless the encoder already found
        a close translation (``translation.dictionary_below``)."""
        if self._encoder_sure(group):
            return group
        latin = spellings(word, language)
        if latin is None:
            return group
        merged = dict(group)
        for term in lexicon.spelled(*latin, MIN_STEM, ENDING):
            merged[term] = max(merged.get(term, 0.0), self.translation.dictionary_weight)
        return merged

    def _with_name(
        self, group: dict[str, float], word: str, starts: bool, places: PlaceNames | None
    ) -> dict[str, float]:
        """A word's translations joined, whatever the encoder found (a name has one translation), by:

        - the English name of the place it names (see :mod:`ccx.search.places`): "Ливии" → libya;
        - itself, when it is capitalised inside a sentence and some English document has it
          (``translation.names_kept``): names of towns, organisations and products are written as in English
          ("Zanzíbar", "Bamako", "PNUD")."""
        terms = places.lookup(word, starts) if places is not None else []
        if terms and places is not None and places.ambiguous(word) and self._encoder_sure(group):
            terms = []  # a name that is also a common word ("مالي", Mali, "financial"): the encoder read the word
        if not terms and self.translation.names_kept and word[:1].isupper() and not starts:
            terms = [fold(word)] if self._in_english(fold(word)) else []
        terms = [term for term in terms if term in self.vocab]
        if not terms:
            return group
        merged = dict(group)
        for term in terms:
            merged[term] = max(merged.get(term, 0.0), self.translation.place_weight)
        return merged

    def _in_english(self, term: str) -> bool:
        """Does a live English document contain the index term ``term``?"""
        tid = self.vocab.get(term)
        if tid is None:
            return False
        docs, _tf = self._postings(tid)
        return bool((self._in_language(PIVOT, docs) & self.alive[docs]).any())

    def _fuse_translation(
        self,
        fused: FloatArray,
        lex_n: FloatArray,
        dense: FloatArray,
        cand: IntArray,
        pivot: tuple[FloatArray, FloatArray, float, BoolArray],
        share: float,
        normalised: FloatArray | None = None,
        unread: tuple[BoolArray, float] | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """English candidates (not in the query's language) fuse the translated query's BM25 with the dense
        signal, like a native lexical match: ``w_t·lex_t + (1 - w_t)·dense`` with ``w_t = weight x
        min(1, coverage_t / full_coverage)``, coverage_t the translated idf mass the best English match contains
        times the share of the query's content words that found a translation. ``normalised``: the candidates'
        lexical signal normalised with the native matches (else the translated one is normalised on its own).

        ``unread``: the candidates in a third language (neither the query's nor English: a French case for a
        Chinese query), which no lexical signal reaches, and a discount d. They score ``(1 - d·w_t)·dense``, as
        an English candidate that matches no translated word, so that their dense signal alone does not outrank
        an English candidate's dense and lexical evidence together (it took the first place of Chinese queries
        with French cases). d, as for an English query's other-language documents (``EngineConfig.cross_discount``),
        is the share of the index the query reads lexically: in its own language or in English."""
        lex_t, matched_t, total_t, target = pivot
        in_target = target[cand]
        if not in_target.any():
            return fused, lex_n
        lex_tc = lex_t[cand]
        best = int(np.argmax(lex_tc))
        coverage = float(matched_t[cand[best]]) / total_t if lex_tc[best] > 0 and total_t > 0 else 0.0
        w = self.translation.weight * min(1.0, share * coverage / self.config.full_coverage)
        lex_tn = np.zeros_like(lex_tc)
        lex_tn[in_target] = range_normalise(lex_tc[in_target]) if normalised is None else normalised[in_target]
        dense_n = np.zeros_like(dense)
        dense_n[:] = range_normalise(dense)
        result = np.where(in_target, w * lex_tn + (1.0 - w) * dense_n, fused)
        if unread is not None:  # documents in a third language: as an English document that matches no word
            result = np.where(unread[0], (1.0 - unread[1] * w) * dense_n, result)
        return result.astype(np.float32), np.where(in_target, lex_tn, lex_n).astype(np.float32)
