from ccx.core.errors import DomainError, InvalidRequest


class EventError(DomainError):
    """The change is not possible now; `problems` says why, for a person to read."""

    status = InvalidRequest.status
