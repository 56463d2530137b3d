"""Opening databases: defaults, permissions, seeding, bad URLs and files (README.md#settings-configtoml, docs/data.md, docs/storage.md)."""

from __future__ import annotations

import os
import stat

import pytest

from storage.db.connection import default_database_path
from storage.db.database import close_database, open_database
from storage.db.models import Employee, Method, PipelineStage, SchemaVersion, Topic
from storage.errors import RapportError


def test_default_database_is_per_user_with_private_modes(isolated_home):
    from storage.db.connection import resolve_database_url

    open_database(resolve_database_url())
    close_database()
    path = default_database_path()
    assert str(path).startswith(str(isolated_home))
    assert path.name == "rapport.db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_new_database_is_seeded_once(ctx):
    assert [s.name for s in PipelineStage.select().order_by(PipelineStage.sort_order)] == [
        "Initial contact", "Qualifying", "Lead validated", "Proposal", "Negotiation",
        "Won", "Lost", "Not qualified", "Cancelled",
    ]
    kinds = {s.name: s.kind for s in PipelineStage.select()}
    assert kinds["Won"] == "won" and kinds["Lost"] == "lost"
    assert kinds["Not qualified"] == kinds["Cancelled"] == "closed"
    assert Method.select().count() == 5
    assert Topic.select().count() == 6
    assert SchemaVersion.select().count() == 1
    # Opening again neither re-seeds nor re-records the version.
    close_database()
    open_database(ctx.url)
    assert Topic.select().count() == 6
    assert SchemaVersion.select().count() == 1


def test_current_employee_created_on_first_use(ctx):
    assert Employee.select().where(Employee.login == "tester").count() == 0
    assert ctx.employee().login == "tester"
    assert ctx.employee().id == Employee.get(Employee.login == "tester").id


def test_config_employee_wins_over_os_login(tmp_path, monkeypatch):
    from storage.config import current_login, load_config

    cfg = tmp_path / "config.toml"
    cfg.write_text('employee = "anna"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(cfg))
    assert current_login(load_config()) == "anna"
    assert current_login({}) == "tester"


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("mysql://root@localhost/x", "unknown database URL"),
        ("sqlite:relative.db", "sqlite:////ABSOLUTE/PATH"),
    ],
)
def test_bad_urls_are_one_line_errors(url, fragment):
    with pytest.raises(RapportError, match=fragment):
        open_database(url)


def test_unwritable_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            # root ignores folder modes; /proc refuses new files even to root
            target, fragment = "/proc/self/rapport.db", "cannot create the database file /proc/"
        else:
            target, fragment = str(folder / "r.db"), "cannot create the database file"
        with pytest.raises(RapportError, match=fragment) as info:
            open_database("sqlite:///" + target)
        assert "\n" not in str(info.value)
    finally:
        folder.chmod(0o700)


def test_not_a_database_file(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not a database\n" * 100)
    with pytest.raises(RapportError, match="not a valid Rapport/SQLite database") as info:
        open_database("sqlite:///" + str(bogus))
    assert str(bogus) in str(info.value)
    assert "\n" not in str(info.value)


def test_cli_user_errors_exit_1_with_one_line(tmp_path, capsys):
    from cli.main import main

    bogus = tmp_path / "x.db"
    bogus.write_bytes(b"\x00garbage" * 1000)
    for url in ("ftp://nowhere/db", "sqlite:///" + str(bogus)):
        assert main(["--database", url, "export", "customers"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("rapport: ") and err.count("\n") == 1
        assert "Traceback" not in err
