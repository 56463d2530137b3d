"""Writing an output file (``-o FILE``) the way README.md#command-line says, for every command that writes one
(export, export-ics, export vcard, backup) and for the TUI's calendar exports.

- ``-`` is standard output (never closed here; a closed or full one is a one-line error).
- A regular file (or a new one) is replaced atomically: the data goes to a temporary file
  beside it, which becomes the file only when everything was written and synced, and is
  removed on any error and on SIGTERM, SIGINT or SIGHUP. A replaced file keeps its mode; a
  new file is 0600 (exports hold customer data).
- A symlink is followed: its target is replaced, the link stays a link.
- A FIFO, a device or another special file is written in place, never replaced (``-o
  /dev/null`` stays a device).
- Refused with one line, before anything is written: a folder, a path in a folder that does
  not exist (no command creates it), and the open database's own files (the database, its
  ``-wal``, ``-shm`` and ``-journal``).

``open_output`` gives a file object to write to; ``output_path`` gives a path, for writers
that need a file name of their own (SQLite's backup, ``pg_dump -f``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from storage.errors import Interrupted, RapportError

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
_temporaries: set[str] = set()


def remove_temporaries() -> None:
    """Remove every temporary output file still being written (a signal, an exit)."""
    for name in list(_temporaries):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _temporaries.discard(name)


@contextlib.contextmanager
def _signals_guarded() -> Iterator[None]:
    """While writing: SIGTERM, SIGINT and SIGHUP remove the temporary files and raise
    ``Interrupted``, which unwinds to the command line. Only the main thread may set
    handlers; elsewhere (a TUI worker) the app's own handlers call ``remove_temporaries``."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        remove_temporaries()
        raise Interrupted(signum)

    previous = {}
    for signum in SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, old)


def database_files() -> list[Path]:
    """The open SQLite database's file and its companions (none for PostgreSQL)."""
    from storage.db.models import db

    name = getattr(db.obj, "database", None)
    if db.obj is None or not isinstance(name, str) or not name or name == ":memory:":
        return []
    from storage.db.dialect import is_sqlite

    if not is_sqlite(db.obj):
        return []
    real = Path(os.path.realpath(name))
    return [real] + [real.with_name(real.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(target: str | Path, *, protected: list[Path] | None = None) -> tuple[Path, bool]:
    """The real path to write (symlinks followed) and whether it is a special file written in
    place. Raises ``RapportError`` for a folder, a missing folder or the database's files."""
    shown = str(target)
    if not shown.strip():
        raise RapportError("-o: the file name is empty; name a file, or - for standard output")
    given = os.path.expanduser(shown)
    real = Path(os.path.realpath(given))
    try:
        mode = os.stat(given).st_mode  # through symlinks, as opening would
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise RapportError(f"cannot write {shown}: {exc.strerror}") from None
    for own in database_files() if protected is None else protected:
        if _same_file(real, own) or (mode is not None and _same_file(Path(given), own)):
            raise RapportError(f"{shown} is the database's own file ({own.name}); choose another file name")
    if mode is not None and stat.S_ISDIR(mode):
        raise RapportError(f"{shown} is a folder; name a file in it")
    if mode is None:
        if not real.parent.is_dir():
            raise RapportError(f"cannot write {shown}: the folder {real.parent} does not exist")
        return real, False
    if not stat.S_ISREG(mode):
        return Path(given), True  # opened by the name given (a /proc link resolves only so)
    return real, False


def _message(shown: str, exc: OSError) -> str:
    if exc.errno == errno.EPIPE:
        return f"cannot write {shown}: the reader closed it before everything was written"
    return f"cannot write {shown}: {exc.strerror or exc}"


def _open_special(real: Path, shown: str, binary: bool, encoding: str) -> IO:
    try:
        fd = os.open(real, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise RapportError(_message(shown, exc)) from None
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding=encoding, newline="")


def _new_temporary(real: Path, shown: str) -> tuple[int, str]:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise RapportError(_message(shown, exc)) from None
    _temporaries.add(name)
    with contextlib.suppress(FileNotFoundError):
        os.fchmod(fd, stat.S_IMODE(os.stat(real).st_mode))  # a replaced file keeps its mode
    return fd, name


def _commit(name: str, real: Path) -> None:
    os.replace(name, real)
    _temporaries.discard(name)
    with contextlib.suppress(OSError):  # the rename itself reaches the disk
        folder = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _discard(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
    _temporaries.discard(name)


def stdout(binary: bool = False) -> IO:
    """Standard output for data, or a one-line error when it is closed."""
    if sys.stdout is None:
        raise RapportError("standard output is closed; use -o FILE to write to a file")
    return sys.stdout.buffer if binary else sys.stdout


@contextlib.contextmanager
def open_output(target: str | Path, *, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """A file object for ``target`` (``-`` for standard output), written as README.md#command-line says.
    ``OSError`` while writing becomes ``RapportError`` naming the file."""
    shown = str(target)
    if shown == "-":
        out = stdout(binary)
        try:
            yield out
            out.flush()
        except OSError as exc:
            raise RapportError(_message("standard output", exc)) from None
        return
    real, special = check_target(target)
    with _signals_guarded():
        if special:
            out = _open_special(real, shown, binary, encoding)
            try:
                with out:
                    yield out
            except OSError as exc:
                raise RapportError(_message(shown, exc)) from None
            return
        with (
            _replacing(real, shown) as (fd, _name),
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="") as out,
        ):
            yield out
            out.flush()
            os.fsync(out.fileno())


@contextlib.contextmanager
def _replacing(real: Path, shown: str) -> Iterator[tuple[int, str]]:
    """A temporary file beside ``real`` (its descriptor and name) that replaces ``real`` when
    the block ends without an error, and is removed when it does not."""
    fd, name = _new_temporary(real, shown)
    try:
        yield fd, name
        _commit(name, real)
    except OSError as exc:
        _discard(name)
        raise RapportError(_message(shown, exc)) from None
    except BaseException:
        _discard(name)
        raise


@contextlib.contextmanager
def output_path(target: str | Path) -> Iterator[Path]:
    """A path for a writer that needs a file name: a temporary file beside ``target``, which
    replaces it afterwards; for ``-`` or a special file, a temporary file elsewhere whose
    bytes are then copied into it."""
    shown = str(target)
    special = shown == "-"
    real = None
    if not special:
        real, special = check_target(target)
    with _signals_guarded():
        if special:
            fd, name = tempfile.mkstemp(prefix=".rapport-", suffix=".tmp")
            os.close(fd)
            _temporaries.add(name)
            try:
                yield Path(name)
                with open(name, "rb") as source, open_output(real or "-", binary=True) as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
            except OSError as exc:
                raise RapportError(_message(shown, exc)) from None
            finally:
                _discard(name)
            return
        assert real is not None  # not special: check_target named the file
        with _replacing(real, shown) as (fd, name):
            os.close(fd)
            yield Path(name)
            with open(name, "rb+") as done:
                os.fsync(done.fileno())
