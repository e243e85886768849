"""What the directory, the practice library and their API lists share about query parameters."""


class FilterError(ValueError):
    """A query parameter that cannot be used; the message says why, for a person to read."""
