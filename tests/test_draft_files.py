"""Drafts a file holds while the database cannot (storage.records.draft_files, docs/storage.md
"Drafts"): another Rapport holding the lock when the session ends must not cost the text."""

from __future__ import annotations

import stat

from textual.widgets import TextArea

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation
from storage.records import draft_files, drafts
from tests import factories
from tests.tui_helpers import drafts_offered, type_text, wait_until

URL = "sqlite:////tmp/one.db"
TYPED = "Called Anna [bold]re: quote[/] $(rm -rf ~)"


def test_a_kept_draft_is_offered_only_to_its_employee_on_its_database(ctx):
    path = draft_files.keep(URL, "conversation", "customer:1~ab", "Anna", {"note": TYPED})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [(k["form"], k["key"], k["values"]) for k in draft_files.kept(URL, "anna")] == [
        ("conversation", "customer:1~ab", {"note": TYPED})
    ]
    assert draft_files.kept(URL, "ben") == []
    assert draft_files.kept("sqlite:////tmp/other.db", "anna") == []
    draft_files.forget(URL, "conversation", "customer:1~ab", "ANNA")
    assert draft_files.kept(URL, "anna") == [] and not path.exists()


def test_pending_lists_rows_and_files_and_the_file_where_both_hold_one(ctx):
    """A file outlives its row only when a later write to the database failed: its text is offered."""
    drafts.save("customer", "~row", "tester", {"name": "only a row"})
    drafts.save("customer", "~both", "tester", {"name": "the row"})
    draft_files.keep(URL, "customer", "~both", "tester", {"name": "the file"})
    draft_files.keep(URL, "customer", "~file", "tester", {"name": "only a file"})
    found = {d.key: d for d in drafts.pending("tester", URL)}
    assert {k: d.values["name"] for k, d in found.items()} == {
        "~row": "only a row",
        "~both": "the file",
        "~file": "only a file",
    }
    assert found["~file"].id < 0 and found["~both"].id > 0 and found["~row"].file is None
    assert sorted(d.key for d in drafts.pending("tester")) == ["~both", "~row"]  # no URL: rows only
    drafts.discard_draft(found["~both"], "tester")  # its row and its file
    drafts.discard_draft(found["~file"], "tester")
    assert [d.key for d in drafts.pending("tester", URL)] == ["~row"]
    assert draft_files.kept(URL, "tester") == []


async def test_quitting_while_another_rapport_holds_the_lock_keeps_the_text_in_a_file(app, other_rapport, sqlite_ctx):
    from tui.app import RapportApp

    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea), "the note field")
        await type_text(pilot, TYPED)
        other_rapport.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+q")  # the draft cannot reach the database: a file holds it
    assert [k["values"]["note"] for k in draft_files.kept(sqlite_ctx.url, "tester")] == [TYPED]
    assert [d.values["note"] for d in drafts.pending("tester", sqlite_ctx.url)] == [TYPED]
    other_rapport.execute("ROLLBACK")

    again = RapportApp(sqlite_ctx)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: drafts_offered(again), "the kept draft offered")
        assert TYPED in str(again.screen.query_one("#drafts-list").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(again.screen, ConversationForm), "the restored form")
        assert again.screen.query_one("#note", TextArea).text == TYPED
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Conversation.select().count() == 1, "the conversation saved")
    assert Conversation.get().note == TYPED
    assert drafts.pending("tester", sqlite_ctx.url) == []  # neither a row nor a file is left
