"""``rapport export-ics`` as a user runs it: a real process, real files (README.md#calendar-export-rapport-export-ics)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from tests import factories as f
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


def rapport(ctx, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tui", "--database", ctx.url, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60)


def some_follow_ups():
    cust = f.customer("Acme GmbH")
    mine = f.conversation(cust, "2026-03-02", follow_up="2026-03-18", note="Call back")
    done = f.conversation(cust, "2026-03-02", follow_up="2026-03-10", completed=True, completed_on="2026-03-11")
    theirs = f.conversation(cust, "2026-03-02", follow_up="2026-03-18", employee_login="alice")
    return mine, done, theirs


def uids(data: bytes, name: str) -> set[str]:
    cal = Calendar.from_ical(data)
    cal.validate()
    return {str(c["UID"]) for c in cal.walk(name)}


def test_dash_o_dash_prints_a_calendar_on_stdout(sqlite_ctx):
    mine, _, _ = some_follow_ups()
    out = rapport(sqlite_ctx, "export-ics", "-o", "-")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
    assert uids(out.stdout, "VEVENT") == {f"{mine.uid}@rapport"}
    assert out.stderr.decode() == "wrote 1 follow-up and 0 bookings to standard output\n"


def test_every_option(sqlite_ctx, tmp_path):
    mine, done, theirs = some_follow_ups()
    out = rapport(
        sqlite_ctx,
        "export-ics",
        "--all",
        "--as",
        "todos",
        "--include-done",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "-o",
        str(tmp_path / "all.ics"),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == f"wrote 3 follow-ups and 0 bookings to {tmp_path / 'all.ics'}\n"
    assert uids((tmp_path / "all.ics").read_bytes(), "VTODO") == {f"{c.uid}@rapport" for c in (mine, done, theirs)}
    out = rapport(sqlite_ctx, "export-ics", "--employee", "ALICE", "--vdir", str(tmp_path / "v"))
    assert out.returncode == 0, out.stderr
    assert [p.name for p in (tmp_path / "v").glob("*.ics")] == [f"{theirs.uid}@rapport.ics"]
    out = rapport(sqlite_ctx, "export-ics", "--from", "2026-03-19", "-o", "-")
    assert out.returncode == 1 and out.stdout == b""
    assert out.stderr.decode() == "rapport: nothing to export: no follow-ups or bookings match\n"


def test_default_output_is_standard_output_as_for_rapport_export(sqlite_ctx, isolated_home):
    mine, _, _ = some_follow_ups()
    out = rapport(sqlite_ctx, "export-ics", "--today", TODAY.isoformat())
    assert out.returncode == 0, out.stderr
    assert uids(out.stdout, "VEVENT") == {f"{mine.uid}@rapport"}
    assert out.stderr.decode() == "wrote 1 follow-up and 0 bookings to standard output\n"
    assert not (isolated_home / ".local/share/rapport/exports").exists()


def test_bad_usage_and_user_errors(sqlite_ctx):
    some_follow_ups()
    out = rapport(sqlite_ctx, "export-ics", "--include-done")
    assert out.returncode == 2 and b"--include-done needs --as todos" in out.stderr
    out = rapport(sqlite_ctx, "export-ics", "--employee", "nobody")
    assert out.returncode == 1
    assert out.stderr.decode() == "rapport: --employee 'nobody': no such employee\n"
    out = rapport(sqlite_ctx, "export-ics", "--from", "2026-04-01", "--to", "2026-03-01")
    assert out.returncode == 1 and b"after --to" in out.stderr
    assert b"Traceback" not in out.stderr
