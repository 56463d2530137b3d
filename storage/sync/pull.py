"""Taking in what changed in the calendar (README.md#command-line "Pull").

- a to-do marked COMPLETED completes the conversation (completed on = the COMPLETED date in
  the employee's zone; without one, the sync's day); one set back to NEEDS-ACTION reopens it;
- a moved DUE (to-do) or all-day DTSTART (event) reschedules the follow-up (the promised
  date never moves);
- a booking's moved DTSTART/DTEND, SUMMARY, LOCATION or DESCRIPTION updates the booking
  (the description's first lines are the details Rapport writes; what follows the blank
  line is the note);
- a booking deleted in the calendar is cancelled (undoable on the Agenda).

Each change is one edit of the record (a new SEQUENCE), made inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from storage.db.models import Booking, Conversation, utcnow
from storage.timezones import UTC

COMPONENTS = ("VEVENT", "VTODO")


def component(data: bytes, uid: str):
    """The VEVENT or VTODO with this UID in a calendar object, or None."""
    try:
        cal = Calendar.from_ical(data)
    except ValueError:
        return None
    for part in cal.walk():
        if part.name in COMPONENTS and str(part.get("UID", "")) == uid:
            return part
    return None


def modified(part) -> dt.datetime | None:
    """When the calendar's side was last changed (LAST-MODIFIED or DTSTAMP, the later), naive UTC."""
    times = []
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        value = part.get(name)
        if value is not None and isinstance(value.dt, dt.datetime):
            moment = value.dt if value.dt.tzinfo else value.dt.replace(tzinfo=UTC)
            times.append(moment.astimezone(UTC).replace(tzinfo=None))
    return max(times) if times else None


def _instant(value) -> dt.datetime | None:
    if value is None:
        return None
    moment = value.dt
    if not isinstance(moment, dt.datetime):
        return None
    if moment.tzinfo is None:  # floating time: read in the booking's zone by the caller
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _day(value, zone) -> dt.date | None:
    if value is None:
        return None
    moment = value.dt
    if isinstance(moment, dt.datetime):
        return (moment.astimezone(zone) if moment.tzinfo else moment).date()
    return moment


def follow_up_changes(part, conversation: Conversation, zone, today: dt.date) -> dict[str, object]:
    """The conversation's fields the calendar item says otherwise (empty: nothing to take)."""
    changes: dict[str, object] = {}
    if part.name == "VTODO":
        status = str(part.get("STATUS", "NEEDS-ACTION")).upper()
        done = status == "COMPLETED" or part.get("COMPLETED") is not None
        if done and not conversation.completed:
            changes["completed"] = True
            changes["completed_on"] = _day(part.get("COMPLETED"), zone) or today
        elif not done and conversation.completed and status in ("NEEDS-ACTION", "IN-PROCESS"):
            changes.update(completed=False, completed_on=None)
        day = _day(part.get("DUE"), zone) or _day(part.get("DTSTART"), zone)
    else:
        day = _day(part.get("DTSTART"), zone)
    if day is not None and day != conversation.follow_up:
        changes["follow_up"] = day
    return changes


def _note(description: str, written_head: str, old_note: str) -> str:
    if description == written_head or not description.strip():
        return old_note if description == written_head else ""
    head, sep, rest = description.partition("\n\n")
    if sep and head == written_head:
        return rest
    return description


def booking_changes(part, booking: Booking, written_head: str) -> dict[str, object]:
    """The booking's fields the calendar event says otherwise; ``written_head`` is the block
    of details Rapport put before the note in DESCRIPTION."""
    from storage.timezones import to_utc

    changes: dict[str, object] = {}
    start = _instant(part.get("DTSTART"))
    end = _instant(part.get("DTEND"))
    if start is not None and part["DTSTART"].dt.tzinfo is None:
        start = to_utc(start, booking.timezone)
    if end is not None and part["DTEND"].dt.tzinfo is None:
        end = to_utc(end, booking.timezone)
    if end is None and start is not None and part.get("DURATION") is not None:
        end = start + part["DURATION"].dt
    if start is not None and start != booking.start:
        changes["start"] = start
    if end is not None and end != booking.end and (start or booking.start) < end:
        changes["end"] = end
    title = str(part.get("SUMMARY", "")).strip()
    if title and title != booking.title:
        changes["title"] = title[:200]
    location = str(part.get("LOCATION", ""))
    if location != booking.location:
        changes["location"] = location
    note = _note(str(part.get("DESCRIPTION", "")), written_head, booking.note)
    if note != booking.note:
        changes["note"] = note
    return changes


def edit(model, record_id: int, changes: dict[str, object]) -> None:
    """One revision of a record with ``changes`` (a new SEQUENCE, as every edit)."""
    changes = {**changes, "sequence": model.sequence + 1, "updated_at": utcnow()}
    model.update(**changes).where(model.id == record_id).execute()
