"""One follow-up or booking as iCalendar content lines (README.md#calendar-export-rapport-export-ics).

Rows are the plain dicts that ``storage.exchange.calendar`` selects in one joined query. Every item
has a stable UID (``<uid>@rapport``), DTSTAMP (added when the calendar is written), CREATED, LAST-MODIFIED (from updated_at),
SEQUENCE (grows with every edit), SUMMARY and a DESCRIPTION carrying the whole
conversation. Nothing points outside the file (no RELATED-TO).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from storage.exchange import ics

ONE_DAY = dt.timedelta(days=1)


@dataclass
class Item:
    uid: str  # the iCalendar UID, "<uid>@rapport"
    lines: list[str]  # folded content lines, BEGIN to END, without DTSTAMP
    modified: dt.datetime  # last edit, naive UTC

    def with_stamp(self, stamp_line: str) -> list[str]:
        """The lines with DTSTAMP (required, RFC 5545) after BEGIN."""
        return [self.lines[0], stamp_line, *self.lines[1:]]


def item_uid(uid: str) -> str:
    return f"{uid}@rapport"


def to_utc(local: dt.datetime, tz: ZoneInfo | None) -> dt.datetime:
    """A naive local date and time (as the user typed it) in UTC. ``tz=None`` means the
    system's local zone (which honours the TZ environment variable)."""
    aware = local.astimezone() if tz is None else local.replace(tzinfo=tz)
    return aware.astimezone(dt.UTC)


def summary(row: dict) -> str:
    about = row["about"]
    return f"Follow up: {row['customer']} — {about}" if about else f"Follow up: {row['customer']}"


def _one_line(value) -> str:
    return " ".join(str(value).split())


def _who(name: str, login: str) -> str:
    return f"{name} ({login})" if name and name != login else login


def _times(row: dict) -> str:
    begin, end = row.get("time_begin"), row.get("time_end")
    when = row["date"].isoformat()
    if begin:
        when += " " + begin.strftime("%H:%M") + (f"–{end.strftime('%H:%M')}" if end else "")
    return when


def description(row: dict, note: str) -> str:
    """The customer and conversation details, one per line, then a blank line and the note
    exactly as typed (so it can be read back whole)."""
    fields = [
        ("Customer", f"{row['customer']} ({row['customer_number']})"),
        ("Phone", row["phone"]),
        ("Email", row["email"]),
        ("With whom", row.get("with_whom")),
        ("How", row.get("how")),
        ("About", row.get("about")),
        ("Employee", _who(row["employee_name"], row["employee"])),
        ("Conversation", _times(row) if row.get("date") else None),
        ("Follow-up", row["follow_up"].isoformat() if row.get("follow_up") else None),
    ]
    head = "\n".join(f"{label}: {_one_line(value)}" for label, value in fields if value)
    return f"{head}\n\n{note}" if note else head


def _common(row: dict, summary_text: str, note: str) -> list[str]:
    return [
        ics.line("UID", ics.text(item_uid(row["uid"]))),
        "CREATED:" + ics.utc(row["created_at"]),
        "LAST-MODIFIED:" + ics.utc(row["updated_at"]),
        f"SEQUENCE:{int(row['sequence'] or 0)}",
        ics.line("SUMMARY", ics.text(summary_text)),
        ics.line("DESCRIPTION", ics.text(description(row, note))),
    ]


def follow_up_event(row: dict) -> Item:
    """An open follow-up as an all-day event on its follow-up date (free time: TRANSPARENT)."""
    day = row["follow_up"]
    lines = ["BEGIN:VEVENT", *_common(row, summary(row), row["note"])]
    lines += [
        "DTSTART;VALUE=DATE:" + ics.date(day),
        # date.max has no next day: such a date cannot be entered (docs/data.md), but an old
        # database may hold one, and it must not stop everyone's export.
        "DTEND;VALUE=DATE:" + ics.date(day + ONE_DAY if day < dt.date.max else day),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return Item(item_uid(row["uid"]), lines, row["updated_at"])


def completed_at(row: dict, tz: ZoneInfo | None) -> dt.datetime:
    """When a done follow-up was completed, in UTC. Only the date is stored (completed on):
    the last edit is used when it falls on that date, else noon local time of that date."""
    edited = row["updated_at"]
    done_on = row.get("completed_on")
    if done_on is None:
        return edited
    edited_local = edited.replace(tzinfo=dt.UTC).astimezone(tz)
    if edited_local.date() == done_on:
        return edited
    noon = dt.datetime.combine(done_on, dt.time(12, 0))
    return to_utc(noon, tz).replace(tzinfo=None)


def follow_up_todo(row: dict, tz: ZoneInfo | None) -> Item:
    """A follow-up as a to-do due on its follow-up date; done ones marked COMPLETED."""
    lines = ["BEGIN:VTODO", *_common(row, summary(row), row["note"])]
    if row.get("follow_up"):
        lines.append("DUE;VALUE=DATE:" + ics.date(row["follow_up"]))
    if row["completed"]:
        lines += [
            "STATUS:COMPLETED",
            "COMPLETED:" + ics.utc(completed_at(row, tz)),
            "PERCENT-COMPLETE:100",
        ]
    else:
        lines.append("STATUS:NEEDS-ACTION")
    lines.append("END:VTODO")
    return Item(item_uid(row["uid"]), lines, row["updated_at"])


def booking_event(row: dict, tz: ZoneInfo | None = None) -> Item:
    """A booking as a timed event, written in UTC (start and end are stored as instants)."""
    title = row["title"] or f"{row['customer']}"
    lines = ["BEGIN:VEVENT", *_common(row, title, row["note"])]
    lines += [
        "DTSTART:" + ics.utc(row["start"]),
        "DTEND:" + ics.utc(row["end"]),
    ]
    if row["location"]:
        lines.append(ics.line("LOCATION", ics.text(row["location"])))
    lines.append("END:VEVENT")
    return Item(item_uid(row["uid"]), lines, row["updated_at"])
