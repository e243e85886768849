"""The exchange format: practices as JSON-LD (schema.org, plus a few ccx: terms) and as CSV.

`practice_to_jsonld` and `jsonld_to_values` are each other's inverse: exporting a practice and importing the
document into an empty practice gives the same revision snapshot (see docs/exchange-format.md). Cities, countries,
creative fields, themes, technologies, SDG goals and targets travel by their natural keys (slug, ISO code, number,
code), so a document can move between databases.

Modules: terms (the vocabulary), jsonld_out and csv_out (export), jsonld_in (import of one node), checks.
"""
