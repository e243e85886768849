"""Query words in another script spelled in Latin letters (no Django): names and borrowed words of a Russian
query ("Додома", "Танзании", "лабораторий") are the English index's own words once transliterated ("dodoma",
"tanzania", "laboratory"), where the encoder, which knows few place names, may read them as other words
("Беларуси", Belarus, came out as "whites").

The transliteration is anyascii's (its tables ship inside the wheel). A word's Latin spelling and that of its
Snowball stem ("танзан" → "tanzan") are looked up among the English terms of the lexicon: the spelling itself, or
a term that starts with the stem and is at most ``ENDING`` letters longer ("tanzania"). Only scripts whose Latin
spelling keeps the vowels take part: Arabic's drops them ("تنزانيا" → "tnzny"), and Chinese gives pinyin.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from .dictionary import normalise, stemmer

TRANSLITERATED = frozenset({"ru"})
MIN_STEM = 4  # letters: a shorter stem starts too many English words
ENDING = 3  # letters an English term may add to a stem ("tanzan" → "tanzania")
_NOT_LETTER = re.compile("[^a-z]")


def latin(text: str) -> str:
    """``text`` in lower-case Latin letters only (anyascii's transliteration, marks and apostrophes dropped)."""
    return _NOT_LETTER.sub("", anyascii(text).lower())


def spellings(word: str, language: str) -> tuple[str, str] | None:
    """The Latin spelling of a query word and of its stem, or None for a language not transliterated."""
    if language not in TRANSLITERATED:
        return None
    folded = normalise(word)
    return latin(folded), latin(stemmer(language)(folded))
