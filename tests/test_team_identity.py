"""Team mode: each member is an employee, named by the OS login unless config.toml says
``employee = "..."``; the follow-up list defaults to "me", statistics cover the whole team
(docs/storage.md, docs/reports.md). Run through ``cli.main.main`` as two members with two config files."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from storage.db.models import Employee
from tests import factories
from tests.conftest import BACKENDS


def as_member(monkeypatch, tmp_path, employee: str | None) -> None:
    """Point RAPPORT_CONFIG at this member's config.toml (no ``employee`` key: the OS login)."""
    path = tmp_path / f"config-{employee or 'os'}.toml"
    path.write_text(f'employee = "{employee}"\n' if employee else "# defaults only\n")
    monkeypatch.setenv("RAPPORT_CONFIG", str(path))


def run_json(capsys, url: str, *args: str) -> dict:
    assert main(["--database", url, "--today", "2026-03-18", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_each_member_sees_their_own_follow_ups_and_the_whole_team_in_stats(database_url, monkeypatch, tmp_path, capsys):
    as_member(monkeypatch, tmp_path, "anna")
    run_json(capsys, database_url, "followups", "--json")  # first start: creates the schema and anna
    cust = factories.customer("Acme", number="K1")
    factories.conversation(cust, "2026-03-02", employee_login="anna", follow_up="2026-03-10", note="anna's")
    factories.conversation(cust, "2026-03-03", employee_login="ben", follow_up="2026-03-11", note="ben's")
    factories.conversation(cust, "2026-03-04", employee_login="tester", follow_up="2026-03-12", note="os login's")

    def notes(document):
        return [item["note"] for item in document["due"]]

    assert notes(run_json(capsys, database_url, "followups", "--json")) == ["anna's"]
    as_member(monkeypatch, tmp_path, "ben")
    assert notes(run_json(capsys, database_url, "followups", "--json")) == ["ben's"]
    as_member(monkeypatch, tmp_path, None)  # no employee key: the OS login (USER=tester here)
    assert notes(run_json(capsys, database_url, "followups", "--json")) == ["os login's"]
    everyone = run_json(capsys, database_url, "followups", "--json", "--all")
    assert sorted(notes(everyone)) == ["anna's", "ben's", "os login's"]

    stats = run_json(capsys, database_url, "stats", "--json")
    assert {row["employee"] for row in stats["employees"]} >= {"anna", "ben", "tester"}
    assert sorted(Employee.select(Employee.login).tuples()) == [("anna",), ("ben",), ("tester",)]


def test_config_employee_names_a_new_member_on_first_start(sqlite_ctx, monkeypatch, tmp_path, capsys):
    as_member(monkeypatch, tmp_path, "carla")
    assert main(["--database", sqlite_ctx.url, "followups"]) == 0
    assert "Follow-ups for carla" in capsys.readouterr().out
    assert Employee.get(Employee.login == "carla").name == "carla"


def test_database_choice_cli_then_environment_then_config(monkeypatch, tmp_path, capsys):
    def url(name):
        return "sqlite:///" + str(tmp_path / f"{name}.db")

    config = tmp_path / "config.toml"
    config.write_text(f'database = "{url("configured")}"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    assert main(["stats", "--json"]) == 0
    assert (tmp_path / "configured.db").exists() and not (tmp_path / "env.db").exists()
    monkeypatch.setenv("RAPPORT_DATABASE", url("env"))
    assert main(["stats", "--json"]) == 0
    assert (tmp_path / "env.db").exists()
    assert main(["--database", url("cli"), "stats", "--json"]) == 0
    assert (tmp_path / "cli.db").exists()
