"""Opening databases: defaults, permissions, seeding, bad URLs and files (README.md#settings-configtoml, docs/data.md, docs/storage.md)."""

from __future__ import annotations

import os
import stat

import pytest

from storage.db.connection import default_database_path
from storage.db.database import close_database, open_database
from storage.db.models import Employee, Method, PipelineStage, SchemaVersion, Topic
from storage.errors import RapportError
from tests.conftest import BACKENDS


def test_default_database_is_per_user_with_private_modes(isolated_home):
    from storage.db.connection import resolve_database_url

    open_database(resolve_database_url())
    close_database()
    path = default_database_path()
    assert str(path).startswith(str(isolated_home))
    assert path.name == "rapport.db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_new_database_is_seeded_once(database_url):
    open_database(database_url)  # a new one (ctx hands out copies of one made earlier)
    assert [s.name for s in PipelineStage.select().order_by(PipelineStage.sort_order)] == [
        "Initial contact",
        "Qualifying",
        "Lead validated",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
        "Not qualified",
        "Cancelled",
    ]
    kinds = {s.name: s.kind for s in PipelineStage.select()}
    assert kinds["Won"] == "won" and kinds["Lost"] == "lost"
    assert kinds["Not qualified"] == kinds["Cancelled"] == "closed"
    assert Method.select().count() == 5
    assert Topic.select().count() == 6
    assert SchemaVersion.select().count() == 1
    # Opening again neither re-seeds nor re-records the version.
    close_database()
    open_database(database_url)
    assert Topic.select().count() == 6
    assert SchemaVersion.select().count() == 1


@pytest.mark.parametrize("dirty", [True, False])
def test_each_test_gets_a_database_as_new(ctx, dirty):
    """ctx hands every test a copy of one database made earlier (tests/conftest.py): it holds
    exactly what a new one holds, identities included, whatever the test before it did."""
    from storage.db import migrations
    from storage.db.models import ALL_MODELS, Customer
    from tests import factories

    seeded = {
        Topic: migrations.DEFAULT_TOPICS,
        Method: migrations.DEFAULT_METHODS,
        PipelineStage: [name for name, _ in migrations.DEFAULT_STAGES],
    }
    for model, names in seeded.items():
        assert [(row.id, row.name) for row in model.select().order_by(model.id)] == list(enumerate(names, 1))
    assert [v.version for v in SchemaVersion.select()] == [migrations.CURRENT_VERSION]
    for model in ALL_MODELS:
        if model not in seeded and model is not SchemaVersion:
            assert model.select().count() == 0, model.__name__
    assert factories.customer("First").id == 1
    if dirty:  # for the next test on this process, if it is the other one
        Topic.update(name="Renamed").where(Topic.id == 1).execute()
        PipelineStage.delete().where(PipelineStage.kind == "closed").execute()
        factories.conversation(Customer.get(), "2026-03-01", note="left behind")


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
