"""Issue 19, reading and finding: phone numbers in national form, the whole note, columns and
detail that use a big terminal, overdue follow-ups flagged, Tab takes a suggestion,
type-to-find on lists."""

from __future__ import annotations

from textual.widgets import Input

from screens.conversation_form import ConversationForm
from screens.customer_form import CustomerForm
from screens.customers import CustomersScreen
from screens.note_view import NoteView
from storage.records import customers
from tests import factories as f
from tests.panel_host import PanelHost
from tests.tui_helpers import screen_text, type_text
from tui.widgets.conversations_panel import ConversationsPanel
from tui.widgets.paged_table import PagedTable

LONG_NOTE = "\n".join(f"line {n:02d} of the call" for n in range(1, 61))


def customer_table(app) -> PagedTable:
    return app.screen.query_one("#customer-table", PagedTable)


async def test_phone_search_finds_the_national_form_and_the_other_way_round(app):
    berlin = f.customer("Berlin GmbH", phone="+49 171 5550199")
    munich = f.customer("München KG", phone="0171 5550299")
    f.customer("Elsewhere", phone="+1 555 0100")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "0171 5550199")
        await pilot.pause()
        assert customer_table(app).row_count == 1 and customer_table(app).cursor_row_id == berlin.id
        app.screen.query_one("#customer-search", Input).value = ""
        await pilot.pause()
        await type_text(pilot, "+49 171 5550299")
        await pilot.pause()
        assert customer_table(app).row_count == 1 and customer_table(app).cursor_row_id == munich.id


async def test_type_to_find_letters_go_to_the_filter_not_to_commands(app):
    f.customer("Alpha")
    ben = f.customer("Ben's Bakery")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is customer_table(app)
        await type_text(pilot, "ben")  # e would edit, n would make a new customer
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.query_one("#customer-search", Input).value == "ben"
        assert customer_table(app).row_count == 1 and customer_table(app).cursor_row_id == ben.id
        await pilot.press("down", "e")  # a key shown in the footer still runs its command
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm)


async def test_type_to_find_on_the_conversations_list(app):
    cust = f.customer("Acme")
    f.conversation(cust, "2026-03-01", note="zebra crossing")
    f.conversation(cust, "2026-03-02", note="other")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PanelHost(cust.id))
        await pilot.pause()
        await type_text(pilot, "zeb")  # e would open the editor, b a booking
        await pilot.pause()
        assert isinstance(app.screen, PanelHost)
        panel = app.screen.query_one(ConversationsPanel)
        assert panel.query_one("#conversations-filter", Input).value == "zeb"
        assert panel.table.row_count == 1


async def test_space_reads_the_whole_note_scrolling(app):
    cust = f.customer("Acme")
    f.conversation(cust, "2026-03-01", note=LONG_NOTE)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PanelHost(cust.id))
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        assert "line 05 of the call" in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert "line 60 of the call" in screen_text(app) and "line 05 " not in screen_text(app)
        await type_text(pilot, "x")  # read only
        assert app.screen.query_one("#note-view-text").text == LONG_NOTE
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PanelHost)


async def test_at_120x40_the_detail_and_the_columns_use_the_room(app):
    cust = f.customer("Acme")
    f.conversation(
        cust,
        "2026-03-01",
        note=LONG_NOTE,
        with_whom="Anna Schmidt",
        topic=f.topic("Complaint"),
        stage_name="Negotiation",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(PanelHost(cust.id))
        await pilot.pause()
        text = screen_text(app)
        assert "line 08 of the call" in text  # more than the 3 lines of an 80x24 detail
        row = next(line for line in text.splitlines() if "Anna" in line)
        assert "Anna Schmidt" in row and "Complaint" in row and "Negotiation" in row


async def test_an_overdue_next_follow_up_is_flagged_without_colour(app):
    late = f.customer("Late Ltd")
    f.conversation(late, "2026-03-01", follow_up="2026-03-10")
    soon = f.customer("Soon Ltd")
    f.conversation(soon, "2026-03-01", follow_up="2026-03-20")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        late_line = next(line for line in lines if "Late Ltd" in line)
        soon_line = next(line for line in lines if "Soon Ltd" in line)
        assert "!2026-03-10" in late_line and "!" not in soon_line and "2026-03-20" in soon_line
        rows = {row.id: row for row in customer_table(app).source.fetch(0, 10)}
        assert rows[late.id].style == "warning" and rows[soon.id].style == ""


async def test_an_overdue_next_follow_up_is_flagged_at_120_columns(app):
    late = f.customer("Late Ltd")
    f.conversation(late, "2026-03-01", follow_up="2026-03-10")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "!2026-03-10" in screen_text(app)


async def test_tab_accepts_a_shown_with_whom_suggestion(app):
    cust = f.customer("Acme")
    customers.save_contact(cust.id, {"name": "Hildegard Vogel"})
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        form = app.screen
        form.query_one("#with_whom", Input).focus()
        await pilot.pause()
        await type_text(pilot, "hil")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert form.query_one("#with_whom", Input).value == "Hildegard Vogel"
        assert app.focused is form.query_one("#with_whom", Input)  # accepted, not left
        await pilot.press("tab")  # nothing more to accept: on to the next field
        assert app.focused is not form.query_one("#with_whom", Input)
