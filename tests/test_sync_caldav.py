"""Two-way sync with a real CalDAV server (README.md#command-line): Radicale on 127.0.0.1, changed with a
plain ``caldav`` client as another calendar app would, synced with ``rapport sync``."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.db.models import Booking, Conversation, SyncItem, db
from storage.records import bookings, conversations
from tests import dav
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.UTC


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process, radicale = dav.start(tmp_path_factory.mktemp("radicale"))
    yield radicale
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def calendar_url(server, request):
    return server.new_calendar(request.node.name.replace("[", "-").replace("]", "")[:60])


def sync_command(ctx, server, url, *extra) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tui",
        "--database",
        ctx.url,
        "--today",
        "2026-03-18",
        "sync",
        "--caldav",
        url,
        "--user",
        dav.USER,
        "--password-command",
        server.password_command,
        *extra,
    ]


def sync(ctx, server, url, *extra) -> str:
    env = {**os.environ, "TZ": "Europe/Berlin"}
    out = subprocess.run(
        sync_command(ctx, server, url, *extra), cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 0, out.stderr
    assert dav.PASSWORD not in out.stdout + out.stderr
    return out.stdout


def follow_ups(count: int, customer=None) -> list[Conversation]:
    cust = customer or f.customer("Acme GmbH", number="K-1")
    return [
        f.conversation(
            cust,
            "2026-03-02",
            follow_up=f"2026-03-{18 + i % 10:02d}",
            note=f"Call back about offer {i}",
            with_whom="Ms Weber",
            topic=f.topic("Quote"),
            employee_login="tester",
        )
        for i in range(count)
    ]


def booking(conv, day: str, title: str) -> Booking:
    return bookings.create(
        {"date": day, "start": "14:00", "end": "15:00", "title": title, "location": "HQ", "note": "Bring samples"},
        conversation_id=conv.id,
        zone_name="Europe/Berlin",
    )


def fresh(model, record):
    db.close()  # the sync ran in another process: read what it committed
    return model.get_by_id(record.id)


def test_push_then_read_back_with_a_plain_client(sqlite_ctx, server, calendar_url):
    convs = follow_ups(10)
    made = [booking(convs[0], "2026-03-19", "Visit Acme"), booking(convs[1], "2026-03-20", "Call")]
    out = sync(sqlite_ctx, server, calendar_url, "--as", "todos")
    assert "to the calendar: 12 new, 0 changed, 0 removed" in out
    cal = server.calendar(calendar_url)
    for conv in convs:
        todo = cal.get_object_by_uid(f"{conv.uid}@rapport").get_icalendar_component()
        assert str(todo["SUMMARY"]) == "Follow up: Acme GmbH — Quote"
        assert todo["DUE"].dt == conv.follow_up
        assert str(todo["DESCRIPTION"]).endswith(f"\n\n{conv.note}")
        assert "With whom: Ms Weber" in str(todo["DESCRIPTION"])
    for made_booking in made:
        event = cal.get_object_by_uid(f"{made_booking.uid}@rapport").get_icalendar_component()
        assert str(event["SUMMARY"]) == made_booking.title
        assert event["DTSTART"].dt == made_booking.start.replace(tzinfo=UTC)  # 14:00 Berlin = 13:00Z
        assert made_booking.start.hour == 13
        assert str(event["LOCATION"]) == "HQ"
    assert SyncItem.select().count() == 12


def test_changes_in_the_calendar_come_back(sqlite_ctx, server, calendar_url):
    done, moved, kept = follow_ups(3)
    visit = booking(kept, "2026-03-19", "Visit")
    dropped = booking(kept, "2026-03-20", "Lunch")
    sync(sqlite_ctx, server, calendar_url, "--as", "todos")

    def complete(todo):
        todo["STATUS"] = "COMPLETED"
        todo.add("COMPLETED", dt.datetime(2026, 3, 17, 16, 30, tzinfo=UTC))

    def move_due(todo):
        todo.pop("DUE")
        todo.add("DUE", dt.date(2026, 3, 27))

    def move_and_retitle(event):
        for name in ("DTSTART", "DTEND", "SUMMARY"):
            event.pop(name)
        event.add("DTSTART", dt.datetime(2026, 3, 21, 8, 0, tzinfo=UTC))
        event.add("DTEND", dt.datetime(2026, 3, 21, 9, 30, tzinfo=UTC))
        event.add("SUMMARY", "Visit at the new plant")

    server.edit(calendar_url, f"{done.uid}@rapport", complete)
    server.edit(calendar_url, f"{moved.uid}@rapport", move_due)
    server.edit(calendar_url, f"{visit.uid}@rapport", move_and_retitle)
    server.calendar(calendar_url).get_object_by_uid(f"{dropped.uid}@rapport").delete()

    out = sync(sqlite_ctx, server, calendar_url, "--as", "todos")
    assert "from the calendar: 4 changes" in out
    assert "completed: Follow up: Acme GmbH — Quote" in out
    assert "rescheduled: Follow up: Acme GmbH — Quote" in out
    assert "booking updated: Visit" in out and "cancelled: Lunch" in out
    stored = fresh(Conversation, done)
    assert stored.completed and stored.completed_on == dt.date(2026, 3, 17)
    assert fresh(Conversation, moved).follow_up == dt.date(2026, 3, 27)
    visit = fresh(Booking, visit)
    assert (visit.title, visit.start, visit.end) == (
        "Visit at the new plant",
        dt.datetime(2026, 3, 21, 8),
        dt.datetime(2026, 3, 21, 9, 30),
    )
    assert visit.note == "Bring samples"  # the description's details are not taken as a note
    assert fresh(Booking, dropped).cancelled_at is not None
    # The Follow-ups report shows the changes.
    report = subprocess.run(
        [sys.executable, "-m", "tui", "--database", sqlite_ctx.url, "--today", "2026-03-18", "followups", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    import json

    items = json.loads(report.stdout)
    due = {item["uid"]: item["follow_up"] for item in items["due"] + items["upcoming"]}
    assert done.uid not in due and due.get(kept.uid) == "2026-03-20"
    assert moved.uid not in due  # 2026-03-27 is beyond the next 7 days


def test_the_later_change_wins_and_is_named(sqlite_ctx, server, calendar_url):
    theirs_later, ours_later = follow_ups(2, f.customer("Müller & Söhne", number="K-2"))
    other = follow_ups(1, f.customer("Zeta AG", number="K-3"))[0]
    ours_later_id = ours_later.id
    sync(sqlite_ctx, server, calendar_url)
    conversations.set_follow_up(theirs_later.id, dt.date(2026, 3, 25))
    conversations.set_follow_up(ours_later_id, dt.date(2026, 3, 26))
    conversations.set_follow_up(other.id, dt.date(2026, 3, 24))  # only here: no conflict
    now = dt.datetime.now(UTC).replace(microsecond=0)

    def move(day, when):
        def change(event):
            for name in ("DTSTART", "DTEND", "LAST-MODIFIED", "DTSTAMP"):
                event.pop(name, None)
            event.add("DTSTART", day)
            event.add("DTEND", day + dt.timedelta(days=1))
            event.add("LAST-MODIFIED", when)
            event.add("DTSTAMP", when)

        return change

    server.edit(calendar_url, f"{theirs_later.uid}@rapport", move(dt.date(2026, 3, 30), now + dt.timedelta(hours=1)))
    server.edit(calendar_url, f"{ours_later.uid}@rapport", move(dt.date(2026, 3, 31), now - dt.timedelta(hours=1)))
    out = sync(sqlite_ctx, server, calendar_url)
    conflicts = [line for line in out.splitlines() if line.startswith("conflict:")]
    assert len(conflicts) == 2
    assert any("the calendar's change is later and wins" in line for line in conflicts)
    assert any("Rapport's change is later and wins" in line for line in conflicts)
    assert all("Müller & Söhne" in line for line in conflicts)
    assert fresh(Conversation, theirs_later).follow_up == dt.date(2026, 3, 30)
    assert fresh(Conversation, ours_later).follow_up == dt.date(2026, 3, 26)
    event = server.calendar(calendar_url).get_object_by_uid(f"{ours_later.uid}@rapport").get_icalendar_component()
    assert event["DTSTART"].dt == dt.date(2026, 3, 26)
    event = server.calendar(calendar_url).get_object_by_uid(f"{other.uid}@rapport").get_icalendar_component()
    assert event["DTSTART"].dt == dt.date(2026, 3, 24)


FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//EN\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260320T180000Z\r\n"
    "DTEND:20260320T200000Z\r\nSUMMARY:Team dinner\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_foreign_items_survive_and_a_second_sync_changes_nothing(sqlite_ctx, server, calendar_url):
    convs = follow_ups(3)
    made = booking(convs[0], "2026-03-19", "Visit")
    cal = server.calendar(calendar_url)
    cal.save_event(FOREIGN.format(uid="dinner@example.com"))
    cal.save_event(FOREIGN.format(uid="not-a-conversation@rapport"))  # a @rapport UID we never made
    before = {p.name: p.read_bytes() for p in server.files(calendar_url) if "dinner" in p.name or "not-a" in p.name}
    assert len(before) == 2
    sync(sqlite_ctx, server, calendar_url)
    puts, deletes = server.requests("PUT"), server.requests("DELETE")
    out = sync(sqlite_ctx, server, calendar_url)
    assert (server.requests("PUT"), server.requests("DELETE")) == (puts, deletes)
    assert "to the calendar: 0 new, 0 changed, 0 removed" in out
    assert "from the calendar: 0 changes" in out
    # Everything of ours leaves the calendar; the others' items stay, byte for byte.
    for conv in convs:
        conversations.set_completed(conv.id, True, dt.date(2026, 3, 18))
    bookings.cancel(made.id)
    out = sync(sqlite_ctx, server, calendar_url)
    assert "0 new, 0 changed, 4 removed" in out
    after = {p.name: p.read_bytes() for p in server.files(calendar_url)}
    assert after == before
    assert server.requests("DELETE") == deletes + 4


def test_killed_midway_then_run_again(sqlite_ctx, server, calendar_url):
    convs = follow_ups(60)
    env = {**os.environ, "TZ": "UTC"}
    process = subprocess.Popen(
        sync_command(sqlite_ctx, server, calendar_url),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(server.files(calendar_url)) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)  # polling the server's folder for the first items
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    pushed = len(server.files(calendar_url))
    assert process.returncode == -signal.SIGKILL and 5 <= pushed < 60
    out = sync(sqlite_ctx, server, calendar_url)
    names = sorted(p.name for p in server.files(calendar_url))
    assert names == sorted(f"{c.uid}@rapport.ics" for c in convs)  # none twice, none lost
    assert "to the calendar: " in out
    db.close()
    assert SyncItem.select().count() == 60
    puts = server.requests("PUT")
    assert "0 new, 0 changed, 0 removed" in sync(sqlite_ctx, server, calendar_url)
    assert server.requests("PUT") == puts


def test_password_is_never_kept_or_shown(sqlite_ctx, server, calendar_url, tmp_path):
    follow_ups(1)
    sync(sqlite_ctx, server, calendar_url)
    db.close()
    path = Path(sqlite_ctx.url.removeprefix("sqlite:///")).absolute()
    path = Path("/" + sqlite_ctx.url.removeprefix("sqlite:///")) if not path.exists() else path
    for name in (path, Path(str(path) + "-wal")):
        if name.exists():
            assert dav.PASSWORD.encode() not in name.read_bytes()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "--database",
            sqlite_ctx.url,
            "sync",
            "--caldav",
            calendar_url,
            "--user",
            dav.USER,
            "--password-command",
            "false",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1
    assert bad.stderr == "rapport: --password-command failed (exit status 1)\n"
