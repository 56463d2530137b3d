"""Four behaviours whose mutation the rest of the suite let pass (issue 17): each test here
fails when its line is changed back to the mutant named in its docstring."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult

from screens.pipeline import period_text
from storage.db.models import Conversation
from storage.records import conversations
from storage.records.conversations import ConversationInput
from storage.reporting.pipeline_basis import Period
from tests import factories as f
from tests.conftest import TODAY
from tests.screen_text import screen_text
from tui.widgets.paged_table import Column, PagedTable, Row


class Records:
    """A row source over a list of (id, name) that tests change under the table."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [Row(i, (str(i), f"record {i}")) for i in self.ids[offset : offset + limit]]

    def index_of(self, row_id: int) -> int | None:
        return self.ids.index(row_id) if row_id in self.ids else None


class TableApp(App):
    def __init__(self, source) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("No.", 8), Column("Name", 10, flex=True)], self.source)


async def test_reload_keeps_the_cursor_on_its_record_when_rows_are_added_above():
    """Mutant: ``reload`` keeps the cursor's index instead of its record."""
    source = Records(list(range(100, 150)))
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.press("down", "down", "down")
        assert table.cursor_row_id == 103
        source.ids[:0] = [1, 2]  # two records sorted in above the cursor by someone else
        table.reload()
        await pilot.pause()  # the rows come from the database reader
        assert table.cursor_row_id == 103 and table.cursor == 5
        source.ids[:0] = list(range(1000, 1100))  # the record moved out of the fetched window
        table.reload()
        await pilot.pause()
        assert table.cursor_row_id == 103 and table.cursor == 105


def test_resaving_a_completed_conversation_keeps_its_completed_on_date(ctx):
    """Mutant: every save of a completed conversation sets completed-on to today."""
    conv = f.conversation(f.customer("Acme"), "2026-03-01", completed=True, completed_on="2026-03-05")
    form = ConversationInput.from_conversation(conv)
    form.note = "a word added later"
    now = dt.datetime.combine(TODAY, dt.time(10, 30))
    conversations.save(form, now, ctx.employee().id, conv.id)
    saved = Conversation.get_by_id(conv.id)
    assert saved.note == "a word added later"
    assert saved.completed and saved.completed_on == dt.date(2026, 3, 5)


def test_period_last_is_clipped_to_d():
    """Mutant: ``Period.last`` returns --to even when it lies after D."""
    d = dt.date(2026, 3, 18)
    assert Period(d, dt.date(2026, 3, 1), dt.date(2026, 3, 31)).last == d
    assert Period(d, dt.date(2026, 3, 1), dt.date(2026, 3, 10)).last == dt.date(2026, 3, 10)
    assert Period(d).last == d
    assert Period(d, dt.date(2026, 3, 1), dt.date(2026, 3, 31)).params()["date_to"] == d
    assert period_text(Period(d, dt.date(2026, 3, 1), dt.date(2026, 12, 31)), "close") == "2026-03-01–03-18"


async def test_the_follow_ups_note_goes_through_the_control_character_filter(app):
    """Mutant: the Follow-ups screen shows the highlighted item's note without
    ``visible_text``, so an escape sequence in it reaches the screen as it is."""
    f.conversation(f.customer("Acme"), "2026-03-01", follow_up="2026-03-10", note="call \x1b[5mnow\x07 please")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        assert "call ␛[5mnow␇ please" in shown
        assert "\x1b" not in shown and "\x07" not in shown
