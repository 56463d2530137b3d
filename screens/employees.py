"""Employees (F7): login, name, default topic, active (docs/data.md, docs/screens.md).

Keys: n new, e or enter edit (name and default topic), a deactivate/reactivate. Employees are
never deleted (their conversations keep them); an inactive one is marked "inactive" in words
and dimmed. A team has tens of employees, so the list is loaded whole, on tui.dbwork's database
reader (the screen shows at once, the rows follow; a database that cannot answer is one line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from screens.maintenance import not_listed
from storage.errors import RapportError
from storage.records import lookups, staff
from tui.dbwork import Awaited, describe, hold_keys_until_done, read_db, run_db
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
        self._listed = False  # the list has been filled once

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
        """Coming back to the screen: show what other sessions may have changed (read on the
        database reader: switching to it stays quick). The first time, the keys typed
        meanwhile wait for the rows (F7 then e edits the first employee)."""
        self.query_one(DataTable).focus()
        self.reload(held=None if self._listed else hold_keys_until_done(self))

    def reload(
        self, select_id: int | None = None, then: Callable[[], object] | None = None, held: Awaited | None = None
    ) -> None:
        """Read the list, then show it, keeping the cursor on ``select_id`` if given, else on
        the same line; ``then()`` after that (``held.done()`` either way)."""

        def show(listed: tuple[list[Employee], list[Topic]]) -> None:
            self._listed = True
            self._fill(*listed, select_id)
            if then is not None:
                then()
            if held is not None:
                held.done()

        def failed(error: RapportError) -> None:
            self.say(not_listed(error))
            if held is not None:
                held.done()

        read_db(self, _employees_and_topics, done=show, failed=failed)

    def _fill(self, employees: list[Employee], topic_rows: list[Topic], select_id: int | None) -> None:
        table = self.query_one(DataTable)
        line = table.cursor_row
        table.clear()
        self.rows = {str(e.id): e for e in employees}
        topics: dict[int | None, Topic] = {t.id: t for t in topic_rows}
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
        from screens.employee_form import open_employee_form

        open_employee_form(self, None, lambda saved: self._saved(saved, "added"))

    def action_edit(self) -> None:
        from screens.employee_form import open_employee_form

        employee = self.current()
        if employee is not None:
            open_employee_form(self, employee, lambda saved: self._saved(saved, "saved"))

    def _saved(self, saved_id: int | None, verb: str) -> None:
        if saved_id is None:
            return

        def shown() -> None:
            employee = self.rows.get(str(saved_id))
            if employee is not None:
                self.say(f"Employee {employee.login} {verb}.")

        self.reload(saved_id, then=shown)

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
        if employee.active:
            said = (
                f"Employee {employee.login} deactivated: no longer offered in pick lists; "
                "their conversations stay theirs."
            )
        else:
            said = f"Employee {employee.login} is active again."
        self.reload(employee.id, then=lambda: self.say(said))


def _employees_and_topics() -> tuple[list[Employee], list[Topic]]:
    """Every employee and every topic (for the default topic's name), in one job."""
    return lookups.employees(include_inactive=True), lookups.topics(include_inactive=True)
