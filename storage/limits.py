"""The limits of docs/data.md, the same in every form, import and command, on both backends.

Each ``check_*`` function takes the field's name (for the caller's error map) and its value,
and returns a one-line message for the user, or None when the value is within the limit.
The caller collects them into a ``ValidationError``; ``require`` does that for a few checks:

    from storage import limits

    errors = limits.collect(
        name=limits.check_text("name", values["name"], limits.NAME_MAX),
        notes=limits.check_text("notes", values["notes"], limits.NOTE_MAX),
    )                   # {"name": "at most 255 characters (this has 300)"}
    limits.require(name=...)   # the same, raising ValidationError when any is not None
    limits.check_texts(values, {"name": limits.NAME_MAX, "notes": limits.NOTE_MAX})

So a value outside the limits is an inline error on its field (or an import error with line
and column), never a database error and never silently truncated.
"""

from __future__ import annotations

import datetime as dt

from storage.errors import ValidationError

YEAR_MIN, YEAR_MAX = 1900, 2999
DURATION_MAX = 100_000  # minutes
NAME_MAX = 255  # names, with whom, email, phone, titles, logins, pick-list values
NOTE_MAX = 1_000_000  # notes and addresses
NUMBER_MAX = 64  # customer numbers (and logins: "likewise")
LOGIN_MAX = NUMBER_MAX
ORDER_MAX = 1_000_000  # a pick list's sort order (not in docs/data.md; kept within every INTEGER)


def check_text(field: str, value: str | None, limit: int = NAME_MAX) -> str | None:
    """At most ``limit`` characters."""
    length = len(value or "")
    if length > limit:
        return f"at most {limit:,} characters (this has {length:,})"
    return None


def check_date(field: str, value: dt.date | dt.datetime | None) -> str | None:
    """A year from 1900 to 2999 (None: the field is empty, nothing to check)."""
    if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
        return f"the year must be from {YEAR_MIN} to {YEAR_MAX}"
    return None


def check_time(field: str, value: dt.time | None) -> str | None:
    """00:00 to 23:59 (whole minutes)."""
    if value is not None and (value.second or value.microsecond):
        return "whole minutes only (HH:MM, 00:00 to 23:59)"
    return None


def check_duration(field: str, value: int | None) -> str | None:
    """0 to 100,000 minutes."""
    if value is not None and not 0 <= value <= DURATION_MAX:
        return f"from 0 to {DURATION_MAX:,} minutes"
    return None


def check_number(field: str, value: str | None, limit: int = NUMBER_MAX) -> str | None:
    """A customer number or login: 1 to 64 characters, no leading or trailing spaces.
    (Callers that strip what the user typed check the stripped value.)"""
    value = value or ""
    if not value:
        return "required"
    if value != value.strip():
        return "no spaces at the start or end"
    if len(value) > limit:
        return f"at most {limit} characters (this has {len(value):,})"
    return None


def check_texts(values: dict, limits: dict[str, int]) -> dict[str, str]:
    """Every field of ``values`` named in ``limits`` checked with ``check_text``."""
    errors = {}
    for field, limit in limits.items():
        message = check_text(field, str(values.get(field) or ""), limit)
        if message:
            errors[field] = message
    return errors


def collect(**messages: str | None) -> dict[str, str]:
    """The non-empty messages by field: ``collect(name=check_text(...), ...)``."""
    return {field: message for field, message in messages.items() if message}


def require(**messages: str | None) -> None:
    """Raise ValidationError naming every field whose message is not None."""
    errors = collect(**messages)
    if errors:
        raise ValidationError(errors)
