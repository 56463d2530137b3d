"""FollowUpPicker: ticking I.F. by hand on a new conversation offers the customer's open
follow-ups (docs/data.md#the-conversation-form): choose the one this conversation follows up, and saving it links it
("follows") and completes that one, as logging a follow-up does.

    def picked(conversation_id: int | None) -> None: ...   # None: link nothing
    self.app.push_screen(FollowUpPicker(rows), picked)     # rows: conversation_list.open_follow_ups

Up/down and enter choose; escape links nothing (I.F. stays ticked). Notes are shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.widgets.footer import Footer
from tui.widgets.paged_table import visible_text


class FollowUpPicker(ModalScreen[int | None]):
    DEFAULT_CSS = """
    FollowUpPicker {
        align: center middle;
        #follow-up-picker-box {
            width: 76; height: auto; max-height: 20;
            border: round $primary; background: $surface; padding: 0 1;
        }
        #follow-up-picker-title { text-style: bold; }
        #follow-up-picker-list { height: auto; max-height: 14; }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Link none", id="follow_up_picker.cancel")]

    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        options = []
        for cid, date, follow_up, note in self.rows:
            label = Text(f"follow up {follow_up}  (logged {date})  ")
            label.append(visible_text(" ".join(note.split()))[:60] or "(no note)", style="dim")
            options.append(Option(label, id=str(cid)))
        with Vertical(id="follow-up-picker-box"):
            yield Static(
                "Which open follow-up does this conversation follow up? Saving completes it. escape: none",
                id="follow-up-picker-title",
                markup=False,
            )
            yield OptionList(*options, id="follow-up-picker-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))  # type: ignore[arg-type]  # every option has its conversation's id

    def action_cancel(self) -> None:
        self.dismiss(None)
