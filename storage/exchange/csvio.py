"""CSV files as README.md#csv-files defines them: the columns, reading a file, and checking its values.

Reading is strict and complete: every problem in a file is collected with its line number and
column name, so the user can fix them all at once; ``CsvImportError`` carries the list. The
imports themselves (all or nothing, one transaction) are in ``storage.exchange.csvimport``; the exports
in ``storage.exchange.csvexport``.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from storage.errors import RapportError

CUSTOMER_COLUMNS = ("number", "name", "email", "phone", "address", "notes", "cadence_days")
CONVERSATION_COLUMNS = (
    "uid",
    "customer_number",
    "employee",
    "date",
    "time_begin",
    "time_end",
    "duration_minutes",
    "follow_up",
    "note",
    "with_whom",
    "about",
    "how",
    "completed",
    "completed_on",
    "is_follow_up",
    "pipeline_stage",
    "promised_follow_up",
)
CONTACT_COLUMNS = ("customer_number", "name", "role", "email", "phone")
BOOKING_COLUMNS = (
    "uid",
    "customer_number",
    "employee",
    "start",
    "end",
    "timezone",
    "title",
    "location",
    "note",
    "conversation_uid",
)
COLUMNS = {
    "customers": CUSTOMER_COLUMNS,
    "conversations": CONVERSATION_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "bookings": BOOKING_COLUMNS,
}
_COLUMN_ORDER: dict[str | None, int] = {name: i for columns in COLUMNS.values() for i, name in enumerate(columns)}
REQUIRED = {
    "customers": ("number", "name"),
    "conversations": ("customer_number", "date"),
    "contacts": ("customer_number", "name"),
    "bookings": ("customer_number", "start", "end"),
}
SEPARATORS = (",", ";", "\t")  # a file separated by ; or tabs is recognised (README.md#csv-files)
STDIN = "-"

# Spreadsheet safety (README.md#csv-files): an exported cell that a spreadsheet would run as a formula
# gets a leading ', and import takes exactly one away again. Cells that already start with
# quotes before such a character get one more, so the round trip gives back every byte.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def escape_cell(value: str) -> str:
    return "'" + value if _FORMULA.match(value) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and _FORMULA.match(value, 1) else value


# A field may be far larger than the csv module's default 128 KiB (a 1 MB note, README.md#csv-files).
FIELD_SIZE_LIMIT = 256 * 1024 * 1024


@dataclass(frozen=True)
class LineError:
    """One problem in a file: where (line, column) and what."""

    line: int
    column: str | None
    message: str
    unit: str = "line"  # "card" in a vCard file

    def __str__(self) -> str:
        where = f"{self.unit} {self.line}, column {self.column}" if self.column else f"{self.unit} {self.line}"
        return f"{where}: {self.message}"


class CsvImportError(RapportError):
    """A file that cannot be imported. ``str()`` is a one-line summary; ``errors`` lists every
    problem in line order."""

    def __init__(self, filename: str, errors: list[LineError]):
        self.filename = filename
        self.errors = sorted(errors, key=lambda error: (error.line, _COLUMN_ORDER.get(error.column, -1)))
        count = len(self.errors)
        self.summary = f"{filename}: {count} error{'s' if count != 1 else ''}, nothing imported"
        first = f"; {self.errors[0]}" if count == 1 else f" (first: {self.errors[0]})"
        super().__init__(self.summary + first)


def show(value: str, limit: int = 40) -> str:
    """A value quoted for a message: control characters escaped, long values shortened."""
    if len(value) > limit:
        value = value[:limit] + "…"
    text = repr(value)
    return "'" + text[1:-1].replace("\\'", "'") + "'" if text[0] == '"' else text


def _undecodable(value: str) -> str | None:
    """For text decoded with surrogateescape: the first byte that was not UTF-8, as 0xNN."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"0x{ord(value[exc.start]) - 0xDC00:02X}"
    return None


def open_text(path, filename: str, what: str = "CSV file"):
    """The file (or standard input) as text: UTF-8 with an optional BOM; bytes that are not
    UTF-8 kept as surrogates so the error can name their field."""
    if str(path) == STDIN:
        import io
        import sys

        if sys.stdin is None:
            raise RapportError("standard input is closed; name a file instead of -")
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        handle = open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115 (the caller closes it)
    except FileNotFoundError:
        raise RapportError(f"{filename}: no such file") from None
    except IsADirectoryError:
        raise RapportError(f"{filename} is a folder, not a {what}") from None
    except OSError as exc:
        raise RapportError(f"cannot read {filename}: {exc.strerror}") from None
    mode = os.fstat(handle.fileno()).st_mode
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):  # /dev/zero never ends; a pipe (<(...)) does
        handle.close()
        raise RapportError(f"{filename} is a device, not a {what}")
    return handle


class _Lines:
    """The file's lines for the csv reader, noting whether any held bytes that are not UTF-8
    (decoded with surrogateescape, so nothing is lost and the error can name the field).
    ``separator`` peeks at the first line that is not blank to tell , from ; and tabs."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.undecodable = False
        self.peeked: list[str] = []

    def separator(self) -> str:
        try:
            for line in self.handle:
                self.peeked.append(line)
                if line.strip():
                    break
        except OSError:
            return ","  # the reader reports it
        first = self.peeked[-1] if self.peeked else ""
        counts = {sep: len(next(csv.reader([first], delimiter=sep), [])) for sep in SEPARATORS}
        best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the first, a comma
        return best if counts[best] > 1 else ","

    def __iter__(self):
        lines = self.peeked
        self.peeked = []
        for source in (lines, self.handle):
            for line in source:
                if not line.isascii() and _undecodable(line):
                    self.undecodable = True
                yield line


class CsvFile:
    """A customers or conversations file, read one row at a time (a file of a million rows
    needs no more memory than one of ten).

    Opening checks the header: ``CsvImportError`` for an empty file or a bad header (missing,
    unknown or repeated columns), ``RapportError`` when the file cannot be read. ``rows()``
    yields (line number, {column: text}) for well-formed rows; rows with bad quoting, the
    wrong number of fields or bytes that are not UTF-8 are left out and their problems added
    to ``errors``, which the caller extends with its own and passes to ``finish()``.
    Optional columns may be left out of the file; they read as empty.
    """

    def __init__(self, path: Path | str, kind: str, progress=None):
        self.progress = progress  # progress(done, total): bytes read of the file, or rows
        self.filename = "standard input" if str(path) == STDIN else str(path)
        self.kind = kind
        self.columns = COLUMNS[kind]
        self.errors: list[LineError] = []
        self.count = 0
        self.last_line = 0
        self.handle = open_text(path, self.filename)
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
        try:
            self.lines = _Lines(self.handle)
            self.reader = csv.reader(self.lines, strict=True, delimiter=self.lines.separator())
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.handle.close()

    def _records(self):
        """(line number, fields, had bytes that are not UTF-8), skipping blank lines."""
        while True:
            self.lines.undecodable = False
            try:
                fields = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.errors.append(
                    LineError(self.last_line + 1, None, f"bad CSV quoting ({exc}); nothing after it was read")
                )
                return
            except OSError as exc:
                raise RapportError(f"cannot read {self.filename}: {exc.strerror}") from None
            line, self.last_line = self.last_line + 1, self.reader.line_num
            if any(field.strip() for field in fields):
                yield line, fields, self.lines.undecodable

    def _read_header(self) -> list[str]:
        for line, fields, undecodable in self._records():
            if undecodable:
                _undecodable_errors(line, fields, [], self.errors)
                raise CsvImportError(self.filename, self.errors)
            header = [name.strip().lower() for name in fields]
            self.errors.extend(_header_errors(line, header, self.kind))
            if self.errors:
                raise CsvImportError(self.filename, self.errors)
            return header
        raise CsvImportError(
            self.filename,
            self.errors
            or [LineError(1, None, "the file is empty; the first line must be the header: " + ",".join(self.columns))],
        )

    def rows(self):
        header, width = self.header, len(self.header)
        for line, fields, undecodable in self._records():
            if undecodable and _undecodable_errors(line, fields, header, self.errors):
                continue
            if len(fields) != width:
                self.errors.append(LineError(line, None, f"{len(fields)} fields, but the header has {width} columns"))
                continue
            row = dict.fromkeys(self.columns, "")
            row.update(zip(header, map(unescape_cell, fields), strict=True))
            self.count += 1
            if self.progress and not self.count % 1000:
                self.progress(*self._position())
            yield line, row

    def _position(self) -> tuple[int, int | None]:
        """(bytes read, file size) for a regular file, else (rows read, None)."""
        try:
            fd = self.handle.fileno()
            size = os.fstat(fd).st_size
            if stat.S_ISREG(os.fstat(fd).st_mode) and size:
                return os.lseek(fd, 0, os.SEEK_CUR), size
        except (OSError, ValueError, AttributeError):
            pass
        return self.count, None

    def finish(self) -> None:
        """Raise ``CsvImportError`` if the file had any error, or a header and no rows."""
        if self.errors:
            raise CsvImportError(self.filename, self.errors)
        if not self.count:
            raise CsvImportError(
                self.filename,
                [LineError(self.last_line + 1, None, "the file has a header but no rows: there is nothing to import")],
            )


def _undecodable_errors(line: int, fields: list[str], header: list[str], errors: list[LineError]) -> bool:
    """Append an error for each field holding bytes that were not UTF-8; True if any did."""
    found = False
    for index, value in enumerate(fields):
        byte = _undecodable(value)
        if byte:
            column = header[index] if index < len(header) else f"#{index + 1}"
            errors.append(LineError(line, column, f"not UTF-8 text (byte {byte}); save the file as UTF-8"))
            found = True
    return found


def _header_errors(line: int, header: list[str], kind: str) -> list[LineError]:
    columns = COLUMNS[kind]
    errors = []
    seen: set[str] = set()
    for name in header:
        if name not in columns:
            errors.append(LineError(line, name or "(empty)", "unknown column; the columns are " + ",".join(columns)))
        elif name in seen:
            errors.append(LineError(line, name, "column appears twice in the header"))
        seen.add(name)
    for name in REQUIRED[kind]:
        if name not in seen:
            errors.append(LineError(line, name, "required column is missing from the header"))
    return errors
