"""The one domain error type: a change or request that the rules refuse, with the reasons for a person to read.

Domain functions raise a subclass; pages show `problems` as messages, and the API maps the class once
(ccx/api/errors.py) to its HTTP status:
- `Conflict` (409): the record's present state does not allow the step ("already confirmed", "not open").
- `InvalidRequest` (422): what was asked cannot be used as given (an unknown action, filter or mode).
Field-by-field problems of a record are Django's `ValidationError`, raised by the record's validator.
"""

from collections.abc import Iterable


class DomainError(ValueError):
    """The rules refuse the change; `problems` says why, one sentence each."""

    status = 409

    def __init__(self, problems: str | Iterable[str]):
        self.problems = [problems] if isinstance(problems, str) else [str(problem) for problem in problems]
        super().__init__(" ".join(self.problems))


class Conflict(DomainError):
    """The record's present state does not allow it."""

    status = 409


class InvalidRequest(DomainError):
    """The request names something that cannot be used (an unknown action, filter value or mode)."""

    status = 422
