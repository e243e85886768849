class EventError(ValueError):
    """The change is not possible now; `problems` says why, for a person to read."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))
