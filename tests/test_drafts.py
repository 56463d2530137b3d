"""Drafts: unsaved text kept in the database, offered back on start (docs/screens.md#keyboard-and-ssh)."""

from __future__ import annotations

import pytest
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from storage.records import drafts
from tests.tui_helpers import drafted_customer, drafts_offered, wait_until
from tui.widgets import draft_keeper
from tui.widgets.draft_keeper import DraftKeeper, flush_all


def test_save_replaces_and_discard_removes(ctx):
    first = drafts.save("conversation", "customer:1", "tester", {"note": "hel"})
    again = drafts.save("conversation", "customer:1", "tester", {"note": "hello [/] \x1b[31m"})
    assert first == again
    drafts.save("conversation", "", "someone-else", {"note": "theirs"})
    mine = drafts.pending("tester")
    assert [(d.form, d.key, d.values) for d in mine] == [("conversation", "customer:1", {"note": "hello [/] \x1b[31m"})]
    drafts.discard("conversation", "customer:1", "tester")
    assert drafts.pending("tester") == []
    assert len(drafts.pending("someone-else")) == 1


class NoteForm(DraftKeeper, ModalScreen[None]):
    """A minimal form using DraftKeeper, standing in for any real form."""

    DRAFT_FORM = "test-note"
    DRAFT_INTERVAL = 0.2
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="save")]

    def __init__(self, note: str = "", who: str = "") -> None:
        super().__init__()
        self._note, self._who = note, who

    def compose(self) -> ComposeResult:
        yield TextArea(self._note, id="note")
        yield Input(self._who, id="who")

    def draft_values(self) -> dict:
        return {"note": self.query_one("#note", TextArea).text, "who": self.query_one("#who", Input).value}

    def action_save(self) -> None:
        self.drop_draft()
        self.dismiss(None)


def open_note_draft(app, draft) -> None:
    form = NoteForm(draft.values.get("note", ""), draft.values.get("who", ""))
    app.push_screen(form)
    form.mark_restored()


@pytest.fixture
def note_opener(monkeypatch):
    monkeypatch.setitem(draft_keeper.OPENERS, "test-note", open_note_draft)


async def test_typing_keeps_a_draft_and_saving_drops_it(app, note_opener):
    async with app.run_test(size=(80, 24)) as pilot:
        form = NoteForm("loaded text")
        app.push_screen(form)
        await wait_until(pilot, lambda: form.is_mounted and form._draft_baseline is not None, "the form")
        assert form._draft_timer is None  # opening a filled form is not typing: no save due
        assert drafts.pending("tester") == []
        await pilot.press("end", "x", "y", "z")
        # debounced: on a slow machine a first draft may be written between two keys
        await wait_until(
            pilot,
            lambda: [d for d in drafts.pending("tester") if d.values["note"].endswith("xyz")],
            "the draft with every key (debounced)",
        )
        assert len(drafts.pending("tester")) == 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert drafts.pending("tester") == []


async def test_flush_all_writes_immediately(app, note_opener):
    """What SIGHUP/SIGTERM/quit do: write every open form's text at once, no waiting."""
    async with app.run_test(size=(80, 24)) as pilot:
        form = NoteForm()
        form.DRAFT_INTERVAL = 60
        app.push_screen(form)
        await wait_until(pilot, lambda: form.is_mounted and form._draft_baseline is not None, "the form")
        await pilot.press(*"call back")
        assert drafts.pending("tester") == []
        flush_all()
        assert drafts.pending("tester")[0].values["note"] == "call back"


async def test_drafts_are_offered_back_on_start(sqlite_ctx, note_opener):
    from screens.drafts import DraftsScreen
    from tui.app import RapportApp

    drafts.save("test-note", "", "tester", {"note": "[bold]kept[/] across a hang-up", "who": "Ann"})
    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: drafts_offered(app), "the drafts offered")
        assert isinstance(app.screen, DraftsScreen)
        assert "[bold]kept[/] across a hang-up" in str(
            app.screen.query_one("#drafts-list").get_option_at_index(0).prompt
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteForm), "the restored form")
        assert app.screen.query_one("#note", TextArea).text == "[bold]kept[/] across a hang-up"
        assert app.screen.query_one("#who", Input).value == "Ann"
        assert app.screen.has_unsaved_changes()  # restored text is unsaved until saved


async def test_discarding_an_offered_draft(sqlite_ctx, note_opener):
    from tui.app import RapportApp

    drafts.save("test-note", "", "tester", {"note": "throw me away"})
    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: drafts_offered(app), "the drafts offered")
        await pilot.press("d")
        await pilot.pause()
        assert drafts.pending("tester") == []


async def test_keys_typed_at_start_go_to_the_list_not_to_the_drafts_offer(sqlite_ctx, monkeypatch):
    """A user who starts typing at once ("n", a name with a d in it, ctrl+s) while the drafts
    are still being read gets the customer they typed; the offer comes afterwards, once the
    keyboard rests, and its d (discard) never sees their keys: the earlier draft is kept, and
    saving the new customer does not drop it (each form writes a draft of its own)."""
    import threading

    from storage.db.models import Customer
    from tui.app import RapportApp

    drafted_customer("D-1", "Drafted Ltd")
    answer = threading.Event()
    pending = drafts.pending

    def slow_pending(*args):  # the database answers while the user is already typing
        answer.wait(10)
        return pending(*args)

    monkeypatch.setattr(drafts, "pending", slow_pending)
    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Bird and")
        answer.set()
        await pilot.press(*" Dodd", "ctrl+s")
        await wait_until(
            pilot,
            lambda: Customer.select().where(Customer.name == "Bird and Dodd").exists(),
            "the customer typed at start saved",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: drafts_offered(app), "the drafts offered once the keyboard rests")
        assert "Drafted Ltd" in str(app.screen.query_one("#drafts-list").get_option_at_index(0).prompt)
    assert [d.values["name"] for d in pending("tester")] == ["Drafted Ltd"]


async def test_contact_and_booking_drafts_reopen_off_the_ui_thread_and_keep_their_draft(app, monkeypatch):
    """A contact's and a booking's draft reopened (tui/forms.py open_drafted): what they need is
    read on the database thread, the form shows the drafted text, and saving drops that same
    draft (no copy left); a draft whose customer is gone says so and opens nothing."""
    import threading

    from screens.booking_form import BookingForm
    from screens.contact_form import ContactForm
    from storage.db.models import Booking, Contact
    from tests import factories

    acme = factories.customer("Acme")
    conv = factories.conversation(acme, "2026-03-10", note="Met")
    drafts.save("contact", f"{acme.id}:~aa", "tester", {"name": "Dora", "role": "", "phone": "", "email": ""})
    booking = {"date": "2026-03-20", "start": "09:00", "end": "10:00", "title": "Visit", "location": "", "note": ""}
    drafts.save("booking", f"conversation:{conv.id}~bb", "tester", {**booking, "conversation_id": conv.id})
    drafts.save("contact", "999999:~cc", "tester", {"name": "Gone", "role": "", "phone": "", "email": ""})
    ui_thread, readers = threading.get_ident(), []

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        from storage.records import customers

        get_customer = customers.get_customer
        monkeypatch.setattr(
            customers, "get_customer", lambda cid: readers.append(threading.get_ident()) or get_customer(cid)
        )
        by_form = {d.form + d.values.get("name", ""): d for d in drafts.pending("tester")}
        draft_keeper.OPENERS["contact"](app, by_form["contactDora"])
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the contact form")
        assert app.screen.query_one("#contact-name").value == "Dora" and app.screen.has_unsaved_changes()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Contact.select().where(Contact.name == "Dora").exists(), "the contact")
        draft_keeper.OPENERS["booking"](app, by_form["booking"])
        await wait_until(pilot, lambda: isinstance(app.screen, BookingForm), "the booking form")
        assert "New booking — Acme" in str(app.screen.query_one("#booking-title").render())
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Booking.select().where(Booking.title == "Visit").exists(), "the booking")
        draft_keeper.OPENERS["contact"](app, by_form["contactGone"])
        await wait_until(pilot, lambda: "no longer exists" in str(list(app._notifications)), "the message")
        assert [d.values["name"] for d in drafts.pending("tester")] == ["Gone"]
    assert readers and ui_thread not in readers


async def test_a_form_saved_before_any_draft_write_drops_no_draft_afterwards(app, monkeypatch):
    """Saving drops the form's draft in the save's own transaction (tui.dbwork.save_form); a
    form whose draft was never written asks the database for nothing more after it (a second
    write on the writer while the list beneath is drawn), one whose draft was written does."""
    from screens.conversation_form import ConversationForm
    from storage.db.models import Conversation
    from tests import factories

    acme = factories.customer("Acme")
    calls = []
    discard = drafts.discard
    monkeypatch.setattr(drafts, "discard", lambda *args: calls.append(args) or discard(*args))
    async with app.run_test(size=(80, 24)) as pilot:
        for note, write_first in (("quick", False), ("slow", True)):
            app.push_screen(ConversationForm.new(acme.id))
            await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "note", "the form")
            await pilot.press(*note)
            if write_first:
                app.screen.flush_draft()  # (as 2 s of typing, SIGHUP or quit do)
            calls.clear()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda n=note: Conversation.select().where(Conversation.note == n).exists())
            await wait_until(pilot, lambda: not isinstance(app.screen, ConversationForm), "the form closed")
            await pilot.pause()
            assert len(calls) == (2 if write_first else 1), (note, calls)
        assert drafts.pending("tester") == []
