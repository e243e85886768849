"""What the directory, the practice library, the challenges and their API lists share about query parameters."""

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from ccx.core.errors import InvalidRequest

MAX_QUERY = 200
# C0 and C1 control characters (a NUL typed or pasted into an address): never part of a search, and a NUL is not
# allowed in HTML, where the search box shows the text back
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


class FilterError(InvalidRequest):
    """A query parameter that cannot be used; the message says why, for a person to read."""


class FilterReader:
    """Reads list-valued query parameters. Strict readers raise FilterError; lenient ones keep the problems
    to show them beside the results."""

    def __init__(self, params: Mapping[str, Iterable[str]], strict: bool):
        self.params = params
        self.strict = strict
        self.problems: list[str] = []

    def complain(self, message: str) -> None:
        if self.strict:
            raise FilterError(message)
        self.problems.append(message)

    def last(self, name: str, default: str = "") -> str:
        return (list(self.params.get(name, [])) or [default])[-1]

    def facet(self, parameter: str, allowed: set[str], label: str, upper: bool = False) -> tuple[str, ...]:
        """The known values of a facet (comma-separated or repeated), each unknown one a problem."""
        raw = [v.strip() for item in self.params.get(parameter, []) for v in item.split(",") if v.strip()]
        kept = []
        for value in (v.upper() if upper else v.lower() for v in raw):
            if value in allowed:
                kept.append(value)
            else:
                self.complain(_("Unknown %(label)s '%(value)s'.") % {"label": label, "value": value})
        return tuple(dict.fromkeys(kept))

    def query(self) -> str:
        text = " ".join(CONTROL_CHARACTERS.sub(" ", self.last("q")).split())
        if len(text) > MAX_QUERY:
            self.complain(_("The search text is longer than 200 characters."))
            text = text[:MAX_QUERY]
        return text
