"""On the demo data, what the Follow-ups and Statistics screens show agrees with
``rapport followups --json`` and ``rapport stats --json`` (issue #4's "done when")."""

from __future__ import annotations

import json

from textual.widgets import DataTable

from cli.main import main
from storage.sample.demo import generate
from tests.conftest import TODAY
from tui.widgets.followup_table import FollowupTable, when


async def walk_followups(app, pilot) -> list[tuple[str, str, int]]:
    """(uid, follow-up, days overdue) of every row, visited with the down key, checking
    that the highlighted line on screen shows the same item."""
    table = app.screen.query_one(FollowupTable)
    await pilot.press("home")
    seen = []
    while True:
        await pilot.pause()
        item = table.cursor_row.data
        line = "".join(s.text for s in table.render_line(table.cursor - round(table.scroll_y) + 1))
        assert when(item.days_overdue) in line and item.follow_up.isoformat() in line
        seen.append((item.uid, item.follow_up.isoformat(), item.days_overdue))
        before = table.cursor
        await pilot.press("down")
        if table.cursor == before:
            return seen


def cli_json(capsys, url: str, *argv: str) -> dict:
    assert main([*argv, "--json", "--database", url, "--today", TODAY.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


async def test_screens_agree_with_the_command_line_on_demo_data(app, sqlite_ctx, capsys):
    generate(sqlite_ctx, 40, 400, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        mine = await walk_followups(app, pilot)
        await pilot.press("v", "down", "enter")  # everyone
        await pilot.pause()
        everyone = await walk_followups(app, pilot)
        await pilot.press("f4")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        screen_stats = {
            str(row[0]): [str(cell) for cell in row[1:]]
            for row in (table.get_row_at(i) for i in range(table.row_count))
        }

    def listed(document: dict) -> list[tuple[str, str, int]]:
        return [(i["uid"], i["follow_up"], i["days_overdue"]) for i in document["due"] + document["upcoming"]]

    assert len(everyone) > len(mine) > 3
    assert mine == listed(cli_json(capsys, sqlite_ctx.url, "followups"))
    assert everyone == listed(cli_json(capsys, sqlite_ctx.url, "followups", "--all"))

    stats = cli_json(capsys, sqlite_ctx.url, "stats")
    assert sum(e["logged"] for e in stats["employees"]) > 0
    for employee in stats["employees"]:
        rate = employee["on_time_rate"]
        assert screen_stats[employee["employee"]] == [
            *(str(employee[key]) for key in ("logged", "scheduled", "due", "done", "on_time", "open_overdue", "moved")),
            "–" if rate is None else f"{rate:.1f}",
        ]
    assert len(screen_stats) == len(stats["employees"]) + 1  # and the totals
