"""FormField: a label, an input and an inline error line below it, for compact forms.

    yield FormField("Name", Input(id="name", compact=True))
    field.error = "Name is required."   # shown under the input; "" hides it

The error text is shown literally (it may quote what the user typed). Few widgets, as a form
is opened often (docs/performance.md): the error line is mounted only when there first is
an error.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class FormField(Vertical):
    DEFAULT_CSS = """
    FormField {
        height: auto;
        & > Horizontal { height: auto; }
        & > Horizontal > Label { width: 10; padding: 0 1 0 0; }
        & > Horizontal > Input { width: 1fr; }
        & > Horizontal > TextArea { width: 1fr; height: 3; }
        & > .field-error { color: $error; padding: 0 0 0 10; display: none; }
        &.-invalid > .field-error { display: block; }
    }
    """

    def __init__(self, label: str, control: Widget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.control = control

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, markup=False)
            yield self.control

    @property
    def error(self) -> str:
        lines = self.query_children(".field-error")
        return str(lines.first(Static).content) if lines else ""

    @error.setter
    def error(self, message: str) -> None:
        lines = self.query_children(".field-error")
        if lines:
            lines.first(Static).update(message)
        elif message:
            self.mount(Static(message, classes="field-error", markup=False))
        self.set_class(bool(message), "-invalid")
