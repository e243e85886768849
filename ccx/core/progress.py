"""Progress reporting shared by long operations: a callback that the CLI turns into a progress bar."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from tqdm import tqdm

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class Progress(Protocol):
    def __call__(self, done: int, total: int, label: str = "") -> None: ...


def silent(done: int, total: int, label: str = "") -> None:
    """A progress callback that reports nothing (tests, nested calls)."""


@contextmanager
def progress_bar(stream: "SupportsWrite[str]", description: str) -> Iterator[Progress]:
    """A progress callback drawn as a tqdm bar on `stream` (a management command's stderr)."""
    bar = tqdm(desc=description, unit="row", file=stream, dynamic_ncols=True, leave=True, mininterval=0.5)

    def update(done: int, total: int, label: str = "") -> None:
        if bar.total != total:
            bar.total = total
        if label:
            bar.set_postfix_str(label, refresh=False)
        bar.update(done - bar.n)  # tqdm redraws at most every `mininterval` seconds

    try:
        yield update
    finally:
        bar.close()
