"""ConfirmScreen: a yes/no question, e.g. "Discard the text you typed?".

    def on_answer(yes: bool) -> None: ...
    self.app.push_screen(ConfirmScreen("Discard the text you typed?"), on_answer)

``y`` or ``enter`` answers yes, ``n`` or ``escape`` answers no (escape is the safe answer: the
typed text stays). The question is shown literally (it may quote what the user typed).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.footer import Footer
from tui.widgets.paged_table import visible_text


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("enter", "answer(True)", "Yes", id="confirm.yes_enter", show=False),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "No", id="confirm.no_escape", show=False),
    ]

    def __init__(self, question: str, yes: str = "y / enter: yes", no: str = "n / escape: no") -> None:
        super().__init__()
        self.question = visible_text(question)
        self.hint = f"{yes}    {no}"

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(self.hint, id="confirm-hint", markup=False)
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
