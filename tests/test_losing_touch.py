"""Losing touch (docs/reports.md): one small hand-made case per rule, both backends; the Follow-ups
screen lists the same customers as ``rapport followups --json`` and logs a conversation
with one key."""

from __future__ import annotations

import datetime as dt
import json

from cli.main import main
from storage.db.database import close_database
from storage.db.models import Conversation, Customer
from storage.records.conversations import delete
from storage.reporting.losing_touch import losing_touch
from tests import factories as f
from tests.conftest import TODAY, make_ctx, sqlite_url
from tui.widgets.followup_table import FollowupTable

LONG_AGO = dt.datetime(2025, 1, 1, 12, 0)  # created_at (UTC)


def customer(name: str, cadence: int | None, **fields) -> Customer:
    return f.customer(name, cadence_days=cadence, created_at=fields.pop("created_at", LONG_AGO), **fields)


def make_cases() -> None:
    """D = 2026-03-18."""
    late = customer("Late", 30)  # last 2026-02-01: 45 days ago, 15 over
    f.conversation(late, "2026-02-01", employee_login="bob")  # any employee counts
    f.conversation(late, "2026-01-01")
    exact = customer("Exactly", 30)  # last 2026-02-16: 30 days, not over
    f.conversation(exact, "2026-02-16")
    recent = customer("Recent", 7)  # spoken to yesterday
    f.conversation(recent, "2026-03-17")
    f.conversation(recent, "2026-01-01")
    trashed = customer("Trashed", 10)  # its latest is in the trash: 2026-03-01 counts
    f.conversation(trashed, "2026-03-01")
    delete(f.conversation(trashed, "2026-03-16").id)
    future = customer("Future", 10)  # a conversation dated after D does not count
    f.conversation(future, "2026-03-02")
    f.conversation(future, "2026-03-25")
    customer("Never", 60)  # none, created 2025-01-01: 441 days, 381 over
    customer("New", 60, created_at=dt.datetime(2026, 3, 1, 9))  # none, but created 17 days ago
    archived = customer("Archived", 1, archived=True)
    f.conversation(archived, "2025-01-01")
    none = customer("No cadence", None)
    f.conversation(none, "2020-01-01")


EXPECTED = [
    # customer, cadence, last conversation, days overdue
    ("Never", 60, None, 381),
    ("Late", 30, "2026-02-01", 15),
    ("Trashed", 10, "2026-03-01", 7),
    ("Future", 10, "2026-03-02", 6),
]


def test_the_rules(ctx):
    make_cases()
    rows = losing_touch(TODAY)
    assert [
        (r.customer, r.cadence_days, r.last_conversation.isoformat() if r.last_conversation else None, r.days_overdue)
        for r in rows
    ] == EXPECTED


def test_ties_by_name(ctx):
    for name in ("Zulu", "alpha", "Beta"):
        f.conversation(customer(name, 5), "2026-03-01")
    # names the way people read them (docs/data.md): case ignored, the same on both backends
    assert [r.customer for r in losing_touch(TODAY)] == ["alpha", "Beta", "Zulu"]


def test_followups_json_has_losing_touch(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    make_ctx(url)
    make_cases()
    late_number = Customer.get(Customer.name == "Late").number
    close_database()
    code = main(["followups", "--database", url, "--today", "2026-03-18", "--all", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    assert document["losing_touch"][1] == {
        "customer_number": late_number,
        "customer": "Late",
        "cadence_days": 30,
        "last_conversation": "2026-02-01",
        "days_overdue": 15,
    }
    assert [
        (r["customer"], r["cadence_days"], r["last_conversation"], r["days_overdue"]) for r in document["losing_touch"]
    ] == EXPECTED


async def test_screen_lists_them_and_l_logs_a_conversation(app):
    make_cases()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(FollowupTable)
        lines = ["".join(s.text for s in table.render_line(y)).rstrip() for y in range(table.size.height)]
        title = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Cadence"])
        assert lines[title].split()[:4] == ["Cadence", "4", "losing", "touch"]
        shown = [line.split()[:7] for line in lines[title + 1 : title + 5]]
        assert shown == [
            [f"{days}d", "late", touch_by, name, "every", f"{cadence}d", last or "never"]
            for (name, cadence, last, days), touch_by in zip(
                EXPECTED, ("2025-03-02", "2026-03-03", "2026-03-11", "2026-03-12"), strict=True
            )
        ]
        assert "4 losing touch" in str(app.screen.query_one("#followups-summary").render())
        # Down to "Late" (the second), then l: a new conversation for that customer.
        await pilot.press("end", "up", "up")
        assert table.source.losing_row(table.cursor_row_id).customer == "Late"
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"called, all fine", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        late = Customer.get(Customer.name == "Late")
        newest = Conversation.select().where(Conversation.customer == late).order_by(Conversation.id.desc()).get()
        assert (newest.note, newest.date) == ("called, all fine", TODAY)
        assert [r.customer for r in table.source.losing] == ["Never", "Trashed", "Future"]


def test_cadence_is_saved_from_the_general_tab_fields(ctx):
    import pytest

    from storage.errors import ValidationError
    from storage.records.customers import save_customer

    cid = save_customer({"number": "K1", "name": "Kay", "cadence_days": " 21 "})
    assert Customer.get_by_id(cid).cadence_days == 21
    save_customer({"number": "K1", "name": "Kay", "cadence_days": ""}, cid)
    assert Customer.get_by_id(cid).cadence_days is None
    for bad in ("0", "-3", "2 weeks", "99999"):
        with pytest.raises(ValidationError) as error:
            save_customer({"number": "K1", "name": "Kay", "cadence_days": bad}, cid)
        assert list(error.value.errors) == ["cadence_days"]
