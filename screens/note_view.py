"""NoteView: one conversation's whole note, read only and scrollable (issue 19).

    self.app.push_screen(NoteView(heading, note))

Arrows, page up/down, home/end scroll (the note is a read-only TextArea, so a 1 MB note
scrolls without drawing it all); escape, enter, space or q close it. Control characters are
made visible (tui.terminal_safety, ``visible_text``); nothing is ever interpreted as markup.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.widgets.footer import Footer
from tui.widgets.paged_table import visible_text


class NoteText(TextArea):
    """The note; enter and space close the view instead of being typed (it is read only)."""

    BINDINGS = [
        Binding("enter", "screen.close", "Close", id="note_view.close_enter", show=False),
        Binding("space", "screen.close", "Close", id="note_view.close_space", show=False),
        Binding("q", "screen.close", "Close", id="note_view.close_q", show=False),
    ]


class NoteView(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [Binding("escape", "close", "Close", id="note_view.close")]

    def __init__(self, heading: str, note: str) -> None:
        super().__init__()
        self.heading = heading
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-view-box"):
            yield Static(visible_text(self.heading), markup=False, id="note-view-title")
            lines = (visible_text(line) for line in self.note.splitlines())
            yield NoteText(
                "\n".join(lines) or "(no note)",
                read_only=True,
                soft_wrap=True,
                show_cursor=False,
                compact=True,
                id="note-view-text",
            )
            yield Static("arrows, page up/down scroll · esc, enter or space closes", markup=False, id="note-view-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(NoteText).focus()

    def action_close(self) -> None:
        self.dismiss(None)
