"""Output files (-o) as README.md#command-line says, for every command that writes one (issue 14): the
database's own files refused, symlinks followed, FIFOs and devices written in place, missing
folders refused, new files 0600, temporary files gone after an error or a signal.

Special files are made with mkfifo/mknod inside tmp_path, never under /dev."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cli.main import main
from tests.conftest import sqlite_url

WRITERS = [
    ("export", "customers"),
    ("export", "vcard"),
    ("export-ics", "--all"),
    ("backup",),
]


@pytest.fixture
def db(tmp_path):
    """A small demo database and a function running ``rapport --database URL ...``."""
    url = sqlite_url(tmp_path)
    assert main(["--database", url, "--today", "2026-03-18", "demo", "--customers", "5", "--conversations", "40"]) == 0

    def run(*argv):
        return main(["--database", url, "--today", "2026-03-18", *argv])

    run.path = tmp_path / "rapport.db"
    return run


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_onto_the_database_itself_is_refused(db, capsys, suffix):
    target = Path(str(db.path) + suffix)
    before = target.read_bytes() if target.exists() else None
    capsys.readouterr()
    assert db("export", "customers", "-o", str(target)) == 1
    err = capsys.readouterr().err
    assert err.startswith("rapport: ") and "database's own file" in err and err.count("\n") == 1
    if before is not None and suffix == "":
        assert target.read_bytes() == before
    assert db("export", "customers") == 0  # the database still opens and reads


def test_every_writer_refuses_the_database_through_a_symlink(db, capsys, tmp_path):
    link = tmp_path / "innocent.csv"
    link.symlink_to(db.path)
    for argv in WRITERS:
        assert db(*argv, "-o", str(link)) == 1, argv
        assert "database's own file" in capsys.readouterr().err
    assert link.is_symlink()


def test_symlink_is_followed_and_stays_a_link(db, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert db("export", "customers", "-o", str(link)) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("number,name,")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("argv", WRITERS)
def test_fifo_is_written_in_place(db, tmp_path, argv):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert db(*argv, "-o", str(fifo)) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO must stay a FIFO"
    assert received and len(received[0]) > 0
    assert leftovers(tmp_path) == []


def test_device_node_is_written_in_place(db, tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null, in tmp_path
    except PermissionError:
        pytest.skip("mknod needs root here")
    for argv in WRITERS:
        assert db(*argv, "-o", str(node)) == 0, argv
        assert stat.S_ISCHR(os.lstat(node).st_mode), "the device must stay a device"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("argv", WRITERS)
def test_missing_folder_and_folder_are_refused_alike(db, tmp_path, capsys, argv):
    assert db(*argv, "-o", str(tmp_path / "no" / "such.out")) == 1
    err = capsys.readouterr().err
    assert "folder" in err and "does not exist" in err and err.count("\n") == 1
    assert not (tmp_path / "no").exists()
    assert db(*argv, "-o", str(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "is a folder" in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", WRITERS)
def test_new_files_are_0600_and_replaced_files_keep_their_mode(db, tmp_path, argv):
    new = tmp_path / "new.out"
    assert db(*argv, "-o", str(new)) == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    old = tmp_path / "old.out"
    old.write_text("x")
    old.chmod(0o640)
    assert db(*argv, "-o", str(old)) == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_bytes() != b"x"


def test_full_disk_leaves_no_temporary_file(db, capsys, small_tmpfs):
    (small_tmpfs / "filler").write_bytes(b"\0" * (small_tmpfs_free(small_tmpfs) - 2048))
    target = small_tmpfs / "conv.csv"
    assert db("export", "conversations", "-o", str(target)) == 1
    err = capsys.readouterr().err
    assert err.startswith("rapport: cannot write") and "No space left" in err and err.count("\n") == 1
    assert leftovers(small_tmpfs) == [] and not target.exists()


def small_tmpfs_free(folder: Path) -> int:
    info = os.statvfs(folder)
    return info.f_bavail * info.f_frsize


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MB tmpfs mounted in tmp_path (needs root; skipped otherwise)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_sigterm_during_an_export_leaves_no_temporary_file(tmp_path):
    """A real process, paused after its first row: SIGTERM arrives while the temporary
    file exists; it is removed and the exit status is 128 + 15."""
    url = sqlite_url(tmp_path)
    assert main(["--database", url, "demo", "--customers", "3", "--conversations", "10"]) == 0
    out = tmp_path / "out"
    out.mkdir()
    script = (
        "import sys, os, signal; from cli import main as cli; import storage.exchange.csvexport as e\n"
        "orig = e.ROWS['conversations']\n"
        "def slow():\n"
        "    for row in orig():\n"
        "        yield row\n"
        "        print('WRITING', flush=True, file=sys.stderr); signal.pause()\n"
        "e.ROWS['conversations'] = slow\n"
        f"sys.exit(cli.main(['--database', {url!r}, 'export', 'conversations', '-o', {str(out / 'conv.csv')!r}]))\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent
    )
    assert child.stderr.readline().strip() == "WRITING"
    assert leftovers(out)  # the temporary file exists while writing
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert "interrupted by SIGTERM" in child.stderr.read()
    assert list(out.iterdir()) == []


def test_symlink_to_a_fifo_writes_into_the_fifo(db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert db("export", "customers", "-o", str(link)) == 0
    reader.join(timeout=30)
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received[0].startswith(b"number,name,")
