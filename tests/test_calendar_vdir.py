"""``export-ics --vdir`` keeps to its own files (README.md#calendar-export-rapport-export-ics): a user's files, "Create task"
files, items outside a ``--from/--to`` period and to-dos completed in todoman all survive."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from storage.exchange import calendar
from storage.exchange.vdir import MANIFEST, write_vdir
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def rapport(ctx, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tui", "--database", ctx.url, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60, text=True)


def follow_ups(count: int) -> list:
    cust = f.customer("Acme GmbH")
    return [
        f.conversation(
            cust, "2026-03-02", follow_up=(dt.date(2026, 3, 1) + dt.timedelta(days=i)).isoformat(), note=f"call {i}"
        )
        for i in range(count)
    ]


def test_a_users_own_files_and_task_files_are_never_removed(sqlite_ctx, tmp_path):
    folder = tmp_path / "vdir"
    convs = follow_ups(2)
    folder.mkdir()
    own = folder / "birthday@rapport.ics"
    own.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    task = calendar.write_task(convs[0].id, folder)  # the TUI's "Create task" in the same folder
    before = task.read_bytes()
    write_vdir(calendar.build_export(None), folder)
    from storage.records import conversations

    for conv in convs:
        conversations.set_completed(conv.id, True, dt.date(2026, 3, 18))
    result = write_vdir(calendar.build_export(None), folder)
    assert result.removed == 2
    assert own.exists() and task.read_bytes() == before
    assert sorted(p.name for p in folder.glob("*.ics")) == sorted([own.name, task.name])


def test_a_period_export_leaves_the_other_items(sqlite_ctx, tmp_path):
    convs = follow_ups(24)
    folder = tmp_path / "vdir"
    out = rapport(sqlite_ctx, "export-ics", "--vdir", str(folder))
    assert out.returncode == 0, out.stderr
    assert len(list(folder.glob("*.ics"))) == 24
    out = rapport(sqlite_ctx, "export-ics", "--from", "2026-03-05", "--to", "2026-03-05", "--vdir", str(folder))
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"wrote 1 follow-up and 0 bookings as 1 files to {folder}\n"
    assert len(list(folder.glob("*.ics"))) == 24  # nothing "stale"
    assert {p.stem for p in folder.glob("*.ics")} == {f"{c.uid}@rapport" for c in convs}


def test_a_todo_completed_in_the_vdir_is_not_reset(sqlite_ctx, tmp_path):
    conv, other = follow_ups(2)
    folder = tmp_path / "todos"
    write_vdir(calendar.build_export(None, mode="todos"), folder)
    path = folder / f"{conv.uid}@rapport.ics"
    cal = Calendar.from_ical(path.read_bytes())
    todo = cal.walk("VTODO")[0]
    todo["STATUS"] = "COMPLETED"  # as todoman does
    todo.add("COMPLETED", dt.datetime(2026, 3, 18, 9, tzinfo=dt.UTC))
    path.write_bytes(cal.to_ical())
    changed = path.read_bytes()
    from storage.records import conversations

    conversations.set_follow_up(other.id, dt.date(2026, 3, 30))  # something else to export
    result = write_vdir(calendar.build_export(None, mode="todos"), folder)
    assert (result.written, result.kept) == (1, 1)
    assert path.read_bytes() == changed
    assert "kept 1 changed" in result.describe()
    assert (folder / MANIFEST).exists()
