"""``rapport backup`` while another Rapport writes, and ``rapport copy`` between backends
(README.md#command-line, issue 14)."""

from __future__ import annotations

import io
import sqlite3
import stat
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from cli.main import main
from storage.db.database import close_database, open_database
from tests.conftest import PG_SKIP_REASON, PG_URL, PostgresSchema, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-03-18"


def run(url: str, *argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--database", url, "--today", TODAY, *argv]) == 0
    return out.getvalue()


def reports(url: str) -> dict[str, str]:
    """Everything a user would compare: the three JSON reports and every export."""
    found = {
        "followups": run(url, "followups", "--all", "--json"),
        "stats": run(url, "stats", "--from", "2020-01-01", "--to", TODAY, "--json"),
        "pipeline": run(url, "pipeline", "--json"),
    }
    for kind in ("customers", "contacts", "conversations", "bookings"):
        found[kind] = run(url, "export", kind)
    return found


def extras(url: str) -> tuple:
    """What the reports leave out: the trash, drafts, sequences, ids."""
    from storage.db.models import Conversation, Draft

    open_database(url)
    try:
        trash = sorted(
            (c.uid, str(c.deleted_at)) for c in Conversation.select().where(Conversation.deleted_at.is_null(False))
        )
        drafts = sorted((d.form, d.employee, d.payload) for d in Draft.select())
        ids = sorted((c.id, c.uid, c.sequence, c.follows_id) for c in Conversation.select())
    finally:
        close_database()
    return trash, drafts, ids


@pytest.fixture
def source(tmp_path) -> str:
    """A demo database with a trashed conversation, a draft, a booking and a follow-up chain."""
    import datetime as dt

    from storage.db.models import Booking, Conversation, Draft
    from storage.records.conversations import delete

    url = sqlite_url(tmp_path)
    assert main(["--database", url, "--today", TODAY, "demo", "--customers", "30", "--conversations", "600"]) == 0
    open_database(url)
    first = Conversation.select().order_by(Conversation.id).first()
    delete(first.id)
    Draft.create(form="conversation", employee="tester", payload='{"note": "half typed"}')
    talk = Conversation.select().where(Conversation.deleted_at.is_null()).order_by(Conversation.id.desc()).first()
    Booking.create(
        customer=talk.customer,
        employee=talk.employee,
        conversation=talk,
        start=dt.datetime(2026, 3, 20, 9),
        end=dt.datetime(2026, 3, 20, 10),
        title="Visit",
    )
    close_database()
    return url


def test_copy_sqlite_to_sqlite_is_identical(source, tmp_path):
    target = "sqlite:///" + str(tmp_path / "copy" / "rapport.db")
    assert main(["--database", source, "copy", "--to", target]) == 0
    assert reports(target) == reports(source)
    assert extras(target) == extras(source)
    assert main(["--database", source, "copy", "--to", target]) == 1  # not empty any more


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
def test_copy_sqlite_to_postgresql_and_back_is_identical(source, tmp_path):
    schema = PostgresSchema(PG_URL)
    try:
        assert main(["--database", source, "copy", "--to", schema.url]) == 0
        back = "sqlite:///" + str(tmp_path / "back.db")
        assert main(["--database", schema.url, "copy", "--to", back]) == 0
        expected = reports(source)
        assert reports(schema.url) == expected
        assert reports(back) == expected
        assert extras(back) == extras(source)
    finally:
        close_database()
        schema.drop()


WRITER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
i = 0
while True:
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO customer (number, name, email, phone, address, notes, created_at, archived) "
                "VALUES (?, ?, '', '', '', ?, '2026-01-01 00:00:00', 0)", (f"W{i:06d}", f"Writer {i}", "x" * 2000))
    con.execute("COMMIT")
    i += 1
    print(i, flush=True)
"""


def test_backup_while_another_writer_works(tmp_path):
    url = sqlite_url(tmp_path)
    assert main(["--database", url, "demo", "--customers", "20", "--conversations", "2000"]) == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path / "rapport.db")], stdout=subprocess.PIPE, text=True
    )
    try:
        for _ in range(200):  # let it get going
            committed_before = int(writer.stdout.readline())
        target = tmp_path / "backup.db"
        assert main(["--database", url, "backup", "-o", str(target)]) == 0
    finally:
        writer.terminate()
        writer.wait(timeout=30)
    printed = [int(line) for line in writer.stdout.read().split()]
    committed_after = (printed[-1] if printed else committed_before) + 1  # one may not have printed
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    numbers = [n for (n,) in con.execute("SELECT number FROM customer WHERE number LIKE 'W%' ORDER BY number")]
    con.close()
    assert committed_before <= len(numbers) <= committed_after
    assert numbers == [f"W{i:06d}" for i in range(len(numbers))]  # every committed row, no hole


def test_backup_default_name_is_in_the_data_folder(tmp_path, isolated_home):
    url = sqlite_url(tmp_path)
    assert main(["--database", url, "backup"]) == 0
    found = list((isolated_home / ".local/share/rapport").glob("rapport-backup-*.db"))
    assert len(found) == 1 and stat.S_IMODE(found[0].stat().st_mode) == 0o600


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
def test_postgresql_backup_is_a_pg_dump_custom_archive(tmp_path):
    schema = PostgresSchema(PG_URL)
    try:
        assert main(["--database", schema.url, "demo", "--customers", "5", "--conversations", "20"]) == 0
        target = tmp_path / "team.dump"
        assert main(["--database", schema.url, "backup", "-o", str(target)]) == 0
        assert target.read_bytes()[:5] == b"PGDMP"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True)
        assert "TABLE DATA" in listing.stdout and "conversation" in listing.stdout
    finally:
        close_database()
        schema.drop()
