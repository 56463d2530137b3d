"""RecordForm: the small modal form behind table maintenance and employees.

A subclass composes its fields with ``field(label, widget, error_id)``, returns what the user
typed from ``values()`` and stores it in ``save(values)`` (calling storage, which raises
``ValidationError``). The form shows each field's error inline under it and stays open with
every typed character kept; on success it dismisses with the saved row's id.

Keys: ctrl+s saves, escape cancels, asking first when anything was typed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static

from storage.errors import RapportError, ValidationError


class RecordForm(ModalScreen[int | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.form_title = title
        self._initial: dict | None = None

    # -- what a subclass provides -------------------------------------------------------
    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def values(self) -> dict:
        raise NotImplementedError

    def save(self, values: dict) -> int:
        raise NotImplementedError

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

    def on_mount(self) -> None:
        self.call_after_refresh(self._remember_initial)

    def _remember_initial(self) -> None:
        self._initial = self.values()

    def changed(self) -> bool:
        return self._initial is not None and self.values() != self._initial

    # -- actions ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one, like tab."""
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        for error in self.query(".field-error"):
            error.update("")
            error.remove_class("shown")
        try:
            row_id = self.save(self.values())
        except ValidationError as exc:
            for name, message in exc.errors.items():
                target = (self.query(f"#error-{name}") or self.query("#error-form")).first()
                target.update(f"{name.replace('_', ' ').capitalize()}: {message}")
                target.add_class("shown")
            self._focus_first_error(exc.errors)
            return
        except RapportError as exc:
            error = self.query_one("#error-form", Static)
            error.update(str(exc))
            error.add_class("shown")
            return
        self.dismiss(row_id)

    def _focus_first_error(self, errors: dict) -> None:
        for name in errors:
            widgets = self.query(f"#field-{name}")
            if widgets:
                widgets.first().focus()
                return

    def action_cancel(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return
        from screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the text you typed?"), answered)
