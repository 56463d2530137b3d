"""Two-way sync with a vdir folder (README.md#command-line): todoman's ticks come back, a user's own files
survive, and a folder filled by ``export-ics --vdir`` is adopted without duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar

from storage.db.models import Conversation, SyncItem
from storage.exchange import calendar
from storage.exchange.vdir import write_vdir
from storage.records import conversations
from storage.sync.settings import SyncSettings, run
from tests import factories as f


def follow_ups(count: int) -> list[Conversation]:
    cust = f.customer("Acme GmbH")
    return [f.conversation(cust, "2026-03-02", follow_up=f"2026-03-{18 + i:02d}", note=f"n{i}") for i in range(count)]


def sync(ctx, folder: Path, mode: str = "todos"):
    return run(SyncSettings(vdir=str(folder), mode=mode), ctx)


def tick_off(path: Path) -> None:
    """What todoman does to a to-do that is done."""
    cal = Calendar.from_ical(path.read_bytes())
    todo = cal.walk("VTODO")[0]
    todo["STATUS"] = "COMPLETED"
    todo.add("COMPLETED", dt.datetime(2026, 3, 18, 9, 15, tzinfo=dt.UTC))
    todo.add("PERCENT-COMPLETE", 100)
    path.write_bytes(cal.to_ical())


def test_todoman_ticks_come_back_and_own_files_survive(ctx, tmp_path):
    folder = tmp_path / "todos"
    folder.mkdir()
    mine = folder / "shopping@rapport.ics"  # a user's own file, even with a @rapport-like name
    mine.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:me\r\nBEGIN:VTODO\r\n"
        b"UID:shopping@rapport\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Milk\r\n"
        b"END:VTODO\r\nEND:VCALENDAR\r\n"
    )
    convs = follow_ups(3)
    summary = sync(ctx, folder)
    assert len(summary.pushed_new) == 3
    tick_off(folder / f"{convs[0].uid}@rapport.ics")
    summary = sync(ctx, folder)
    assert summary.pulled == ["completed: Follow up: Acme GmbH"]
    done = Conversation.get_by_id(convs[0].id)
    assert done.completed and done.completed_on == dt.date(2026, 3, 18)
    again = sync(ctx, folder)
    assert (again.puts, again.deletes, again.pulled) == (0, 0, [])
    # A conversation deleted in Rapport leaves the folder; the user's file stays.
    conversations.delete(convs[1].id)
    summary = sync(ctx, folder)
    assert summary.removed == ["Follow up: Acme GmbH"]
    assert mine.exists() and not (folder / f"{convs[1].uid}@rapport.ics").exists()
    # The completed to-do stays, marked COMPLETED.
    todo = Calendar.from_ical((folder / f"{convs[0].uid}@rapport.ics").read_bytes()).walk("VTODO")[0]
    assert str(todo["STATUS"]) == "COMPLETED"


def test_a_folder_written_by_export_is_adopted(ctx, tmp_path):
    folder = tmp_path / "cal"
    convs = follow_ups(4)
    write_vdir(calendar.build_export(None), folder)
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.ics")}
    summary = sync(ctx, folder, "events")
    assert (summary.puts, len(summary.pushed_new)) == (0, 0)
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.ics")} == before
    assert SyncItem.select().count() == 4
    assert len(list(folder.glob("*.ics"))) == len(convs)
