"""EmployeePicker: choose whose follow-ups to show: me, everyone, or one employee.

    def on_pick(choice: str | None) -> None: ...   # ME, EVERYONE, a login, or None (cancelled)
    self.app.push_screen(EmployeePicker(current=ME), on_pick)

Up/down and enter choose; escape cancels. Names are shown literally. The employees are read
on tui.dbwork's reader once the picker shows; keys typed meanwhile wait for them.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from storage.records import lookups
from tui.dbwork import hold_keys_until_done, read_db, tell
from tui.widgets.footer import Footer

ME = "\x00me"
EVERYONE = "\x00everyone"


class EmployeePicker(ModalScreen[str | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="employee_picker.cancel")]

    def __init__(self, current: str, my_login: str) -> None:
        super().__init__()
        self.current = current
        self.my_login = my_login

    def compose(self) -> ComposeResult:
        options = [Option(Text(f"Me ({self.my_login})"), id=ME), Option("Everyone", id=EVERYONE)]
        with Vertical(id="employee-picker-box"):
            yield Static("Show the follow-ups of", id="employee-picker-title", markup=False)
            yield OptionList(*options, id="employee-picker-list")
        yield Footer()

    def on_mount(self) -> None:
        self._highlight()
        listed = hold_keys_until_done(self)  # "v", "down", "enter" typed at once: the first employee

        def show(employees) -> None:
            options = []
            for employee in employees:
                label = Text(employee.login)
                if employee.name and employee.name != employee.login:
                    label.append(f" — {employee.name}")
                options.append(Option(label, id=employee.login))
            self.query_one(OptionList).add_options(options)
            self._highlight()
            listed.done()

        def failed(error) -> None:
            tell(self, "Employees not listed", "Me and Everyone can still be chosen.")(error)
            listed.done()

        read_db(self, lookups.employees, done=show, failed=failed, busy="")

    def _highlight(self) -> None:
        option_list = self.query_one(OptionList)
        try:
            option_list.highlighted = option_list.get_option_index(self.current)
        except OptionDoesNotExist:  # the current employee left the list (or is on its way): the top
            option_list.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
