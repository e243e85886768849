"""Monitoring's domain error: the project's one `DomainError`, with its reasons for a person to read.

A step the person may not take is 403 (`permission`); a step the report's state or texts do not allow is 422.
Pages show `problems` as messages (or refuse with 403); the API maps the class once to `status`.
"""

from ccx.core.errors import DomainError


class MonitoringError(DomainError):
    status = 422

    def __init__(self, problems: list[str], *, permission: bool = False):
        super().__init__(problems)
        self.permission = permission
        if permission:
            self.status = 403
