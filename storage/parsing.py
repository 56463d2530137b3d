"""Reading what a user typed into a date, time or minutes field.

Each parser returns the value, ``None`` for an empty field, or raises ``ValueError`` with a
short message meant for the user (the form shows it under the field).

Dates: ``YYYY-MM-DD``; short forms ``today``/``t``, ``tomorrow``, ``yesterday``, ``+3``/``-2``
(days from today). Times: ``HH:MM`` or ``H:MM``, also ``HHMM`` and ``now``.
"""

from __future__ import annotations

import datetime as dt
import re

from storage import limits

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OFFSET = re.compile(r"([+-])\s*(\d{1,4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})|(\d{2})(\d{2})")
_WORDS = {"today": 0, "t": 0, "tomorrow": 1, "yesterday": -1}

DATE_HINT = "use YYYY-MM-DD, today or +N days"
TIME_HINT = "use HH:MM"


def parse_date(text: str, today: dt.date) -> dt.date | None:
    text = text.strip().lower()
    if not text:
        return None
    if text in _WORDS:
        return today + dt.timedelta(days=_WORDS[text])
    if match := _OFFSET.fullmatch(text):
        days = int(match.group(2))
        try:
            return _in_range(today + dt.timedelta(days=days if match.group(1) == "+" else -days))
        except OverflowError:
            raise ValueError(limits.check_date("", dt.date.max)) from None
    match = _ISO_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"not a date: {DATE_HINT}")
    try:
        value = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"no such date: {text}") from None
    return _in_range(value)


def _in_range(value: dt.date) -> dt.date:
    """``value``, or ValueError when its year is outside SPEC §12's 1900 to 2999."""
    message = limits.check_date("", value)
    if message:
        raise ValueError(message)
    return value


def parse_time(text: str, now: dt.datetime) -> dt.time | None:
    text = text.strip().lower()
    if not text:
        return None
    if text == "now":
        return now.time().replace(second=0, microsecond=0)
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"not a time: {TIME_HINT}")
    hours, minutes = (int(g) for g in match.groups() if g is not None)
    try:
        return dt.time(hours, minutes)
    except ValueError:
        raise ValueError(f"no such time: {text}") from None


def parse_minutes(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        minutes = int(text)
    except ValueError:
        raise ValueError("not a number of minutes") from None
    if minutes < 0:
        raise ValueError("cannot be negative")
    message = limits.check_duration("", minutes)
    if message:
        raise ValueError(message)
    return minutes


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def format_time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def minutes_between(begin: dt.time, end: dt.time) -> int:
    """Whole minutes from begin to end on the same day (negative when end is earlier)."""
    return (end.hour * 60 + end.minute) - (begin.hour * 60 + begin.minute)
