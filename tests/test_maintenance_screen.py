"""Table maintenance (F6) driven by real key presses at 80x24: database and screen agree."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from screens.confirm import ConfirmScreen
from screens.maintenance import MaintenanceScreen
from screens.value_form import ValueForm
from storage.db.models import Conversation, Method, PipelineStage, Topic
from storage.records import lookups
from tests import factories
from tests.tui_helpers import drafts_offered, screen_text, wait_until


def cells(app, kind: str) -> list[list[str]]:
    """What the visible list shows, as plain text."""
    table = app.screen.query_one(f"#table-{kind}", DataTable)
    return [[getattr(c, "plain", str(c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


def status(app) -> str:
    """The Maintenance screen's status line ("" while a form is still over it)."""
    lines = app.screen.query("#status")
    return str(lines.first(Static).render()) if lines else ""


async def open_tables(pilot, tab: str = "1") -> None:
    await pilot.press("f6", tab)
    await pilot.pause()
    assert isinstance(pilot.app.screen, MaintenanceScreen)


async def go_to(pilot, kind: str, name: str) -> None:
    """Move the cursor to the top, then down to the row named ``name``."""
    names = [row.name for row in lookups.values(kind)]
    await pilot.press("pageup", *["down"] * names.index(name))


async def test_add_a_topic(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ValueForm)
        await pilot.press(*"Warranty", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MaintenanceScreen)
        assert Topic.get(Topic.name == "Warranty").active
        assert ["Warranty", "active"] in cells(app, "topic")
        assert status(app) == "Topic Warranty added."


async def test_markup_in_a_name_is_shown_literally(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot, "2")
        await pilot.press("n", *"[bold]x[/] [link=y]z", "enter")  # enter in the last field saves
        await wait_until(pilot, lambda: status(app).endswith("added."), "the save")
        assert Method.get_or_none(Method.name == "[bold]x[/] [link=y]z") is not None
        assert ["[bold]x[/] [link=y]z", "active"] in cells(app, "method")
        assert status(app) == "Method [bold]x[/] [link=y]z added."


async def test_duplicate_name_is_an_inline_error_and_the_text_stays(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot)
        await pilot.press("n", *"general", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ValueForm)
        error = str(app.screen.query_one("#error-name", Static).render())
        assert "already exists" in error
        assert app.screen.query_one("#field-name", Input).value == "general"
        assert Topic.select().where(Topic.name == "general").count() == 0


async def test_deleting_a_topic_in_use_offers_deactivation(app):
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01", topic=factories.topic("Quote"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot)
        await go_to(pilot, "topic", "Quote")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "used by 1 conversation" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MaintenanceScreen)
        assert Topic.get(Topic.name == "Quote").active is False
        assert ["Quote", "inactive"] in cells(app, "topic")
        assert "deactivated" in status(app)
    assert "Quote" not in [t.name for t in lookups.topics()]
    assert Conversation.get_by_id(conv.id).topic.name == "Quote"


async def test_deleting_an_unused_method_deletes_it_and_toggle_reactivates(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot, "2")
        await go_to(pilot, "method", "Letter")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "Nothing uses it" in app.screen.question
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: (
                Method.get_or_none(Method.name == "Letter") is None
                and isinstance(app.screen, MaintenanceScreen)
                and "Letter" not in [row[0] for row in cells(app, "method")]
            ),
            "the delete",
        )
        await go_to(pilot, "method", "Email")
        await pilot.press("a")
        await wait_until(pilot, lambda: Method.get(Method.name == "Email").active is False, "deactivation")
        await pilot.press("a")
        await wait_until(pilot, lambda: Method.get(Method.name == "Email").active is True, "reactivation")


async def test_move_a_stage_and_edit_its_order_and_kind(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot, "3")
        await go_to(pilot, "stage", "Qualifying")
        await pilot.press("k")
        await wait_until(
            pilot, lambda: [row[1] for row in cells(app, "stage")][:2] == ["Qualifying", "Initial contact"], "the move"
        )
        assert [s.name for s in lookups.stages()][:2] == ["Qualifying", "Initial contact"]
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ValueForm), "the stage form")
        await pilot.press("tab", "backspace", "backspace", *"95", "tab", "enter")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter", "ctrl+s")  # open -> won -> lost -> closed
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, MaintenanceScreen)
                and cells(app, "stage")[-1] == ["95", "Qualifying", "closed", "–", "active"]
            ),
            "the save",
        )
        stage = PipelineStage.get(PipelineStage.name == "Qualifying")
        assert (stage.sort_order, stage.kind) == (95, "closed")
        assert cells(app, "stage")[-1] == ["95", "Qualifying", "closed", "–", "active"]


async def test_escape_after_typing_asks_before_discarding(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot)
        await pilot.press("n", *"Half", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input).value == "Half"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MaintenanceScreen)
        assert Topic.get_or_none(Topic.name == "Half") is None
        await pilot.press("n", "escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, MaintenanceScreen)


async def test_every_action_is_in_the_command_palette(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Tables: New value")
        await wait_until(pilot, lambda: "Tables: New value in this list" in screen_text(app), "the palette's match")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ValueForm)
        assert app.screen.kind == "topic"


async def test_unsaved_stage_form_is_kept_as_a_draft_and_offered_back(sqlite_ctx):
    from screens.drafts import DraftsScreen
    from storage.records import drafts
    from tui.app import RapportApp
    from tui.widgets.draft_keeper import flush_all

    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tables(pilot, "3")
        await pilot.press("n", *"Demo", "tab", *"55")
        await pilot.pause()
        flush_all()  # what a dropped SSH connection (SIGHUP) does
        (draft,) = drafts.pending("tester")
        assert (draft.form, draft.values["name"], draft.values["order"]) == ("stage", "Demo", "55")

    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: drafts_offered(app), "the drafts offered")
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ValueForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        stage = PipelineStage.get(PipelineStage.name == "Demo")
        assert (stage.sort_order, stage.kind) == (55, "open")
        assert drafts.pending("tester") == []
