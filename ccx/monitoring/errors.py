"""The one error type of monitoring's domain functions: what went wrong, in words a person can act on.

The site shows `problems` as messages; the API maps the error once (422, or 403 when `permission`).
"""


class MonitoringError(ValueError):
    def __init__(self, problems: list[str], *, permission: bool = False):
        self.problems = problems
        self.permission = permission
        super().__init__("; ".join(problems))
