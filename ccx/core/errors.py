"""The one domain error type: a change or request that the rules refuse, with the reasons for a person to read.

Domain functions raise a subclass; pages show `problems` as messages, and the API maps the class once
(ccx/api/errors.py) to its HTTP status:
- `Conflict` (409): the record's present state does not allow the step ("already confirmed", "not open").
- `InvalidRequest` (422): what was asked cannot be used as given (an unknown action, filter or mode).
Field-by-field problems of a record are Django's `ValidationError`, raised by the record's validator.
"""

from collections.abc import Iterable, Mapping


class DomainError(ValueError):
    """The rules refuse the change; `problems` says why, one sentence each, and `fields`, when the problems
    concern fields of a record, says which (field → its sentence, as a record's validator names them)."""

    status = 409

    def __init__(self, problems: str | Iterable[str], *, fields: Mapping[str, str] | None = None):
        self.problems = [problems] if isinstance(problems, str) else [str(problem) for problem in problems]
        self.fields = {name: str(text) for name, text in (fields or {}).items()}
        super().__init__(" ".join(self.problems))

    @classmethod
    def by_field(cls, fields: Mapping[str, Iterable[str]]) -> "DomainError":
        """The refusal of a record's values: its problems in the validator's order, and which field each concerns."""
        texts = {name: [str(text) for text in items] for name, items in fields.items()}
        problems = [text for items in texts.values() for text in items]
        return cls(problems, fields={name: " ".join(items) for name, items in texts.items()})


class Conflict(DomainError):
    """The record's present state does not allow it."""

    status = 409


class InvalidRequest(DomainError):
    """The request names something that cannot be used (an unknown action, filter value or mode)."""

    status = 422
