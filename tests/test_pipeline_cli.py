"""``rapport pipeline``: the README.md#command-line JSON document and the readable summary."""

from __future__ import annotations

import json

from cli.main import main
from tests import factories as f

KEYS = [
    "as_of",
    "from",
    "to",
    "customers_in_pipeline",
    "won",
    "lost",
    "closed",
    "win_rate",
    "new_prospects",
    "avg_days_to_close",
    "by_stage",
    "stalled",
]


def make_data():
    a, b = f.customer("Alpha"), f.customer("Bravo")
    f.conversation(a, "2026-01-10", stage_name="Proposal")
    f.conversation(a, "2026-02-01", stage_name="Won")
    f.conversation(b, "2026-03-01", stage_name="Qualifying", employee_login="ben")


def test_json_document_has_the_section_7_shape(ctx, capsys):
    make_data()
    assert main(["--database", ctx.url, "--today", "2026-03-18", "pipeline", "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert list(doc) == KEYS
    assert doc["as_of"] == "2026-03-18" and doc["from"] is None and doc["to"] is None
    assert (doc["customers_in_pipeline"], doc["won"], doc["lost"], doc["closed"]) == (1, 1, 0, 0)
    assert doc["win_rate"] == 100.0 and '"win_rate": 100.0' in out
    assert doc["avg_days_to_close"] == 22.0 and '"avg_days_to_close": 22.0' in out
    assert doc["by_stage"][1] == {"stage": "Qualifying", "customers": 1, "avg_days_in_stage": 17.0}
    assert [list(row) for row in doc["by_stage"]] == [["stage", "customers", "avg_days_in_stage"]] * 5


def test_json_with_period_and_employee(ctx, capsys):
    make_data()
    args = [
        "--database",
        ctx.url,
        "pipeline",
        "--today",
        "2026-03-18",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--employee",
        "ben",
        "--json",
    ]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["from"], doc["to"]) == ("2026-03-01", "2026-03-31")
    assert (doc["won"], doc["win_rate"], doc["avg_days_to_close"]) == (0, None, None)
    assert (doc["customers_in_pipeline"], doc["new_prospects"]) == (1, 1)


def test_summary_is_readable_and_errors_are_one_line(sqlite_ctx, capsys):
    make_data()
    assert main(["--database", sqlite_ctx.url, "--today", "2026-03-18", "pipeline"]) == 0
    out = capsys.readouterr().out
    assert "Pipeline as of 2026-03-18" in out and "Win rate" in out and "100.0 %" in out
    assert main(["--database", sqlite_ctx.url, "pipeline", "--employee", "nobody"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nobody" in err
