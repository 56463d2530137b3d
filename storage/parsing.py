"""Reading what a user typed into a date, time or minutes field.

Each parser returns the value, ``None`` for an empty field, or raises ``ValueError`` with a
short message meant for the user (the form shows it under the field).

Dates (docs/data.md#the-conversation-form), case-insensitive, relative to today:
  ``YYYY-MM-DD``; ``today`` (``t``), ``tomorrow``, ``yesterday``;
  ``+N``/``-N`` days (also ``+Nd``), ``+Nw``/``-Nw`` weeks, ``+Nm``/``-Nm`` months (the same day
  of the month, or the month's last day when it has fewer: 01-31 +1m is 02-28);
  a weekday, ``friday`` or ``fri``, also ``next fri``: the next such day after today (never
  today itself: on a Friday, ``fri`` is a week later);
  ``eow``: the end of this week, its Sunday (today on a Sunday); ``eom``: this month's last day.
Years run from 1900 to 2999 (docs/data.md).
Times: ``HH:MM`` or ``H:MM``, also ``HHMM`` and ``now``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from storage import limits

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OFFSET = re.compile(r"([+-])\s*(\d{1,5})\s*([dwm]?)")
_TIME = re.compile(r"(\d{1,2}):(\d{2})|(\d{2})(\d{2})")
_WORDS = {"today": 0, "t": 0, "tomorrow": 1, "yesterday": -1}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NAMES = {name: i for i, name in enumerate(_WEEKDAYS)} | {name[:3]: i for i, name in enumerate(_WEEKDAYS)}

DATE_HINT = "use YYYY-MM-DD, today, +3, +2w, +1m, fri, eow or eom"
DATE_GRAMMAR = (
    "YYYY-MM-DD · today (t) · tomorrow · yesterday · +N/-N days · +Nw weeks · +Nm months · "
    "mon…sun or monday…sunday (the next one after today; also 'next fri') · "
    "eow (this Sunday) · eom (the month's last day)"
)
TIME_HINT = "use HH:MM"


def parse_date(text: str, today: dt.date) -> dt.date | None:
    text = " ".join(text.strip().lower().split())
    if not text:
        return None
    try:
        day = _resolve(text, today)
    except OverflowError:
        day = dt.date.max
    message = limits.check_date("", day)
    if message:
        raise ValueError(message)
    return day


def _resolve(text: str, today: dt.date) -> dt.date:
    if text in _WORDS:
        return today + dt.timedelta(days=_WORDS[text])
    if match := _OFFSET.fullmatch(text):
        sign, count, unit = match.groups()
        count = int(count) if sign == "+" else -int(count)
        if unit == "m":
            return add_months(today, count)
        return today + dt.timedelta(days=count * (7 if unit == "w" else 1))
    weekday = _WEEKDAY_NAMES.get(text.removeprefix("next "))
    if weekday is not None:
        return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if text == "eow":
        return today + dt.timedelta(days=6 - today.weekday())
    if text == "eom":
        return add_months(today.replace(day=1), 1) - dt.timedelta(days=1)
    match = _ISO_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"not a date: {DATE_HINT}")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"no such date: {text}") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), clipped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(year)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


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
