"""Every user error is one line on stderr and exit 1 (usage: 2), never a traceback (README.md#command-line,
issue 14): closed or full standard output, full disks, bad URL ports, passwords, negative
counts, no terminal for the TUI, schema upgrades without room for their backup."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from tests.conftest import sqlite_url
from tests.test_output_files import small_tmpfs  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parent.parent


def rapport(*argv, **popen) -> subprocess.CompletedProcess:
    """``rapport ARGV`` in a child process (real standard streams)."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        cwd=popen.pop("cwd", ROOT),
        capture_output=popen.pop("capture", True),
        text=True,
        timeout=120,
        **popen,
    )


def one_line(err: str) -> str:
    assert err.startswith("rapport: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def demo_url(tmp_path):
    url = sqlite_url(tmp_path)
    assert main(["--database", url, "demo", "--customers", "60", "--conversations", "3000"]) == 0
    return url


def test_closed_stdout_is_one_line(demo_url):
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--database", demo_url, "export", "customers"],
        cwd=ROOT,
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 1
    assert "standard output is closed" in one_line(done.stderr)


def test_stdout_whose_reader_closes_is_one_line(demo_url):
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", "--database", demo_url, "export", "conversations"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    child.stdout.read(100)
    child.stdout.close()  # the reader goes away (head -c 100)
    err = child.stderr.read()
    assert child.wait(timeout=60) == 1
    assert "the reader closed it" in one_line(err)


def test_stdout_on_a_full_disk_is_one_line(demo_url, small_tmpfs):  # noqa: F811
    from tests.test_output_files import small_tmpfs_free

    (small_tmpfs / "filler").write_bytes(b"\0" * (small_tmpfs_free(small_tmpfs) - 8192))
    with open(small_tmpfs / "out.csv", "w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--database", demo_url, "export", "conversations"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert "No space left on device" in one_line(done.stderr)


@pytest.mark.parametrize("argv", [["demo", "--conversations", "20000"], ["import", "customers", "IN"]])
def test_demo_and_import_on_a_full_disk(tmp_path, small_tmpfs, argv):  # noqa: F811
    source = tmp_path / "in.csv"
    source.write_text("number,name,notes\n" + "".join(f"N{i},Name {i},{'x' * 500}\n" for i in range(4000)))
    url = sqlite_url(small_tmpfs)
    argv = [str(source) if a == "IN" else a for a in argv]
    done = rapport("--database", url, *argv)
    assert done.returncode == 1
    assert "disk is full" in one_line(done.stderr)
    done = rapport("--database", url, "export", "customers")  # the database is intact
    assert done.returncode == 0 and done.stdout.count("\n") == 1


@pytest.mark.parametrize("port", ["abc", "99999"])
def test_bad_url_port_is_one_line(port):
    done = rapport("--database", f"postgresql://me:s3cret@localhost:{port}/x?password=s3cret", "followups")
    assert done.returncode == 1
    assert f"port {port!r}" in one_line(done.stderr) or f"port {port}" in done.stderr
    assert "s3cret" not in done.stderr


def test_passwords_are_never_printed(tmp_path):
    for url in (
        "postgresql://me:s3cret@127.0.0.1:1/db",
        "postgresql://me@127.0.0.1:1/db?password=s3cret",
        "mysql://me:s3cret@x/db?password=s3cret",
    ):
        done = rapport("--database", url, "stats")
        assert done.returncode == 1, url
        one_line(done.stderr)
        assert "s3cret" not in done.stderr and "s3cret" not in done.stdout


def test_negative_counts_are_usage_errors(tmp_path):
    done = rapport("--database", sqlite_url(tmp_path), "demo", "--big-customer", "-3")
    assert done.returncode == 2
    assert "--big-customer" in done.stderr and "Traceback" not in done.stderr


def test_version():
    done = rapport("--version")
    assert done.returncode == 0 and done.stdout.startswith("rapport ")


def test_no_tui_without_a_terminal(tmp_path):
    done = rapport("--database", sqlite_url(tmp_path), stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "not a terminal" in one_line(done.stderr)
    assert done.stdout == ""  # no escape codes written into the file


def test_relative_and_absolute_sqlite_urls(tmp_path):
    done = rapport(
        "--database",
        "sqlite:///rel.db",
        "export",
        "customers",
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "rel.db").exists()
    assert rapport("--database", "sqlite:///" + str(tmp_path / "abs.db"), "export", "customers").returncode == 0
    assert (tmp_path / "abs.db").exists()
    assert rapport("--database", str(tmp_path / "plain.db"), "export", "customers").returncode == 0
    assert (tmp_path / "plain.db").exists()


def test_dangling_symlink_database_is_created_0600(tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "target.db")
    assert main(["--database", str(link), "export", "customers"]) == 0
    assert link.is_symlink()
    assert stat.S_IMODE((tmp_path / "target.db").stat().st_mode) == 0o600


def test_foreign_sqlite_file_is_left_byte_for_byte_unchanged(tmp_path, capsys):
    import sqlite3

    (tmp_path / "f").mkdir()
    foreign = tmp_path / "f" / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.execute("INSERT INTO recipes VALUES ('soup')")
    con.commit()
    con.close()
    before = foreign.read_bytes()
    assert main(["--database", str(foreign), "export", "customers"]) == 1
    assert "not a Rapport database" in one_line(capsys.readouterr().err)
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in foreign.parent.iterdir()) == ["other.db"]


def test_2000_bad_rows_print_50_errors_and_a_count(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    source = tmp_path / "bad.csv"
    source.write_text("customer_number,date\n" + "NOPE,2026-03-01\n" * 2000)
    assert main(["--database", url, "import", "conversations", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 52
    assert err[0] == f"rapport: {source}: 2000 errors, nothing imported"
    assert err[-1] == "  … and 1,950 more errors"


def test_import_reads_standard_input(tmp_path, monkeypatch, capsys):
    import io

    url = sqlite_url(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"number;name\nS1;From stdin\n")))
    assert main(["--database", url, "import", "customers", "-"]) == 0
    assert "standard input: imported 1 customer" in capsys.readouterr().err
    assert main(["--database", url, "export", "customers"]) == 0
    assert "S1,From stdin" in capsys.readouterr().out


def test_a_big_import_shows_progress_on_a_terminal(tmp_path, monkeypatch, capsys):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    url = sqlite_url(tmp_path)
    source = tmp_path / "many.csv"
    source.write_text("number,name\n" + "".join(f"N{i},Name {i}\n" for i in range(5000)))
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(["--database", url, "import", "customers", str(source)]) == 0
    assert "\rimport customers [" in screen.getvalue()
    assert screen.getvalue().rstrip().endswith("imported 5000 customers")
    capsys.readouterr()
    # and nothing of it when stderr is not a terminal
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["--database", url, "export", "customers", "-o", str(tmp_path / "o.csv")]) == 0
    assert "[" not in sys.stderr.getvalue()
