"""Hostile and broken input on the command line (issue 9): every bad argument or file gives
one line on stderr (or one summary line plus one line per CSV error), exit status 1 or 2, no
traceback, and the database unchanged. Odd text that is valid data is stored literally."""

from __future__ import annotations

import csv
import io
import os
import sqlite3

import pytest

from cli.main import main
from storage.db.database import close_database, open_database
from tests import factories
from tests.conftest import sqlite_url

HOSTILE = [
    "[bold]x[/] [/] [link=https://evil.example]y",
    "red \x1b[31mtext\x1b[0m and a title \x1b]0;pwned\x07",
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd e\u0301\u0301 Z\u0351\u0353",
    "'; DROP TABLE customer; --",
    '100% a_b \\ "quoted"',
]


@pytest.fixture
def url(tmp_path):
    """A database with two customers, closed again so ``main`` opens it like a user would."""
    url = sqlite_url(tmp_path)
    open_database(url)
    factories.customer("Acme", number="1")
    factories.customer("Bolt", number="2")
    close_database()
    return url


def customers(tmp_path) -> list[tuple]:
    con = sqlite3.connect(tmp_path / "rapport.db")
    try:
        return con.execute("SELECT number, name, notes FROM customer ORDER BY id").fetchall()
    finally:
        con.close()


def one_line_error(capsys, expected: str) -> str:
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert out.err.count("\n") == 1 and out.err.startswith("rapport"), out.err
    assert expected in out.err, out.err
    return out.err


@pytest.mark.parametrize(
    "argv, status, expected",
    [
        (["--today", "2026-02-30", "followups"], 2, "'2026-02-30' is not a date"),
        (["--today", "[bold]x[/]", "followups"], 2, "is not a date"),
        (["followups", "--employee", "'; DROP TABLE customer; --"], 1, "does not exist"),
        (["followups", "--employee", "\x1b[31mred"], 1, "\\x1b[31mred"),  # shown escaped
        (["pipeline", "--employee", "%"], 1, "no employee"),
        (["stats", "--from", "2026-02-30"], 2, "no such date"),
        (["export-ics", "--to", "2026-13-01"], 2, "no such date"),
        (["demo", "--customers", "-5", "--force"], 2, "--customers: -5 is less than 1"),
        (["demo", "--big-customer", "-3"], 2, "--big-customer: -3 is less than 0"),
        (["demo", "--conversations", "lots"], 2, "'lots' is not a whole number"),
        (["import", "widgets", "x.csv"], 2, "invalid choice"),
        (["export", "customers", "--format", "xml"], 2, "invalid choice"),
        (["export", "customers", "-o", ""], 1, "-o: the file name is empty"),
    ],
)
def test_bad_arguments(url, tmp_path, capsys, argv, status, expected):
    before = customers(tmp_path)
    try:
        code = main(["--database", url, *argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    assert code == status
    err = capsys.readouterr().err
    assert "Traceback" not in err and expected in err, err
    assert err.strip().splitlines()[-1].startswith("rapport"), err  # the message is the last line
    assert customers(tmp_path) == before


@pytest.mark.parametrize(
    "database, expected",
    [
        ("", "--database: the URL is empty"),
        ("   ", "--database: the URL is empty"),
        ("ftp://\x1b]0;title\x07", "unknown database URL 'ftp://\\x1b]0;title\\x07'"),
        ("mysql://root@localhost/x", "unknown database URL"),
        ("sqlite://relative.db", "three slashes"),
        ("sqlite:////tmp/a%00b.db", "NUL character"),
        ("postgresql://nobody@127.0.0.1:1/x", "cannot open database"),
    ],
)
def test_odd_database_urls(tmp_path, capsys, database, expected):
    assert main(["--database", database, "followups"]) == 1
    one_line_error(capsys, expected)


def test_database_url_naming_a_folder(tmp_path, capsys):
    assert main(["--database", sqlite_url(tmp_path).rsplit("/", 1)[0] + "/", "followups"]) == 1
    one_line_error(capsys, "is a folder, not a file")


def test_odd_but_valid_database_file_name_is_used_literally(tmp_path, capsys):
    name = "odd [bold] \x1b[31m name.db"
    url = "sqlite:///" + str(tmp_path / name)
    assert main(["--database", url, "followups"]) == 0
    assert (tmp_path / name).is_file()


def test_export_into_a_missing_folder(url, tmp_path, capsys):
    target = tmp_path / "missing" / "out.csv"
    assert main(["--database", url, "export", "customers", "-o", str(target)]) == 1
    one_line_error(capsys, f"cannot write {target}: the folder {target.parent} does not exist")
    assert not target.parent.exists()


def test_export_onto_a_folder(url, tmp_path, capsys):
    assert main(["--database", url, "export", "customers", "-o", str(tmp_path)]) == 1
    one_line_error(capsys, "is a folder; name a file in it")


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: p / "nothing.csv", "no such file"),
        (lambda p: p, "is a folder, not a CSV file"),
        (lambda p: __import__("pathlib").Path("/dev/zero"), "is a device, not a CSV file"),
    ],
    ids=["missing", "folder", "device"],
)
def test_import_of_something_that_is_not_a_file(url, tmp_path, capsys, make, expected):
    before = customers(tmp_path)
    assert main(["--database", url, "import", "customers", str(make(tmp_path))]) == 1
    one_line_error(capsys, expected)
    assert customers(tmp_path) == before


@pytest.mark.parametrize("kind", ["customers", "conversations"])
def test_import_of_a_binary_file(url, tmp_path, capsys, kind):
    binary = tmp_path / "program.csv"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 20)
    before = customers(tmp_path)
    assert main(["--database", url, "import", kind, str(binary)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "nothing imported" in err.splitlines()[0]
    assert "not UTF-8" in err or "NUL" in err or "header" in err, err
    assert customers(tmp_path) == before


def test_nul_and_escape_characters_in_csv_fields(url, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("number,name\nK\x001,Nul\n", encoding="utf-8")
    before = customers(tmp_path)
    assert main(["--database", url, "import", "customers", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 2, column number: contains a NUL character" in err
    assert customers(tmp_path) == before


def test_hostile_text_is_imported_and_exported_literally(url, tmp_path, capsys):
    """Markup, escape sequences, right-to-left and combining text, SQL and %/_ are data."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["number", "name", "notes"])
    for i, text in enumerate(HOSTILE):
        writer.writerow([f"H{i}", text.replace("\x1b", "").replace("\x07", "") or "x", text])
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert main(["--database", url, "import", "customers", str(path)]) == 0
    stored = customers(tmp_path)
    assert [row[:2] for row in stored[:2]] == [("1", "Acme"), ("2", "Bolt")]  # others untouched
    assert [notes for _, _, notes in stored[2:]] == HOSTILE
    out = tmp_path / "out.csv"
    capsys.readouterr()
    assert main(["--database", url, "export", "customers", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["notes"] for r in rows[2:]] == HOSTILE
    assert os.stat(out).st_mode & 0o077 == 0  # customer data: readable by its owner only
