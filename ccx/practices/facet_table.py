"""The facet values of every published practice, in memory, read once per data version (issue 17).

The library and the search API filter and count facets for every request that the page cache misses. Doing
that in SQL cost ten GROUP BYs over the whole library per request, plus, with a query, a list of every allowed
id read into Python for the search engine. This table answers both with numpy over arrays:

- `mask(filters)`: which published practices the facet filters allow (a boolean per row), the search engine's
  allowed set without a query to the database;
- `counts(facet, rows)`: how many of the given rows have each value of a facet.

It is read from the database with the same columns as the SQL filters and counts (`browse.FACET_COLUMNS`, one
rule in one place) and kept per data version (`ccx.core.pagecache.per_version`): any committed change builds a
new one, so it is never staler than the page cache. Tests compare its answers with the SQL's.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet

from ccx.core.pagecache import per_version
from ccx.practices.models import Practice

BoolArray = npt.NDArray[np.bool_]
IdArray = npt.NDArray[np.int64]
NONE = -1  # the code of a row without a value (a practice without country has no region)


@dataclass(frozen=True)
class SingleFacet:
    """A facet with at most one value per practice: a code per row (an index into `values`, or NONE)."""

    values: tuple[str, ...]
    codes: npt.NDArray[np.int32]

    def allows(self, selected: Iterable[str]) -> BoolArray:
        wanted = [code for code, value in enumerate(self.values) if value in set(selected)]
        result: BoolArray = np.isin(self.codes, np.asarray(wanted, dtype=np.int32))
        return result

    def counts(self, rows: BoolArray) -> dict[str, int]:
        codes = self.codes[rows]
        found = np.bincount(codes[codes != NONE], minlength=len(self.values))
        return {value: int(n) for value, n in zip(self.values, found, strict=True) if n}


@dataclass(frozen=True)
class MultiFacet:
    """A facet with any number of values per practice (fields, themes…): one column of booleans per value."""

    values: tuple[str, ...]
    member: npt.NDArray[np.bool_]  # rows x values

    def allows(self, selected: Iterable[str]) -> BoolArray:
        wanted = [code for code, value in enumerate(self.values) if value in set(selected)]
        result: BoolArray = np.asarray(self.member[:, wanted].any(axis=1), dtype=bool)
        return result

    def counts(self, rows: BoolArray) -> dict[str, int]:
        found = self.member[rows].sum(axis=0)
        return {value: int(n) for value, n in zip(self.values, found, strict=True) if n}


@dataclass(frozen=True)
class FacetTable:
    ids: IdArray  # the published practices' ids, ascending: row i is practice ids[i]
    facets: Mapping[str, SingleFacet | MultiFacet]

    @property
    def everything(self) -> BoolArray:
        return np.ones(len(self.ids), dtype=bool)

    def mask(self, selections: Mapping[str, tuple[str, ...]]) -> BoolArray:
        """The rows whose practice has, for every facet with a selection, one of the selected values."""
        rows = self.everything
        for name, selected in selections.items():
            if selected:
                rows &= self.facets[name].allows(selected)
        return rows

    def rows_of(self, practice_ids: Iterable[int]) -> BoolArray:
        """The rows of these practices (ids of practices that are not in the table are left out)."""
        wanted = np.fromiter(practice_ids, dtype=np.int64)
        result: BoolArray = np.isin(self.ids, wanted)
        return result

    def locate(self, practice_ids: IdArray) -> tuple[IdArray, BoolArray]:
        """The row of each of these practices, and whether it is in the table at all (see `locate`)."""
        return locate(self.ids, practice_ids)

    def ids_of(self, rows: BoolArray) -> IdArray:
        found: IdArray = self.ids[rows]
        return found

    def counts(self, name: str, rows: BoolArray) -> dict[str, int]:
        return self.facets[name].counts(rows)


def facet_table(
    columns: Mapping[str, str], multi_valued: set[str], annotate: Callable[[QuerySet[Practice]], QuerySet[Practice]]
) -> FacetTable:
    """The table of the published practices, once per data version for every process (see the module)."""
    table: FacetTable = per_version("practice-facet-table", lambda: read_table(columns, multi_valued, annotate))
    return table


def read_table(
    columns: Mapping[str, str], multi_valued: set[str], annotate: Callable[[QuerySet[Practice]], QuerySet[Practice]]
) -> FacetTable:
    """Read the table: one query for the one-valued facets, one per many-valued facet. `columns`: the lookup of
    each facet's value (as the SQL counts read it); `annotate` adds the computed ones (the city size band)."""
    published = Practice.objects.published()
    single = [name for name in columns if name not in multi_valued]
    rows = list(annotate(published).order_by("pk").values_list("pk", *(columns[name] for name in single)))
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    facets: dict[str, SingleFacet | MultiFacet] = {}
    for position, name in enumerate(single, start=1):
        facets[name] = _single([row[position] for row in rows])
    for name in columns:
        if name in multi_valued:
            pairs = published.filter(~Q(**{f"{columns[name]}__isnull": True})).values_list("pk", columns[name])
            facets[name] = _multi(ids, pairs)
    return FacetTable(ids, facets)


def _text(value: object) -> str:
    """A value as the facets show it ("" for none: the SQL counts leave out NULL and empty values too)."""
    return "" if value is None else str(value)


def _single(column: list[object]) -> SingleFacet:
    texts = [_text(value) for value in column]
    values = tuple(sorted({text for text in texts if text}))
    code_of = {value: code for code, value in enumerate(values)}
    codes = np.fromiter((code_of.get(text, NONE) for text in texts), dtype=np.int32, count=len(texts))
    return SingleFacet(values, codes)


def _multi(ids: IdArray, pairs: Iterable[tuple[int, object]]) -> MultiFacet:
    found = [(pk, _text(value)) for pk, value in pairs]
    values = tuple(sorted({text for _pk, text in found if text}))
    code_of = {value: code for code, value in enumerate(values)}
    member = np.zeros((len(ids), len(values)), dtype=bool)
    kept = [(pk, code_of[text]) for pk, text in found if text]
    if kept and len(ids):
        pks = np.fromiter((pk for pk, _code in kept), dtype=np.int64, count=len(kept))
        codes = np.fromiter((code for _pk, code in kept), dtype=np.int64, count=len(kept))
        rows, present = locate(ids, pks)  # a practice published between the two queries is left out
        member[rows[present], codes[present]] = True
    return MultiFacet(values, member)


def locate(ids: IdArray, wanted: IdArray) -> tuple[IdArray, BoolArray]:
    """For each id of `wanted`, its position in `ids` (ascending) and whether it is there at all (the position
    of an absent id is some valid row: use it only where present)."""
    if not len(ids):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    rows: IdArray = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    present: BoolArray = ids[rows] == wanted
    return rows, present
