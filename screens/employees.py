"""Employees (F7): login, name, default topic, active (docs/data.md, docs/screens.md).

Keys: n new, e or enter edit (name and default topic), a deactivate/reactivate. Employees are
never deleted (their conversations keep them); an inactive one is marked "inactive" in words
and dimmed. A team has tens of employees, so the list is loaded whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from storage.errors import RapportError
from storage.records import lookups, staff
from tui.dbwork import describe, run_db
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from storage.db.models import Employee, Topic


class EmployeesScreen(StyledScreen, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    PALETTE_PREFIX = "Employees"
    BINDINGS = [
        Binding("n", "new", "New", id="employees.new", tooltip="New employee"),
        Binding("e", "edit", "Edit", id="employees.edit", tooltip="Edit the selected employee"),
        Binding("enter", "edit", "Edit", id="employees.edit_enter", show=False),
        Binding(
            "a",
            "toggle_active",
            "On/off",
            id="employees.active",
            tooltip="Deactivate / reactivate the selected employee",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Employee] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(id="employees")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Employees"
        self.query_one(DataTable).add_columns("Login", "Name", "Default topic", "Status")

    @on(ScreenResume)
    def resumed(self) -> None:
        """Coming back to the screen: show what other sessions may have changed (after the
        screen is shown: switching to it stays quick)."""
        self.call_after_refresh(self.reload)

    def reload(self, select_id: int | None = None) -> None:
        """Fill the list, keeping the cursor on ``select_id`` if given, else on the same line."""
        table = self.query_one(DataTable)
        line = table.cursor_row
        table.clear()
        employees = lookups.employees(include_inactive=True)
        self.rows = {str(e.id): e for e in employees}
        topics: dict[int | None, Topic] = {t.id: t for t in lookups.topics(include_inactive=True)}
        for employee in employees:
            style = "" if employee.active else "dim"
            topic = topics.get(employee.default_topic_id)
            topic_text = ""
            if topic is not None:
                topic_text = topic.name + ("" if topic.active else " (inactive)")
            table.add_row(
                Text(employee.login, style=style),
                Text(employee.name, style=style),
                Text(topic_text, style=style),
                Text("active") if employee.active else Text("inactive", style="italic"),
                key=str(employee.id),
            )
        if select_id is not None and str(select_id) in self.rows:
            line = table.get_row_index(str(select_id))
        if employees:
            table.move_cursor(row=max(0, min(line, len(employees) - 1)))
        table.focus()

    def current(self):
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key)

    def say(self, message: str) -> None:
        self.query_one("#status", Static).update(message)

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_new(self) -> None:
        from screens.employee_form import EmployeeForm

        self.app.push_screen(EmployeeForm(), lambda saved: self._saved(saved, "added"))

    def action_edit(self) -> None:
        from screens.employee_form import EmployeeForm

        employee = self.current()
        if employee is not None:
            self.app.push_screen(EmployeeForm(employee), lambda saved: self._saved(saved, "saved"))

    def _saved(self, saved_id: int | None, verb: str) -> None:
        if saved_id is None:
            return
        self.reload(saved_id)
        employee = self.rows.get(str(saved_id))
        if employee is not None:
            self.say(f"Employee {employee.login} {verb}.")

    def action_toggle_active(self) -> None:
        employee = self.current()
        if employee is None:
            return
        run_db(
            self,
            staff.set_employee_active,
            employee.id,
            not employee.active,
            done=lambda _: self._toggled(employee),
            failed=self._not_changed,
        )

    def _not_changed(self, error: RapportError) -> None:
        self.say(describe(error, "Not changed", "Try again later."))

    def _toggled(self, employee) -> None:
        self.reload(employee.id)
        if employee.active:
            self.say(
                f"Employee {employee.login} deactivated: no longer offered in pick lists; "
                "their conversations stay theirs."
            )
        else:
            self.say(f"Employee {employee.login} is active again.")
