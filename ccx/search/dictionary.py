"""Bilingual dictionaries for query translation (no Django): a query word's English translations, as a
dictionary gives them.

The encoder's induced lexicon (:mod:`ccx.search.lexicon`) translates any word the encoder knows, but it
confuses the words it knows badly ("embouteillages", traffic jams, comes out as "spillages"). A dictionary
knows fewer words, and knows them right. Query translation takes both: a word's group of English terms is
the dictionary's translations together with the encoder's nearest terms.

The files (``dictionaries/<language>.tsv.gz``, one ``word<TAB>stem<TAB>English terms`` line per source word)
are built by ``scripts/build_dictionaries.py`` from CC-CEDICT (Chinese), FreeDict (Arabic, French, Spanish) and
Apertium's word-by-word translations of Debian's word lists (French, Spanish); ``dictionaries/PROVENANCE.md``
gives their versions and licences. They ship with the code: nothing is downloaded. A language without a file
(Russian) has no dictionary: the encoder's lexicon alone translates it. The engine consults a dictionary only
for a word the encoder does not translate closely (see ``LexiconSettings.dictionary_below``).

A query word is looked up as written (case- and accent-folded), then by its stem (Snowball's stemmer of the
language), so that "embouteillages" finds "embouteillage". Chinese has no spaces: a run of Han characters is
cut into words by jieba's segmenter (:meth:`Dictionary.segment`), whose own dictionary and statistics know
words that CC-CEDICT does not (非正规, informal, which a longest-first cut into CC-CEDICT's words read as 非 +
正规, "regular").
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import jieba  # type: ignore[import-untyped]
import snowballstemmer  # type: ignore[import-untyped]

from .text import fold

FOLDER = Path(__file__).with_name("dictionaries")
T = TypeVar("T")
STEMMERS = {"fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
SEGMENTED = frozenset({"zh"})  # languages written without spaces: a word segmenter cuts a query
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def normalise(word: str) -> str:
    """A word as the dictionaries store it: case- and accent-folded, Arabic vowel marks dropped."""
    return _ARABIC_MARKS.sub("", fold(word))


def stemmer(language: str) -> Callable[[str], str]:
    """The language's Snowball stemmer as a function (the word itself for a language without one)."""
    name = STEMMERS.get(language)
    if name is None:
        return lambda word: word
    snowball = snowballstemmer.stemmer(name)
    lock = threading.Lock()  # a Snowball stemmer object keeps state between calls

    def stem(word: str) -> str:
        with lock:
            return str(snowball.stemWord(word))

    return stem


class Dictionary:
    """A source language's words and their English translations (a space-separated string per word), and the
    same by the words' stems (the file gives each word's stem: loading it stems nothing)."""

    def __init__(self, language: str, entries: dict[str, str], stems: dict[str, str] | None = None) -> None:
        self.language = language
        self.entries = entries
        self.by_stem = stems or {}
        self._stem = stemmer(language)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, word: str) -> list[str]:
        """The English terms of ``word`` (each once, in the dictionary's order), or [] when it is unknown."""
        key = normalise(word)
        found = self.entries.get(key)
        if found is None and self.by_stem:
            found = self.by_stem.get(self._stem(key))
        return list(dict.fromkeys(found.split())) if found else []

    def segment(self, run: str) -> list[str]:
        """A run of Han characters cut into words by jieba (its dictionary and hidden Markov model). A word that
        this dictionary lacks is kept whole: the encoder's lexicon still translates it. Measured on the
        multilingual dev set against CC-CEDICT's longest-first cut: Chinese MRR@10 0.608 -> 0.617, while cutting
        jieba's unknown words again into CC-CEDICT's gave 0.604 (bench/README.md)."""
        return [word for word in chinese_segmenter().cut(run, HMM=True) if word.strip()]

    @property
    def segments(self) -> bool:
        return self.language in SEGMENTED

    @classmethod
    def load(cls, language: str, folder: Path | None = None) -> Dictionary | None:
        path = (folder if folder is not None else FOLDER) / f"{language}.tsv.gz"
        if not path.is_file():
            return None
        entries: dict[str, str] = {}
        stems: dict[str, str] = {}
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                word, stem, terms = line.rstrip("\n").split("\t")
                entries[word] = terms
                if stem:  # words of one stem lend it all their translations
                    stems[stem] = f"{stems[stem]} {terms}" if stem in stems else terms
        return cls(language, entries, stems)


_loaded: dict[str, Dictionary | None] = {}
_load_lock = threading.RLock()  # shared by the loaders of ccx.search.places: one may call another


def once_per_process(loaded: dict[str, T | None], language: str, load: Callable[[str], T | None]) -> T | None:
    """``loaded[language]``, filled by ``load(language)`` the first time (by one thread: the files are large)."""
    if language not in loaded:
        with _load_lock:
            if language not in loaded:
                loaded[language] = load(language)
    return loaded[language]


def dictionary(language: str) -> Dictionary | None:
    """The language's dictionary, loaded once per process (None when the language has none)."""
    return once_per_process(_loaded, language, Dictionary.load)


def chinese_segmenter() -> jieba.Tokenizer:
    """jieba's segmenter with its own dictionary (in its wheel), built once per process (about 1 s and 60 MB)."""
    segmenter = once_per_process(_segmenters, "zh", _new_segmenter)
    assert segmenter is not None
    return segmenter


def _new_segmenter(_language: str) -> jieba.Tokenizer:
    """The segmenter's word frequencies read from its dictionary file. Not ``initialize()``: that trusts and
    writes a cache in the shared temporary folder (a file any local user could plant), and saves little (0.8 s
    to build against 1.0-1.3 s to load the cache, measured)."""
    segmenter = jieba.Tokenizer()
    segmenter.FREQ, segmenter.total = segmenter.gen_pfdict(segmenter.get_dict_file())
    segmenter.initialized = True
    return segmenter


_segmenters: dict[str, jieba.Tokenizer | None] = {}
_english: dict[str, frozenset[str] | None] = {}


def english_words() -> frozenset[str]:
    """Every English term a shipped dictionary translates some word into (about 94,000), built once per process
    from the dictionaries: the words known to be English, as opposed to an index's typos and names."""
    words = once_per_process(_english, "en", _dictionaries_english)
    assert words is not None
    return words


def _dictionaries_english(_language: str) -> frozenset[str]:
    found = (dictionary(language) for language in shipped_languages())
    return frozenset(term for loaded in found if loaded for terms in loaded.entries.values() for term in terms.split())


def is_english_word(term: str) -> bool:
    """Is the index term an English word a dictionary knows, as written or as the plural of one ("-s", "-es",
    "-ies" for "-y")?
    True for every term when no dictionary ships (nothing to tell them apart by)."""
    words = english_words()
    if not words:
        return True
    forms = {term}  # the dictionaries give the singular: "tarpaulins", "buses", "communities"
    if term.endswith("s"):
        forms.add(term[:-1])
    if term.endswith("es"):
        forms.add(term[:-2])
    if term.endswith("ies"):
        forms.add(term[:-3] + "y")
    return not forms.isdisjoint(words)


def shipped_languages() -> list[str]:
    return sorted(path.name.removesuffix(".tsv.gz") for path in FOLDER.glob("*.tsv.gz"))


def load_all() -> int:
    """Load every shipped dictionary, their English words and the Chinese segmenter now (a server's warm-up,
    before it forks): the number of words loaded."""
    chinese_segmenter()
    english_words()
    return sum(len(found) for language in shipped_languages() if (found := dictionary(language)))
