"""Files: read-only and damaged databases, modes of everything Rapport writes (issue 9)."""

from __future__ import annotations

import stat

import pytest

from cli.main import main
from storage.db.database import close_database, open_database
from storage.errors import RapportError
from tests.conftest import sqlite_url


def test_read_only_database_is_refused_clearly(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    open_database(url)
    close_database()
    path = tmp_path / "rapport.db"
    path.chmod(0o400)
    try:
        assert main(["--database", url, "export", "customers"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "read-only" in err and str(path) in err
        with pytest.raises(RapportError, match="read-only"):
            open_database(url)
    finally:
        path.chmod(0o600)


def test_damaged_database_names_file_and_backups(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    open_database(url)
    close_database()
    path = tmp_path / "rapport.db"
    (tmp_path / "rapport.db.bak-1").write_bytes(b"old copy")
    data = bytearray(path.read_bytes())
    data[100 : 4096 * 3] = b"\xde\xad" * ((4096 * 3 - 100) // 2)  # wreck the schema pages
    path.write_bytes(bytes(data))
    assert main(["--database", url, "export", "customers"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert str(path) in err and "rapport.db.bak-1" in err


def test_database_wal_and_folder_are_private(sqlite_ctx, tmp_path):
    from tests import factories

    factories.customer("Someone")  # a write, so the WAL and shared-memory files exist
    for name in ("rapport.db", "rapport.db-wal", "rapport.db-shm"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
