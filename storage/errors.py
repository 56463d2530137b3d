"""Errors that are the user's to fix; the CLI prints them as one line, exit status 1."""


class RapportError(Exception):
    """A user error: bad input, a bad database URL, a file that cannot be read."""


class ValidationError(RapportError):
    """One or more fields are invalid. ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))


class DatabaseUnavailable(RapportError):
    """A write could not be made even after retrying, because the database was locked or the
    connection to the server dropped. Nothing was written: screens show the message as a
    notification and keep the user's text, so saving again later works (``storage.db.retry``).

    ``reason`` is the short cause ("another Rapport is writing to the database"); the message adds what it
    means for the user."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"{reason}; nothing was saved, try again")


class DatabaseBusy(DatabaseUnavailable):
    """SQLite stayed locked by another connection, or PostgreSQL kept reporting conflicts."""


class ConnectionLost(DatabaseUnavailable):
    """The connection to the PostgreSQL server dropped and could not be opened again."""


class DatabaseFault(DatabaseUnavailable):
    """The database refused a write for a reason outside Rapport: the disk is full, the file
    or server is read-only, a value does not fit, a constraint. Nothing was written
    (``storage.db.faults`` turns the driver's error into this one line)."""


class ChangedMeanwhile(RapportError):
    """The record was saved by someone else after this form loaded it (docs/storage.md): nothing was
    written; the form asks whether to keep the user's version or reload the stored one."""

    def __init__(self, what: str = "record"):
        super().__init__(f"this {what} was changed by someone else since you opened it")


class Interrupted(BaseException):
    """A catchable signal arrived while an output file was written (storage.exchange.outfile);
    its temporary file is already gone. The command line exits with 128 + ``signum``."""

    def __init__(self, signum: int):
        import signal

        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
