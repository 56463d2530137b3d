"""The conversation form driven by real key presses at 80x24 (docs/data.md#the-conversation-form)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation
from storage.parsing import minutes_between
from tests import factories
from tests.conftest import TODAY
from tests.tui_helpers import screen_text, type_text


async def open_form(app, pilot, form: ConversationForm) -> list:
    results: list = []
    app.push_screen(form, results.append)
    await pilot.pause()
    return results


async def test_first_character_of_note_fills_employee_date_and_time_begin(app):
    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, ConversationForm.new(cust.id))
        form = app.screen
        assert form.query_one("#date", Input).value == ""
        assert form.query_one("#time_begin", Input).value == ""
        assert form.query_one("#employee", Select).value is Select.NULL
        await pilot.press("h")
        assert form.query_one("#date", Input).value == TODAY.isoformat()
        assert form.query_one("#time_begin", Input).value != ""
        assert form.query_one("#employee", Select).value == app.ctx.employee().id
        assert "2026-03-18" in screen_text(app)


async def test_save_sets_time_end_and_duration(app):
    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot, ConversationForm.new(cust.id))
        await type_text(pilot, "Called about the quote")
        app.screen.query_one("#time_begin", Input).value = "00:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        conv = Conversation.get()
        assert results == [conv.id]
        assert conv.note == "Called about the quote"
        assert (conv.employee.login, conv.date, conv.time_begin.isoformat()) == ("tester", TODAY, "00:00:00")
        assert conv.time_end is not None
        assert conv.duration_minutes == minutes_between(conv.time_begin, conv.time_end)


async def test_about_defaults_to_the_employees_default_topic(app):
    cust = factories.customer("Acme")
    factories.employee("tester", default_topic=factories.topic("Support"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, ConversationForm.new(cust.id))
        assert app.screen.query_one("#topic", Select).value == factories.topic("Support").id
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Conversation.get().topic.name == "Support"


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"time_begin": "25:00"}, "time_begin", "no such time"),
        ({"time_begin": "10:00", "time_end": "09:15"}, "time_end", "before Time Begin"),
        ({"date": "2026-02-30"}, "date", "no such date"),
    ],
)
async def test_bad_input_shows_inline_and_keeps_every_character(app, fields, field, message):
    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot, ConversationForm.new(cust.id))
        form = app.screen
        await type_text(pilot, "Line one [/] kept")
        for name, value in fields.items():
            form.query_one(f"#{name}", Input).value = ""
            form.query_one(f"#{name}", Input).focus()
            await type_text(pilot, value)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and results == []
        assert Conversation.select().count() == 0
        assert form.query_one("#note", TextArea).text == "Line one [/] kept"
        for name, value in fields.items():
            assert form.query_one(f"#{name}", Input).value == value
        error = form.query_one(f"#error-{field}")
        assert error.has_class("shown") and message in str(error.render())
        assert message in screen_text(app)
        assert app.focused is form.query_one(f"#{field}")
        # Fixing the field saves.
        form.query_one(f"#{field}", Input).value = "2026-03-17" if field == "date" else "10:30"
        if field == "time_begin":
            form.query_one("#time_end", Input).value = "11:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Conversation.select().count() == 1
        assert Conversation.get().note == "Line one [/] kept"


async def test_edit_keeps_the_fields_and_bumps_the_sequence(app):
    cust = factories.customer("Acme")
    conv = factories.conversation(
        cust, "2026-03-01", time_begin="09:00", note="old", time_end=factories.t("09:30"), duration_minutes=30
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, ConversationForm.edit(conv.id))
        await pilot.press("end", "!")
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = Conversation.get_by_id(conv.id)
    assert (after.note, after.date.isoformat(), after.duration_minutes) == ("old!", "2026-03-01", 30)
    assert after.sequence == conv.sequence + 1


async def test_unsaved_text_is_kept_as_a_draft_and_reopens(app):
    from screens.conversation_form import open_draft
    from storage.records import drafts

    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, ConversationForm.new(cust.id))
        await type_text(pilot, "half a thought")
        app.screen.flush_draft()  # what SIGHUP does
        (draft,) = drafts.pending("tester")
        app.pop_screen()
        await pilot.pause()
        open_draft(app, draft)
        await pilot.pause()
        assert app.screen.query_one("#note", TextArea).text == "half a thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert Conversation.get().note == "half a thought"
    assert drafts.pending("tester") == []


async def test_about_follows_the_chosen_employee_until_picked_by_hand(app):
    cust = factories.customer("Acme")
    factories.employee("tester", default_topic=factories.topic("Support"))
    ann = factories.employee("ann", default_topic=factories.topic("Order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, ConversationForm.new(cust.id))
        form = app.screen
        form.query_one("#employee", Select).value = ann.id
        await pilot.pause()
        assert form.query_one("#topic", Select).value == factories.topic("Order").id
        form.query_one("#topic", Select).value = factories.topic("Quote").id
        form.query_one("#employee", Select).value = app.ctx.employee().id
        await pilot.pause()
        assert form.query_one("#topic", Select).value == factories.topic("Quote").id


async def test_with_whom_suggests_contacts_and_earlier_names(app):
    from storage.records import customers

    cust = factories.customer("Acme")
    customers.save_contact(cust.id, {"name": "Hildegard Vogel"})
    factories.conversation(cust, "2026-03-01", with_whom="Max Mustermann")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, ConversationForm.new(cust.id))
        form = app.screen
        with_whom = form.query_one("#with_whom", Input)
        with_whom.focus()
        await type_text(pilot, "hil")
        await pilot.pause()
        assert "hildegard Vogel" in screen_text(app)  # what was typed, then the rest offered
        await pilot.press("right")  # takes the suggestion
        assert with_whom.value == "Hildegard Vogel"
        with_whom.value = ""
        await type_text(pilot, "Ma")
        await pilot.pause()
        await pilot.press("right")
        assert with_whom.value == "Max Mustermann"


async def test_a_long_note_opens_whole_unwrapped_and_keys_typed_ahead_edit_it(app):
    """Above WRAP_UP_TO characters the note opens with soft wrap off (opening fast:
    benchmarks/tui_paths.py "form: e on a 1 MB note"): the field holds all of it, escape
    closes without asking (nothing was typed), and keys typed right after e land at the start
    of the note."""
    from tests.panel_host import PanelHost
    from tests.tui_helpers import wait_until
    from tui.widgets.note_area import WRAP_UP_TO

    note = "\n".join(f"line {i:06} of a very long call" for i in range(WRAP_UP_TO // 20))
    acme = factories.customer("Acme")
    conv = factories.conversation(acme, "2026-03-10", note=note)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PanelHost(acme.id))
        await wait_until(pilot, lambda: "line 000000" in screen_text(app), what="the conversation")
        await pilot.press("e")
        area = app.screen.query_one("#note", TextArea)
        assert area.text == note and not area.soft_wrap and app.focused is area
        await pilot.press("escape")
        assert isinstance(app.screen, PanelHost)
        await pilot.press("e", *"Ahead", "space", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PanelHost), what="the save")
    assert Conversation.get_by_id(conv.id).note == "Ahead " + note
