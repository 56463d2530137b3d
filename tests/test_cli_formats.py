"""``--format csv|json`` on every command that prints data, ``--json`` as its synonym."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli.main import build_parser, main
from storage.db.database import close_database
from tests import factories as f
from tests.conftest import make_ctx, sqlite_url
from tests.test_reports_cli import ITEM_KEYS


@pytest.fixture
def url(tmp_path):
    url = sqlite_url(tmp_path)
    make_ctx(url)
    acme = f.customer("=Acme", number="A-1")  # a spreadsheet would run "=Acme" as a formula
    f.conversation(acme, "2026-03-01", follow_up="2026-03-10", note="late")
    f.conversation(acme, "2026-03-03", follow_up="2026-03-20", note='soon, "quoted"')
    close_database()
    return url


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "command", [["followups"], ["stats"], ["pipeline"], ["export", "customers"], ["export", "conversations"]]
)
def test_json_is_a_synonym_of_format_json(url, capsys, command):
    base = [*command, "--database", url, "--today", "2026-03-18"]
    assert json.loads(run(capsys, *base, "--json")) == json.loads(run(capsys, *base, "--format", "json"))


def test_every_data_command_offers_csv_and_json():
    parser = build_parser()
    for argv in (["followups"], ["stats"], ["pipeline"], ["export", "customers"]):
        for fmt in ("csv", "json"):
            assert parser.parse_args([*argv, "--format", fmt]).format == fmt
    assert parser.parse_args(["followups"]).format == "text"
    assert parser.parse_args(["export", "customers"]).format == "csv"
    assert parser.parse_args(["export-ics"]).output == parser.parse_args(["export", "customers"]).output == "-"


def test_followups_csv(url, capsys):
    out = run(capsys, "followups", "--database", url, "--today", "2026-03-18", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["section", *ITEM_KEYS]
    assert [(r[0], r[3], r[7], r[11]) for r in rows[1:]] == [
        ("due", "'=Acme", "8", "late"),
        ("upcoming", "'=Acme", "-2", 'soon, "quoted"'),
    ]
    assert out.endswith("\r\n")


def test_stats_csv(url, capsys):
    out = run(capsys, "stats", "--database", url, "--today", "2026-03-18", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["from"], r["to"], r["employee"], r["logged"], r["on_time_rate"]) for r in rows] == [
        ("2026-03-01", "2026-03-31", "tester", "2", "0.0")
    ]


def test_pipeline_csv(url, capsys):
    out = run(capsys, "pipeline", "--database", url, "--today", "2026-03-18", "--format", "csv")
    rows = dict(list(csv.reader(io.StringIO(out)))[1:])
    document = json.loads(run(capsys, "pipeline", "--database", url, "--today", "2026-03-18", "--json"))
    assert rows["as_of"] == "2026-03-18" and rows["won"] == str(document["won"])
    assert {k for k in rows if k.startswith("stage:")} == {f"stage:{r['stage']}" for r in document["by_stage"]}
