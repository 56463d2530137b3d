"""RecordForm: the small modal form behind table maintenance and employees.

A subclass composes its fields with ``field(label, widget, error_id)``, returns what the user
typed from ``values()`` and stores it in ``save(values)`` (calling storage, which raises
``ValidationError``). The form shows each field's error inline under it and stays open with
every typed character kept; on success it dismisses with the saved row's id.

Keys: ctrl+s saves (so does enter in the last field), escape cancels, asking first when anything was typed.

Unsaved text is kept as a draft (``DraftKeeper``) under the subclass's ``DRAFT_FORM`` and
``draft_key()``; its module's ``open_draft`` reopens it on the next start (``tui.drafts``).
A subclass takes ``initial`` (the drafted values) to fill its fields from.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from storage.errors import RapportError, ValidationError
from tui.dbwork import describe, run_db
from tui.styled_screen import StyledScreen
from tui.widgets.draft_keeper import DraftKeeper
from tui.widgets.footer import Footer


class RecordForm(StyledScreen, DraftKeeper, ModalScreen[int | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str, initial: dict | None = None) -> None:
        super().__init__()
        self.form_title = title
        self.initial = initial or {}

    # -- what a subclass provides -------------------------------------------------------
    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def values(self) -> dict:
        raise NotImplementedError

    def save(self, values: dict) -> int:
        raise NotImplementedError

    def draft_values(self) -> dict:
        """What a draft keeps: the fields, plus what the subclass needs to reopen the form."""
        return self.values()

    def start(self, name: str, default: str = "") -> str:
        """A field's starting text: the drafted value when reopened from a draft."""
        value = self.initial.get(name, default)
        return value if isinstance(value, str) else default

    # -- building blocks ----------------------------------------------------------------
    @staticmethod
    def field(label: str, widget: Widget, name: str) -> ComposeResult:
        """A labelled field with an (empty until needed) error line named ``error-NAME``."""
        yield Label(label, classes="field-label", markup=False)
        yield widget
        yield Static("", id=f"error-{name}", classes="field-error", markup=False)

    @staticmethod
    def select_value(select: Select):
        return None if select.value is Select.NULL else select.value

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.form_title, id="form-title", markup=False)
            yield from self.fields()
            yield Static("", id="error-form", classes="field-error", markup=False)
        yield Footer()

    # -- actions ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one, like tab; in the last field it saves."""
        event.stop()
        chain = self.focus_chain
        if chain and chain[-1] is event.input:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.remove_class("shown")
        if self._saving:  # ctrl+s again while the save runs (tui.dbwork)
            return
        self._saving = True
        run_db(self, self.save, self.values(), done=self._saved, failed=self._not_saved)

    _saving = False

    def _saved(self, row_id: int) -> None:
        self._saving = False
        self.drop_draft()
        self.dismiss(row_id)

    def _not_saved(self, error: RapportError) -> None:
        """Inline under each field (a ValidationError), else one line under the form."""
        self._saving = False
        if isinstance(error, ValidationError):
            for name, message in error.errors.items():
                target = (self.query(f"#error-{name}") or self.query("#error-form")).first(Static)
                target.update(f"{name.replace('_', ' ').capitalize()}: {message}")
                target.add_class("shown")
            self._focus_first_error(error.errors)
            return
        line = self.query_one("#error-form", Static)
        line.update(describe(error))
        line.add_class("shown")

    def _focus_first_error(self, errors: dict) -> None:
        for name in errors:
            widgets = self.query(f"#field-{name}")
            if widgets:
                widgets.first().focus()
                return

    def action_cancel(self) -> None:
        self.close_form(None)
