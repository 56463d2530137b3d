"""``rapport followups`` and ``rapport stats``: the JSON of README.md#command-line and the readable tables."""

from __future__ import annotations

import json

from cli.main import main
from storage.db.database import close_database
from tests import factories as f
from tests.conftest import make_ctx, sqlite_url

ITEM_KEYS = [
    "uid",
    "customer_number",
    "customer",
    "employee",
    "date",
    "follow_up",
    "days_overdue",
    "with_whom",
    "about",
    "how",
    "note",
]


def fill(url: str) -> None:
    make_ctx(url)
    acme = f.customer("Acme", number="A-1")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-10", note="late \x1b[31mred")
    f.conversation(acme, "2026-03-02", follow_up="2026-03-18", note="today")
    f.conversation(acme, "2026-03-03", follow_up="2026-03-20", note="soon")
    f.conversation(acme, "2026-03-03", follow_up="2026-03-18", employee_login="bob", note="bob's")
    f.conversation(acme, "2026-03-04", follow_up="2026-03-05", completed=True, completed_on="2026-03-05", note="done")
    close_database()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_followups_json_for_me_by_default(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    code, out, _ = run(capsys, "followups", "--database", url, "--today", "2026-03-18", "--json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["date", "due", "upcoming", "losing_touch"]
    assert document["date"] == "2026-03-18"
    assert [i["note"] for i in document["due"]] == ["late \x1b[31mred", "today"]
    assert [i["days_overdue"] for i in document["due"]] == [8, 0]
    assert [list(i) for i in document["due"]] == [ITEM_KEYS, ITEM_KEYS]
    assert [(i["note"], i["days_overdue"]) for i in document["upcoming"]] == [("soon", -2)]
    assert document["due"][0]["customer_number"] == "A-1"
    assert document["due"][0]["employee"] == "tester"


def test_followups_json_all_and_one_employee(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    _, out, _ = run(capsys, "--database", url, "--today", "2026-03-18", "followups", "--all", "--json")
    assert [i["note"] for i in json.loads(out)["due"]] == ["late \x1b[31mred", "today", "bob's"]
    _, out, _ = run(capsys, "followups", "--employee", "bob", "--json", "--database", url, "--today", "2026-03-18")
    assert [i["note"] for i in json.loads(out)["due"]] == ["bob's"]


def test_followups_unknown_employee_is_a_user_error(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    code, out, err = run(capsys, "followups", "--employee", "nobody", "--database", url)
    assert (code, out) == (1, "")
    assert err.strip() == "rapport: employee 'nobody' does not exist"


def test_followups_table_is_readable_and_escapes_control_characters(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    code, out, _ = run(capsys, "followups", "--database", url, "--today", "2026-03-18")
    assert code == 0
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[0] == "Follow-ups for tester on 2026-03-18: 1 overdue, 1 today, 1 in the next 7 days"
    assert "Overdue: 1" in lines and "Today: 1" in lines
    assert any("8d late" in line and "late \\x1b[31mred" in line for line in lines)
    assert any("in 2d" in line and "soon" in line for line in lines)
    assert max(len(line) for line in lines[1:]) <= 80


def test_stats_json_shape(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    code, out, _ = run(capsys, "stats", "--database", url, "--today", "2026-03-18", "--json")
    assert code == 0
    document = json.loads(out)
    assert document == {
        "from": "2026-03-01",
        "to": "2026-03-31",
        "employees": [
            {
                "employee": "bob",
                "logged": 1,
                "scheduled": 1,
                "due": 1,
                "done": 0,
                "on_time": 0,
                "open_overdue": 0,
                "on_time_rate": 0.0,
                "moved": 0,
            },
            {
                "employee": "tester",
                "logged": 4,
                "scheduled": 4,
                "due": 3,
                "done": 1,
                "on_time": 1,
                "open_overdue": 1,
                "on_time_rate": 33.3,
                "moved": 0,
            },
        ],
    }
    assert '"on_time_rate": 0.0' in out  # a number with a decimal, not 0


def test_stats_period_options(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    _, out, _ = run(
        capsys,
        "stats",
        "--from",
        "2026-03-05",
        "--to",
        "2026-03-10",
        "--json",
        "--database",
        url,
        "--today",
        "2026-03-18",
    )
    document = json.loads(out)
    assert (document["from"], document["to"]) == ("2026-03-05", "2026-03-10")
    tester = document["employees"][1]
    assert (tester["logged"], tester["due"], tester["on_time_rate"]) == (0, 2, 50.0)
    _, out, _ = run(capsys, "stats", "--from", "2026-02-01", "--json", "--database", url, "--today", "2026-03-18")
    assert json.loads(out)["to"] == "2026-03-18"
    code, _, err = run(capsys, "stats", "--from", "2026-03-10", "--to", "2026-03-01", "--database", url)
    assert code == 1 and "after" in err


def test_stats_table(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    fill(url)
    code, out, _ = run(capsys, "stats", "--database", url, "--today", "2026-03-18")
    lines = out.splitlines()
    assert lines[0] == "Follow-up statistics, 2026-03-01 to 2026-03-31 (counted up to 2026-03-18)"
    assert lines[2].split() == [
        "Employee",
        "Logged",
        "Scheduled",
        "Due",
        "Done",
        "On",
        "time",
        "Open",
        "overdue",
        "On",
        "time",
        "%",
    ]
    assert lines[-1].split() == ["Total", "5", "5", "4", "1", "1", "1", "25.0"]
    assert max(len(line) for line in lines) <= 80
