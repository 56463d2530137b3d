"""Checking the values of one CSV row (README.md#csv-files) against the limits of docs/data.md.

``RowChecker`` parses each column of a row and appends a ``LineError`` naming the line and
column for every bad value, so an import lists every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re

from storage.exchange.csvio import LineError, show
from storage.limits import DURATION_MAX, NAME_MAX, NUMBER_MAX, check_date

TRUE_WORDS = {"1", "true", "yes"}
FALSE_WORDS = {"0", "false", "no", ""}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})")


class RowChecker:
    """Parses the values of one row, appending a ``LineError`` for each bad one."""

    def __init__(self, line: int, row: dict[str, str], errors: list[LineError]):
        self.line = line
        self.row = row
        self.errors = errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(LineError(self.line, column, message))

    def text(
        self, column: str, *, strip: bool = True, required: bool = False, max_length: int | None = NAME_MAX
    ) -> str:
        """A text value; names and the like at most 255 characters, notes (``max_length``
        TEXT_MAX) at most a million: longer is an error, never cut."""
        value = self.row[column].strip() if strip else self.row[column]
        if required and not value:
            self.error(column, "a value is required")
        elif "\x00" in value:
            self.error(column, "contains a NUL character")
        elif max_length and len(value) > max_length:
            self.error(column, f"{len(value):,} characters, at most {max_length:,} allowed")
        return value

    def key(self, column: str, *, required: bool = True) -> str:
        """A customer number or login: 1 to 64 characters (surrounding spaces dropped, as
        the forms do), compared ignoring case by the caller."""
        return self.text(column, required=required, max_length=NUMBER_MAX)

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if _DATE.fullmatch(value):
                day = dt.date.fromisoformat(value)
                problem = check_date(column, day)
                if problem is None:
                    return day
                self.error(column, f"{show(value)}: {problem}")
                return None
        except ValueError:
            pass
        self.error(column, f"{show(value)} is not a date (YYYY-MM-DD)")
        return None

    def time(self, column: str) -> dt.time | None:
        value = self.text(column)
        if not value:
            return None
        match = _TIME.fullmatch(value)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
        self.error(column, f"{show(value)} is not a time (HH:MM)")
        return None

    def datetime(self, column: str, *, required: bool = False) -> dt.datetime | None:
        """``YYYY-MM-DD HH:MM`` (a T between them is accepted too)."""
        value = self.text(column, required=required)
        if not value:
            return None
        match = _DATETIME.fullmatch(value)
        if match:
            try:
                moment = dt.datetime.fromisoformat(
                    f"{match[1]} {int(match[2].split(':')[0]):02d}:{match[2].split(':')[1]}"
                )
            except ValueError:
                moment = None
            if moment and check_date(column, moment) is None:
                return moment
            if moment:
                self.error(column, f"{show(value)}: {check_date(column, moment)}")
                return None
        self.error(column, f"{show(value)} is not a date and time (YYYY-MM-DD HH:MM)")
        return None

    def minutes(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if value.isascii() and value.isdigit() and int(value) <= DURATION_MAX:
            return int(value)
        self.error(column, f"{show(value)} is not a number of minutes (a whole number, 0 to {DURATION_MAX:,})")
        return None

    def cadence(self, column: str) -> int | None:
        """A customer's cadence in days (docs/reports.md): empty, or 1 to MAX_CADENCE_DAYS."""
        from storage.records.customers import MAX_CADENCE_DAYS

        value = self.text(column)
        if not value:
            return None
        if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_CADENCE_DAYS:
            return int(value)
        self.error(column, f"{show(value)} is not a number of days (1 to {MAX_CADENCE_DAYS})")
        return None

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.error(column, f"{show(self.row[column].strip())} is not a yes/no value (1/0, true/false, yes/no)")
        return False
