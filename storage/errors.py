"""Errors that are the user's to fix; the CLI prints them as one line, exit status 1."""


class RapportError(Exception):
    """A user error: bad input, a bad database URL, a file that cannot be read."""


class ValidationError(RapportError):
    """One or more fields are invalid. ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))
