"""One pagination for every list endpoint: `?limit=&offset=` in, `{count, items}` out.

`limit` is at most MAX_LIMIT (settings.NINJA_PAGINATION_MAX_LIMIT, documented in the README); `offset` at most
MAX_OFFSET, so that a huge number is a 422 rather than a database error.
"""

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any, Generic, TypeVar, overload

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT: int = settings.NINJA_PAGINATION_MAX_LIMIT
MAX_OFFSET = 1_000_000

Row = TypeVar("Row")


class Converted(Sequence[Any], Generic[Row]):
    """Rows (a queryset or a list) that become API items only once sliced to a page: only the page is built."""

    def __init__(self, rows: QuerySet[Any] | Sequence[Row], convert: Callable[[Row], Any]) -> None:
        self.rows = rows
        self.convert = convert

    def all(self) -> "Converted[Row]":
        return self

    def count(self, value: Any = None) -> int:  # ninja counts a page's source with .all().count()
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.convert(row) for row in self.rows[index]]
        return self.convert(self.rows[index])

    def __iter__(self) -> Iterator[Any]:
        return (self.convert(row) for row in self.rows)


@cache
def pages(default_limit: int = 20) -> type[LimitOffsetPagination]:
    """The pagination class of a list endpoint; only the default page size differs between endpoints."""

    class Input(Schema):
        limit: int = Field(default_limit, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    Input.__name__ = Input.__qualname__ = f"PageOf{default_limit}"  # one schema name per page size in OpenAPI
    return type(f"Pages{default_limit}", (LimitOffsetPagination,), {"Input": Input})
