"""CSV/JSON export (README.md#csv-files), the export→import round trip on both backends, and the
``rapport import``/``export`` commands."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from storage.db.database import close_database, open_database
from storage.db.dialect import is_sqlite
from storage.db.models import Conversation
from storage.exchange.csvexport import export, export_to_file
from storage.exchange.csvimport import import_conversations, import_customers
from storage.records.conversations import delete
from tests import factories as f
from tests.conftest import PG_URL, PostgresSchema, sqlite_url


def exported(kind: str, fmt: str = "csv") -> str:
    out = io.StringIO()
    export(kind, fmt, out)
    return out.getvalue()


def awkward_data() -> None:
    """Hand-made rows with everything an export must carry: quotes, newlines, commas, scripts,
    missing times, empty lookups, a trashed conversation, two customers in reverse order."""
    f.employee("anna")
    zeta = f.customer('Zeta "Z" GmbH, Köln', number="K-200", address="Ring 1\nKöln", notes="")
    alpha = f.customer("Αλφα 株式会社", number="K-100", email="a@example.gr", phone="+30 1")
    f.conversation(
        zeta,
        "2026-03-02",
        time_begin="10:00",
        note="second",
        employee_login="anna",
        topic=f.topic("Quote"),
        method=f.method("Visit"),
        stage_name="Proposal",
    )
    f.conversation(zeta, "2026-03-02", note="first: no time sorts first", with_whom="Herr Ü")
    f.conversation(
        zeta,
        "2026-03-01",
        time_begin="08:15",
        note='He said "yes",\r\nthen "no"',
        follow_up="2026-03-20",
        completed=True,
        completed_on="2026-03-19",
        is_follow_up=True,
        duration_minutes=45,
        stage_name="Won",
    )
    gone = f.conversation(alpha, "2026-01-01", note="trashed")
    delete(gone.id)
    f.conversation(alpha, "2026-02-10", note="")


def without_uids(text: str) -> str:
    """The conversations export without its uid column (uids are random)."""
    assert re.match(r"uid,|[0-9a-f-]{36},", text)
    return re.sub(r"(^|\r\n)(uid|[0-9a-f-]{36}),", r"\1", text)


def test_conversations_export_csv(ctx):
    awkward_data()
    assert without_uids(exported("conversations")).split("\r\n") == [
        "customer_number,employee,date,time_begin,time_end,duration_minutes,follow_up,note,with_whom,"
        "about,how,completed,completed_on,is_follow_up,pipeline_stage,promised_follow_up",
        "K-100,tester,2026-02-10,,,,,,,,,0,,0,,",
        'K-200,tester,2026-03-01,08:15,,45,2026-03-20,"He said ""yes"",',  # the note's CRLF
        'then ""no""",,,,1,2026-03-19,1,Won,2026-03-20',
        "K-200,tester,2026-03-02,,,,,first: no time sorts first,Herr Ü,,,0,,0,,",
        "K-200,anna,2026-03-02,10:00,,,,second,,Quote,Visit,0,,0,Proposal,",
        "",
    ]


def test_conversations_export_json(ctx):
    awkward_data()
    rows = json.loads(exported("conversations", "json"))
    assert all(len(row.pop("uid")) == 36 for row in rows)
    assert [r["note"] for r in rows] == ["", 'He said "yes",\r\nthen "no"', "first: no time sorts first", "second"]
    assert rows[1] == {
        "customer_number": "K-200",
        "employee": "tester",
        "date": "2026-03-01",
        "time_begin": "08:15",
        "time_end": None,
        "duration_minutes": 45,
        "follow_up": "2026-03-20",
        "note": 'He said "yes",\r\nthen "no"',
        "with_whom": "",
        "about": None,
        "how": None,
        "completed": True,
        "completed_on": "2026-03-19",
        "is_follow_up": True,
        "pipeline_stage": "Won",
        "promised_follow_up": "2026-03-20",
    }


def test_customers_export_json_and_empty_exports(ctx):
    assert exported("customers", "json") == "[]\n"
    assert exported("conversations") == exported("conversations").splitlines()[0] + "\r\n"
    awkward_data()
    customers = json.loads(exported("customers", "json"))
    assert [c["number"] for c in customers] == ["K-100", "K-200"]
    assert customers[1]["address"] == "Ring 1\nKöln"


@contextlib.contextmanager
def another_empty_database(tmp_path):
    """Close the test's database and open a fresh one on the same backend."""
    on_sqlite = is_sqlite()
    close_database()
    schema = None
    if on_sqlite:
        (tmp_path / "second").mkdir()
        open_database(sqlite_url(tmp_path / "second"))
    else:
        schema = PostgresSchema(PG_URL)
        open_database(schema.url)
    try:
        yield
    finally:
        if schema:
            close_database()
            schema.drop()


def all_exports() -> dict[str, str]:
    return {f"{kind}.{fmt}": exported(kind, fmt) for kind in ("customers", "conversations") for fmt in ("csv", "json")}


def round_trip(tmp_path) -> tuple[dict, dict]:
    """Export, import the CSV files into an empty database of the same backend, export again:
    returns (exports before, exports after)."""
    before = all_exports()
    for name in ("customers.csv", "conversations.csv"):
        (tmp_path / name).write_text(before[name], encoding="utf-8", newline="")
    with another_empty_database(tmp_path):
        assert Conversation.select().count() == 0
        import_customers(tmp_path / "customers.csv")
        import_conversations(tmp_path / "conversations.csv", "tester")
        after = all_exports()
    return before, after


def test_round_trip_into_an_empty_database_is_identical(ctx, tmp_path):
    awkward_data()
    before, after = round_trip(tmp_path)
    assert after == before
    assert before["conversations.csv"].count("K-200") == 3


def test_export_to_file_replaces_it_whole(ctx, tmp_path):
    awkward_data()
    target = tmp_path / "out.json"
    target.write_text("old content that is longer than nothing" * 100)
    assert export_to_file("customers", "json", target) == 2
    assert [c["number"] for c in json.loads(target.read_text(encoding="utf-8"))] == ["K-100", "K-200"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path):
    """A database URL for cli.main.main, and the main function itself."""
    from cli.main import main

    url = sqlite_url(tmp_path)
    return lambda *argv: main(["--database", url, *argv])


def test_cli_import_then_export(cli_db, tmp_path, capsys):
    (tmp_path / "c.csv").write_text("number,name\nN1,Nadia\n", encoding="utf-8")
    (tmp_path / "v.csv").write_text("customer_number,employee,date,about\nN1,zoe,2026-03-01,Visit plan\n")
    assert cli_db("import", "customers", str(tmp_path / "c.csv")) == 0
    assert cli_db("import", "conversations", str(tmp_path / "v.csv")) == 0
    err = capsys.readouterr().err  # messages on stderr, data on stdout (README.md#command-line)
    assert "imported 1 customer" in err
    assert "imported 1 conversation; created employee 'zoe', topic 'Visit plan'" in err
    assert cli_db("export", "conversations", "--format", "json", "-o", "-") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["customer_number"], r["employee"], r["about"]) for r in rows] == [("N1", "zoe", "Visit plan")]
    assert cli_db("export", "customers", "-o", str(tmp_path / "out.csv")) == 0
    assert (
        tmp_path / "out.csv"
    ).read_bytes() == b"number,name,email,phone,address,notes,cadence_days\r\nN1,Nadia,,,,,\r\n"


def test_cli_import_errors_are_all_listed_without_traceback(cli_db, tmp_path, capsys):
    (tmp_path / "c.csv").write_text("number,name\nN1,Nadia\n")
    assert cli_db("import", "customers", str(tmp_path / "c.csv")) == 0
    bad = tmp_path / "v.csv"
    bad.write_text("customer_number,date,time_begin\nN1,2026-03-01,09:00\nN2,2026-03-01,09:00\nN1,yesterday,9\n")
    capsys.readouterr()
    assert cli_db("import", "conversations", str(bad)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"rapport: {bad}: 3 errors, nothing imported",
        f"  {bad}: line 3, column customer_number: no customer with number 'N2'",
        f"  {bad}: line 4, column date: 'yesterday' is not a date (YYYY-MM-DD)",
        f"  {bad}: line 4, column time_begin: '9' is not a time (HH:MM)",
    ]
    assert cli_db("export", "conversations") == 0
    assert capsys.readouterr().out.count("\n") == 1  # the header only: nothing was imported


def test_cli_missing_file_is_one_line(cli_db, tmp_path, capsys):
    assert cli_db("import", "customers", str(tmp_path / "missing.csv")) == 1
    err = capsys.readouterr().err
    assert err == f"rapport: {tmp_path / 'missing.csv'}: no such file\n"


def test_cli_export_to_unwritable_place_is_one_line(cli_db, tmp_path, capsys):
    assert cli_db("export", "customers", "-o", str(tmp_path / "no" / "such" / "dir.csv")) == 1
    err = capsys.readouterr().err
    assert err.startswith("rapport: cannot write ") and err.count("\n") == 1
