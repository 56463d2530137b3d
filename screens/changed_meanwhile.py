"""ChangedMeanwhileScreen: a form's record was saved by someone else while this user edited it
(docs/storage.md "Live": a form being edited is never overwritten). ``ctrl+s`` in the form then says
so and offers the choice:

    def on_choice(choice: str | None) -> None: ...   # "keep", "reload" or None (back)
    self.app.push_screen(ChangedMeanwhileScreen("conversation"), on_choice)

``k`` keeps the user's version (saved over the other one), ``r`` reloads the stored version
into the form (the user's changes are dropped: their choice), ``escape`` goes back to the
form with everything as it was.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.footer import Footer


class ChangedMeanwhileScreen(ModalScreen[str | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [
        Binding("k", "choose('keep')", "Keep mine", id="changed.keep"),
        Binding("r", "choose('reload')", "Reload theirs", id="changed.reload"),
        Binding("escape", "choose(None)", "Back to the form", id="changed.back"),
    ]

    def __init__(self, what: str = "record") -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="changed-box"):
            yield Static(
                f"Someone else saved this {self.what} while you were editing it. Nothing is saved yet.",
                id="changed-question",
                markup=False,
            )
            yield Static(
                "k  keep mine: save my version over theirs\n"
                "r  reload theirs: show the saved version, drop my changes\n"
                "escape  back to my text",
                id="changed-hint",
                markup=False,
            )
        yield Footer()

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
