"""Drafts are private (docs/storage.md): in one shared database, a draft typed as anna is offered
to anna only, on both backends."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from storage.context import Context
from storage.records import drafts
from tests.conftest import BACKENDS
from tests.test_drafts import NoteForm, note_opener  # noqa: F401  (fixture)
from tests.tui_helpers import drafts_offered, screen_text, type_text, wait_until
from tui import dbwork


def test_only_the_typist_sees_reads_or_discards_a_draft(ctx):
    own = drafts.save("conversation", "customer:1", "anna", {"note": "anna's private note"})
    drafts.save("conversation", "customer:1", "ben", {"note": "ben's note"})

    assert [d.values["note"] for d in drafts.pending("ben")] == ["ben's note"]
    assert drafts.get(own, "ben") is None
    drafts.discard_id(own, "ben")  # a colleague cannot throw it away either
    drafts.discard("conversation", "customer:1", "ben")
    assert [d.values["note"] for d in drafts.pending("anna")] == ["anna's private note"]
    # Logins ignore case (docs/data.md): Anna is anna.
    assert drafts.get(own, "Anna").values == {"note": "anna's private note"}
    assert drafts.save("conversation", "customer:1", "ANNA", {"note": "again"}) == own
    drafts.discard_id(own, "Anna")
    assert drafts.pending("anna") == []


async def _first_screen(app, pilot):
    """Wait until the app's start-up is done: the first main screen, or a modal over it."""
    await wait_until(
        pilot, lambda: app.screen.is_mounted and app.screen.__class__.__name__ != "Screen", "the first screen"
    )
    await pilot.pause()
    return app.screen


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
@pytest.mark.usefixtures("note_opener")
async def test_a_draft_typed_as_anna_is_not_offered_to_ben(database_url):
    from screens.drafts import DraftsScreen
    from storage.db.database import open_database
    from tui.app import RapportApp

    open_database(database_url)
    anna = Context(url=database_url, login="anna")
    async with RapportApp(anna).run_test(size=(80, 24)) as pilot:
        await _first_screen(pilot.app, pilot)
        pilot.app.push_screen(NoteForm())
        await wait_until(pilot, lambda: isinstance(pilot.app.focused, TextArea), "the form's note field")
        await type_text(pilot, "anna only")
        await pilot.press("ctrl+q")  # quitting keeps the open form's text as a draft
    assert [d.values["note"] for d in drafts.pending("anna")] == ["anna only"]

    ben = RapportApp(Context(url=database_url, login="ben"))
    async with ben.run_test(size=(80, 24)) as pilot:
        screen = await _first_screen(ben, pilot)
        await dbwork.wait_idle()  # the drafts read at start has answered (and found none of ben's)
        await pilot.pause()
        assert ben.screen is screen and not isinstance(screen, DraftsScreen)
        listing = DraftsScreen()
        ben.push_screen(listing)  # asked for explicitly, the list has nothing of anna's
        assert ben.screen is listing
        await wait_until(pilot, lambda: ben.screen is screen, "the empty drafts list to close itself")
        assert "anna only" not in screen_text(ben)

    again = RapportApp(Context(url=database_url, login="Anna"))
    async with again.run_test(size=(80, 24)) as pilot:
        await _first_screen(again, pilot)
        await wait_until(pilot, lambda: drafts_offered(again), "anna's draft offered")
        screen = again.screen
        assert "anna only" in str(screen.query_one("#drafts-list").get_option_at_index(0).prompt)
