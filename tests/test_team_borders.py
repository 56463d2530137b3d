"""User errors that need a real server or an old database (issue 14): a read-only role
importing, the server dropping the connection mid-import, a schema upgrade without room for its
backup, dates no calendar can hold."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import stat
import uuid
from contextlib import redirect_stdout
from urllib.parse import quote

import pytest

from cli.main import main
from storage.db.connection import make_database
from storage.db.database import close_database, open_database
from tests.conftest import PG_SKIP_REASON, PG_URL, PostgresSchema, sqlite_url
from tests.test_cli_borders import one_line
from tests.test_output_files import small_tmpfs, small_tmpfs_free  # noqa: F401 - a fixture

needs_pg = pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)


@pytest.fixture
def schema(tmp_path):
    schema = PostgresSchema(PG_URL)
    assert main(["--database", schema.url, "export", "customers", "-o", str(tmp_path / "x.csv")]) == 0
    yield schema
    close_database()
    schema.drop()


@needs_pg
def test_read_only_role_importing_is_one_line(schema, tmp_path, capsys):
    role = "rapport_ro_" + uuid.uuid4().hex[:8]
    with schema._admin.cursor() as cur:
        cur.execute(f'CREATE ROLE "{role}" LOGIN')
        cur.execute(f'GRANT USAGE ON SCHEMA "{schema.name}" TO "{role}"')
        cur.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema.name}" TO "{role}"')
    try:
        base = PG_URL.replace("postgres@", f"{role}@", 1)
        url = f"{base}{'&' if '?' in base else '?'}options=" + quote(f"-csearch_path={schema.name}")
        source = tmp_path / "c.csv"
        source.write_text("number,name\nR1,Read only\n")
        capsys.readouterr()
        assert main(["--database", url, "import", "customers", str(source)]) == 1
        assert "permission denied" in one_line(capsys.readouterr().err)
    finally:
        close_database()
        with schema._admin.cursor() as cur:
            cur.execute(f'DROP OWNED BY "{role}"')
            cur.execute(f'DROP ROLE "{role}"')


@needs_pg
def test_connection_dropped_during_an_import_is_one_line(schema, tmp_path, capsys, monkeypatch):
    """The server goes away mid-import (as in a restart): this session's backend is ended."""
    from cli import data
    from storage.db.models import db

    class Killer(data.Progress):
        killed = False

        def __call__(self, done, total=None):
            if not Killer.killed:
                Killer.killed = True
                pid = db.obj.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
                with schema._admin.cursor() as cur:
                    cur.execute("SELECT pg_terminate_backend(%s)", (pid,))

    monkeypatch.setattr(data, "Progress", Killer)
    source = tmp_path / "c.csv"
    source.write_text("number,name\n" + "".join(f"N{i},Name {i}\n" for i in range(5000)))
    capsys.readouterr()
    assert main(["--database", schema.url, "import", "customers", str(source)]) == 1
    assert Killer.killed
    assert "connection" in one_line(capsys.readouterr().err)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--database", schema.url, "export", "customers"]) == 0
    assert out.getvalue().count("\n") == 1  # nothing was imported


def test_upgrade_without_room_for_its_backup(small_tmpfs, tmp_path, capsys):  # noqa: F811
    from storage.db import migrations
    from tests.test_migrations import build_v1

    url = "sqlite:///" + str(small_tmpfs / "rapport.db")
    raw = make_database(url)
    raw.connect()
    build_v1(raw)
    raw.close()
    con = sqlite3.connect(small_tmpfs / "rapport.db")
    con.executemany(
        "INSERT INTO customer (number, name, email, phone, address, notes, created_at, archived) "
        "VALUES (?, 'Big', '', '', '', ?, '2025-01-01 00:00:00', 0)",
        [(f"B{i}", "n" * 4000) for i in range(40)],
    )
    con.commit()
    con.close()
    size = (small_tmpfs / "rapport.db").stat().st_size
    filler = small_tmpfs / "filler"
    filler.write_bytes(b"\0" * (small_tmpfs_free(small_tmpfs) - size // 2))
    assert main(["--database", url, "export", "customers"]) == 1
    err = one_line(capsys.readouterr().err)
    assert "backup copy could not be made" in err and "No space left" in err
    names = sorted(p.name for p in small_tmpfs.iterdir())
    assert not [n for n in names if ".bak" in n or n.endswith(".tmp")], names
    filler.unlink()  # room again: the next start upgrades
    assert main(["--database", url, "export", "customers", "-o", str(tmp_path / "x.csv")]) == 0, capsys.readouterr().err
    backup = small_tmpfs / "rapport.db.bak-1"
    assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    database = open_database(url)
    assert migrations.schema_version(database) == migrations.CURRENT_VERSION
    close_database()


def test_calendar_export_survives_dates_no_form_accepts(tmp_path, capsys):
    """An old database may hold 9999-12-31 or year 999: export-ics works for everyone, and
    every date has four digits."""
    from storage.db.models import Conversation
    from tests import factories as f

    url = sqlite_url(tmp_path)
    open_database(url)
    customer = f.customer("Alpha", number="A1")
    f.conversation(customer, "2026-03-01", follow_up="2026-03-20")
    Conversation.update(follow_up=dt.date(9999, 12, 31)).execute()
    f.conversation(customer, "2026-03-02", follow_up="2026-03-21")
    Conversation.update(follow_up=dt.date(999, 5, 1)).where(Conversation.follow_up == dt.date(2026, 3, 21)).execute()
    close_database()
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    import sys

    real = sys.stdout
    sys.stdout = out
    try:
        assert main(["--database", url, "export-ics", "--all", "-o", "-"]) == 0
    finally:
        sys.stdout = real
    out.flush()
    text = out.buffer.getvalue().decode()
    assert "DTSTART;VALUE=DATE:99991231" in text
    assert "DTSTART;VALUE=DATE:09990501" in text and "DTEND;VALUE=DATE:09990502" in text
