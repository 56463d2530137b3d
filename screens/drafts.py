"""Unsaved drafts from an earlier session, offered back on start: restore or discard. The list
is read on tui.dbwork's reader; if the database cannot answer, the offer closes with one line
(the drafts stay, offered again on the next start)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

# The forms whose drafts can be restored; importing them registers their openers.
from screens import (  # noqa: F401
    booking_form,
    contact_form,
    conversation_form,
    customer_form,
    employee_form,
    value_form,
)
from storage.records import drafts
from tui.dbwork import describe as describe_error
from tui.dbwork import read_db, run_action
from tui.widgets.draft_keeper import OPENERS
from tui.widgets.footer import Footer

if TYPE_CHECKING:
    from tui.app import RapportApp

FORM_TITLES = {"conversation": "Conversation", "customer": "Customer", "booking": "Booking", "contact": "Contact"}


def restorable(login: str, url: str | None = None) -> list[drafts.DraftInfo]:
    """The employee's drafts that a form can reopen (with ``url``, those only a file holds too)."""
    return [d for d in drafts.pending(login, url) if d.form in OPENERS]


def describe(draft: drafts.DraftInfo) -> Text:
    """One line for a draft: what form, when, and the start of what was typed."""
    values = draft.values
    text = ""
    for name in ("note", "name", "title", "_raw"):
        if isinstance(values.get(name), str) and values[name].strip():
            text = values[name]
            break
    else:
        text = next((v for v in values.values() if isinstance(v, str) and v.strip()), "")
    excerpt = " ".join(text.split())[:60]
    title = FORM_TITLES.get(draft.form, draft.form)
    line = Text(f"{draft.updated_at:%Y-%m-%d %H:%M} UTC  {title}: ")
    line.append(excerpt or "(empty)")  # user text, appended as plain text
    return line


class DraftsScreen(ModalScreen[None]):
    """Lists this employee's drafts; enter restores one, d discards it, escape keeps them."""

    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used

    BINDINGS = [
        Binding("enter", "restore", "Restore", id="restore"),
        Binding("d", "discard", "Discard", id="discard"),
        Binding("escape", "close", "Later", id="later"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="drafts-box"):
            yield Static("Unsaved text from an earlier session — nothing was lost.", markup=False)
            yield OptionList(id="drafts-list")
            yield Static("enter restore   d discard   escape later", markup=False, classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self._reload()

    _drafts: list[drafts.DraftInfo] = []

    def _reload(self) -> None:
        read_db(
            self, restorable, self.app.ctx.login, self.app.ctx.url, done=self._show, failed=self._not_listed, busy=""
        )

    def _not_listed(self, error) -> None:
        self.app.notify(
            describe_error(error, "Drafts not listed", "They are offered again on the next start."),
            severity="error",
            markup=False,
            timeout=10,
        )
        self.dismiss(None)

    def _show(self, found: list[drafts.DraftInfo]) -> None:
        self._drafts = found
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(Option(describe(d), id=str(d.id)) for d in self._drafts)
        if not self._drafts:
            self.dismiss(None)
        else:
            option_list.highlighted = 0
            option_list.focus()

    def _current(self) -> drafts.DraftInfo | None:
        index = self.query_one(OptionList).highlighted
        return self._drafts[index] if index is not None and index < len(self._drafts) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        draft = self._current()
        if draft is None:
            return
        open_form = OPENERS.get(draft.form)
        self.dismiss(None)
        if open_form is not None:
            open_form(self.app, draft)

    def action_discard(self) -> None:
        draft = self._current()
        if draft is None:
            return

        def done(_) -> None:
            self.app.notify("Draft discarded.")
            self._reload()

        run_action(self, drafts.discard_draft, draft, self.app.ctx.login, done=done)

    def action_close(self) -> None:
        self.dismiss(None)
