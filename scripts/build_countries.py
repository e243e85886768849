"""Build ccx/data/countries.csv from the shared gazetteer, adding Arabic and Russian names.

A one-off data preparation step (run by a developer, not by the product): the gazetteer gives names in
en/fr/zh/es; pycountry's iso-codes translations add ar and ru where Debian's translators have them.
Usage: python scripts/build_countries.py GAZETTEER.csv ccx/data/countries.csv
"""

import csv
import gettext
import sys

import pycountry


def translator(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def main(source: str, target: str) -> None:
    arabic, russian = translator("ar"), translator("ru")
    with open(source, newline="", encoding="utf-8") as infile:
        rows = list(csv.DictReader(infile))
    fields = [*rows[0].keys(), "name_ar", "name_ru"]
    with open(target, "w", newline="", encoding="utf-8") as outfile:
        writer = csv.DictWriter(outfile, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            country = pycountry.countries.get(alpha_2=row["alpha_2"])
            english = country.name if country else row["name_en"]
            row["name_ar"] = _translated(arabic, english)
            row["name_ru"] = _translated(russian, english)
            writer.writerow(row)


def _translated(translation: gettext.NullTranslations, english: str) -> str:
    text = translation.gettext(english)
    return "" if text == english else text


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
