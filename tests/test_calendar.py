"""Calendar export (README.md#calendar-export-rapport-export-ics): every export is read back with icalendar's own parser."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import astuple
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, Todo

from storage.db.models import Booking, Conversation, db
from storage.exchange import calendar
from storage.exchange.calendar_items import description
from storage.exchange.vdir import write_vdir
from storage.records import bookings, conversations
from tests import factories as f

BERLIN = ZoneInfo("Europe/Berlin")
STAMP = dt.datetime(2026, 3, 18, 7, 30, tzinfo=dt.UTC)


def parse(text: str) -> Calendar:
    cal = Calendar.from_ical(text)
    cal.validate()
    return cal


def export(employee_id=None, **options) -> Calendar:
    return parse(calendar.build_export(employee_id, stamp=STAMP, tz=BERLIN, **options).text())


def by_uid(cal: Calendar, name: str) -> dict[str, object]:
    return {str(c["UID"]): c for c in cal.walk(name)}


def follow_up(note: str = "Call about the quote", follow_up: str = "2026-03-18", **fields):
    cust = fields.pop("cust", None) or f.customer("Acme GmbH", phone="+49 30 1234", email="info@acme.test")
    return f.conversation(
        cust,
        "2026-03-02",
        time_begin="09:15",
        follow_up=follow_up,
        note=note,
        with_whom="Ms Berg",
        topic=f.topic("Quote"),
        method=f.method("Telephone"),
        **fields,
    )


def test_events_round_trip_through_icalendar(ctx):
    conv = follow_up()
    cal = export()
    assert str(cal["VERSION"]) == "2.0" and str(cal["METHOD"]) == "PUBLISH" and cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{conv.uid}@rapport"
    assert event.start == dt.date(2026, 3, 18) and event.end == dt.date(2026, 3, 19)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["SUMMARY"]) == "Follow up: Acme GmbH — Quote"
    assert event.DTSTAMP == STAMP
    assert event.last_modified == conv.updated_at.replace(tzinfo=dt.UTC)
    assert event.sequence == 0
    assert "RELATED-TO" not in event
    assert str(event["DESCRIPTION"]) == (
        f"Customer: Acme GmbH ({conv.customer.number})\nPhone: +49 30 1234\nEmail: info@acme.test\n"
        "With whom: Ms Berg\nHow: Telephone\nAbout: Quote\nEmployee: tester\n"
        "Conversation: 2026-03-02 09:15\nFollow-up: 2026-03-18\n\nCall about the quote"
    )


def test_items_equal_the_same_items_built_with_icalendars_api(ctx):
    """The fast writer says exactly what icalendar's Event.new / Todo.new would."""
    conv = follow_up(note="a, b; c \\ d\nsecond line – ünïcode")
    made = Conversation.get_by_id(conv.id)
    created, modified = (v.replace(tzinfo=dt.UTC) for v in (made.created_at, made.updated_at))
    (row,) = calendar.follow_up_rows(None)
    common = dict(
        uid=f"{conv.uid}@rapport",
        stamp=STAMP,
        created=created,
        last_modified=modified,
        sequence=0,
        summary="Follow up: Acme GmbH — Quote",
        description=description(row, made.note),
    )
    reference = Event.new(start=made.follow_up, end=made.follow_up + dt.timedelta(days=1), **common)
    reference.add("TRANSP", "TRANSPARENT")
    (ours,) = export().walk("VEVENT")
    assert ours == Event.from_ical(reference.to_ical())
    todo = Todo.new(status="NEEDS-ACTION", **common)
    todo.DUE = made.follow_up
    (ours,) = export(mode="todos").walk("VTODO")
    assert ours == Todo.from_ical(todo.to_ical())


def test_hard_note_comes_back_whole_and_lines_stay_short(ctx):
    note = ("Line one, with commas; semicolons\\backslashes\r\nCRLF\nLF\rCR Grüße, 日本語, emoji 🎉, Ελληνικά; ") * 80
    note = (note + "x" * 5000)[:5000]
    assert len(note) == 5000
    follow_up(note=note)
    for mode, name in (("events", "VEVENT"), ("todos", "VTODO")):
        text = calendar.build_export(None, mode=mode, stamp=STAMP).text()
        raw = text.encode("utf-8")
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 75
        (item,) = parse(text).walk(name)
        # iCalendar has one line break (\n): CRLF and a lone CR come back as LF.
        expected = note.replace("\r\n", "\n").replace("\r", "\n")
        assert str(item["DESCRIPTION"]).split("\n\n", 1)[1] == expected


def test_control_characters_are_dropped_not_written(ctx):
    follow_up(note="bell\x07 escape\x1b[31m tab\tend")
    (event,) = export().walk("VEVENT")
    assert str(event["DESCRIPTION"]).endswith("bell escape[31m tab\tend")


def test_exporting_twice_gives_the_same_uids_and_editing_raises_sequence(ctx):
    first = follow_up()
    second = follow_up(follow_up="2026-03-20")
    before = by_uid(export(), "VEVENT")
    again = by_uid(export(), "VEVENT")
    assert set(before) == set(again) == {f"{first.uid}@rapport", f"{second.uid}@rapport"}
    conversations.set_follow_up(first.id, dt.date(2026, 3, 25))
    conversations.set_follow_up(first.id, dt.date(2026, 3, 26))
    after = by_uid(export(), "VEVENT")
    assert set(after) == set(before)
    edited = after[f"{first.uid}@rapport"]
    assert edited.sequence == 2 and edited.start == dt.date(2026, 3, 26)
    stored = Conversation.get_by_id(first.id).updated_at
    assert edited.last_modified == stored.replace(tzinfo=dt.UTC)
    assert after[f"{second.uid}@rapport"].sequence == 0


def test_done_follow_ups_only_as_completed_todos(ctx):
    open_one = follow_up(follow_up="2026-03-18")
    done = follow_up(follow_up="2026-03-10", completed=True, completed_on="2026-03-11")
    assert set(by_uid(export(), "VEVENT")) == {f"{open_one.uid}@rapport"}
    assert set(by_uid(export(mode="todos"), "VTODO")) == {f"{open_one.uid}@rapport"}
    todos = by_uid(export(mode="todos", include_done=True), "VTODO")
    assert set(todos) == {f"{open_one.uid}@rapport", f"{done.uid}@rapport"}
    finished = todos[f"{done.uid}@rapport"]
    assert str(finished["STATUS"]) == "COMPLETED" and int(finished["PERCENT-COMPLETE"]) == 100
    completed = finished["COMPLETED"].dt
    assert completed.tzinfo is not None and completed.utcoffset() == dt.timedelta(0)
    assert completed.astimezone(BERLIN).date() == dt.date(2026, 3, 11)
    assert finished["DUE"].dt == dt.date(2026, 3, 10) and finished["DUE"].params["VALUE"] == "DATE"
    pending = todos[f"{open_one.uid}@rapport"]
    assert str(pending["STATUS"]) == "NEEDS-ACTION" and "COMPLETED" not in pending


def test_deleted_and_unscheduled_conversations_are_not_exported(ctx):
    kept = follow_up()
    trashed = follow_up()
    conversations.delete(trashed.id)
    f.conversation(kept.customer, "2026-03-02", note="no follow-up")
    assert set(by_uid(export(), "VEVENT")) == {f"{kept.uid}@rapport"}


@pytest.mark.parametrize("day, utc_hour", [(dt.date(2026, 1, 15), 8), (dt.date(2026, 7, 15), 7)])
def test_booking_at_nine_in_berlin_is_written_in_utc(ctx, day, utc_hour):
    conv = follow_up()
    booking = bookings.create(
        {
            "date": day.isoformat(),
            "start": "09:00",
            "end": "10:30",
            "title": "Visit Acme",
            "location": "Berlin, HQ",
            "note": "Bring samples",
        },
        conversation_id=conv.id,
        zone_name="Europe/Berlin",
    )
    text = calendar.build_export(None, stamp=STAMP, tz=BERLIN).text()
    assert f"DTSTART:{day:%Y%m%d}T{utc_hour:02d}0000Z" in text
    event = by_uid(parse(text), "VEVENT")[f"{booking.uid}@rapport"]
    assert event.start == dt.datetime.combine(day, dt.time(utc_hour), dt.UTC)
    assert event.end - event.start == dt.timedelta(minutes=90)
    assert str(event["LOCATION"]) == "Berlin, HQ" and str(event["SUMMARY"]) == "Visit Acme"
    assert str(event["DESCRIPTION"]).endswith("\n\nBring samples")


def test_bookings_follow_the_system_zone_by_default(ctx, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        conv = follow_up()
        bookings.create(
            {"date": "2026-01-15", "start": "09:00", "end": "10:00", "title": "Visit"}, conversation_id=conv.id
        )
        text = calendar.build_export(None, stamp=STAMP).text()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "DTSTART:20260115T080000Z" in text
    assert Booking.get().timezone == "Europe/Berlin"
    # Exported again from a process in another zone: the same instant.
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert "DTSTART:20260115T080000Z" in calendar.build_export(None, stamp=STAMP).text()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_selection_by_employee_and_period(ctx):
    mine = follow_up(follow_up="2026-03-18")
    later = follow_up(follow_up="2026-04-02")
    theirs = follow_up(follow_up="2026-03-18", employee_login="alice")
    me = f.employee().id
    assert set(by_uid(export(me), "VEVENT")) == {f"{mine.uid}@rapport", f"{later.uid}@rapport"}
    assert len(by_uid(export(None), "VEVENT")) == 3
    assert set(by_uid(export(f.employee("alice").id), "VEVENT")) == {f"{theirs.uid}@rapport"}
    window = by_uid(export(me, date_from=dt.date(2026, 3, 18), date_to=dt.date(2026, 3, 31)), "VEVENT")
    assert set(window) == {f"{mine.uid}@rapport"}


def test_export_is_one_query_per_kind(ctx, monkeypatch):
    for day in range(1, 21):
        conv = follow_up(follow_up=f"2026-03-{day:02d}")
        bookings.create(
            {"date": f"2026-03-{day:02d}", "start": "09:00", "end": "10:00", "title": "x"}, conversation_id=conv.id
        )
    executed = []
    real = db.obj.execute_sql
    monkeypatch.setattr(db.obj, "execute_sql", lambda sql, *a, **k: executed.append(sql) or real(sql, *a, **k))
    result = calendar.build_export(None, stamp=STAMP)
    assert (result.follow_ups, result.bookings) == (20, 20)
    assert len(executed) == 2


def test_vdir_holds_one_file_per_uid_and_re_export_overwrites(ctx, tmp_path):
    folder = tmp_path / "vdir"
    folder.mkdir()
    (folder / "someone-else.ics").write_text("not ours")
    convs = [follow_up(follow_up=f"2026-03-{18 + i}") for i in range(3)]
    assert astuple(write_vdir(calendar.build_export(None, stamp=STAMP), folder)) == (3, 0, 0)
    untouched = folder / f"{convs[2].uid}@rapport.ics"
    before = untouched.stat().st_ino, untouched.read_bytes()
    conversations.set_follow_up(convs[0].id, dt.date(2026, 3, 30))
    assert astuple(write_vdir(calendar.build_export(None), folder)) == (3, 0, 0)
    assert (untouched.stat().st_ino, untouched.read_bytes()) == before  # unchanged: not rewritten
    ours = sorted(p.name for p in folder.glob("*@rapport.ics"))
    assert ours == sorted(f"{c.uid}@rapport.ics" for c in convs)
    for conv in convs:
        cal = parse((folder / f"{conv.uid}@rapport.ics").read_text(encoding="utf-8"))
        (event,) = cal.walk("VEVENT")
        assert str(event["UID"]) == f"{conv.uid}@rapport"
        # Stored calendar objects (RFC 4791 §4.1): no METHOD; DTSTAMP is the last edit.
        assert "METHOD" not in cal and event.last_modified == event.DTSTAMP
    moved = parse((folder / f"{convs[0].uid}@rapport.ics").read_text()).walk("VEVENT")[0]
    assert moved.start == dt.date(2026, 3, 30) and moved.sequence == 1
    conversations.set_completed(convs[1].id, True, dt.date(2026, 3, 18))
    assert astuple(write_vdir(calendar.build_export(None, stamp=STAMP), folder)) == (2, 1, 0)
    assert not (folder / f"{convs[1].uid}@rapport.ics").exists()
    assert (folder / "someone-else.ics").read_text() == "not ours"
    assert not list(folder.glob(".rapport-*.tmp"))


def test_create_task_writes_a_one_item_todo(ctx, tmp_path):
    conv = follow_up(note="Send the offer")
    path = calendar.write_task(conv.id, tmp_path / "exports", tz=BERLIN)
    assert path.parent == tmp_path / "exports" and path.suffix == ".ics"
    (todo,) = parse(path.read_text(encoding="utf-8")).walk("VTODO")
    assert str(todo["UID"]) == f"{conv.uid}@rapport"
    assert todo["DUE"].dt == dt.date(2026, 3, 18)
    assert str(todo["DESCRIPTION"]).endswith("\n\nSend the offer")
    assert not parse(path.read_text(encoding="utf-8")).walk("VEVENT")


def test_an_empty_export_is_refused_not_written(ctx, tmp_path):
    from storage.errors import RapportError

    with pytest.raises(RapportError, match="nothing to export"):
        calendar.write_file(calendar.build_export(None), tmp_path / "x.ics")
    assert not (tmp_path / "x.ics").exists()


def test_bookings_are_kept_apart_from_follow_ups_by_uid(ctx):
    conv = follow_up()
    booking = bookings.create(
        {"date": "2026-03-19", "start": "14:00", "end": "15:00", "title": "Call"}, conversation_id=conv.id
    )
    assert Booking.select().count() == 1
    events = by_uid(export(), "VEVENT")
    assert set(events) == {f"{conv.uid}@rapport", f"{booking.uid}@rapport"}
    assert "TRANSP" in events[f"{conv.uid}@rapport"]
