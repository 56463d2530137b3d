"""EmployeeForm: add an employee (login, name, default topic) or edit one (name, default
topic; the login never changes). Saving goes through ``storage.records.staff``, which validates.
Its drafts are kept under the form name "employee"; ``open_draft`` reopens one.

The default topic's choices are read before the form opens (``open_employee_form``, on
tui.dbwork's reader; keys typed meanwhile wait for the form), so composing it reads nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select

from screens.record_form import RecordForm
from storage.db.models import Employee
from storage.records import lookups, staff
from tui.dbwork import read_to_open, tell
from tui.forms import open_drafted
from tui.widgets.draft_keeper import draft_opener


def topic_options(current_id: int | None) -> list[tuple[str, int]]:
    """Active topics, plus the current one even when inactive (marked so)."""
    return lookups.offered("topic", current_id)


def current_topic(employee: Employee | None, initial: dict | None) -> int | None:
    """The default topic the form starts with: the drafted one, else the employee's."""
    current = employee.default_topic_id if employee else None
    return (initial or {}).get("default_topic", current)


def open_employee_form(node, employee: Employee | None = None, then=None) -> None:
    """Read the topic choices (tui.dbwork), then open the form; ``then(saved_id)`` on close."""

    def opened(options: list[tuple[str, int]]) -> None:
        node.app.push_screen(EmployeeForm(employee, options=options), then)

    read_to_open(node, topic_options, current_topic(employee, None), done=opened, failed=tell(node, "Not opened"))


class EmployeeForm(RecordForm):
    """``employee`` is the Employee to edit, or None for a new one; ``initial`` the field
    values of a draft to start from; ``options`` the default topic's choices
    (``topic_options``)."""

    DRAFT_FORM = "employee"

    def __init__(
        self, employee: Employee | None = None, initial: dict | None = None, *, options: list[tuple[str, int]]
    ) -> None:
        title = f"Edit employee: {employee.login}" if employee else "New employee"
        super().__init__(title, initial)
        self.employee = employee
        self.options = options

    def draft_key(self) -> str:
        return str(self.employee.id) if self.employee is not None else ""

    def fields(self) -> ComposeResult:
        employee = self.employee
        if employee is None:
            yield from self.field(
                "Login (the user name, e.g. jsmith; cannot change later)",
                Input(self.start("login"), id="field-login"),
                "login",
            )
        name = self.start("name", employee.name if employee else "")
        yield from self.field("Name", Input(name, id="field-name"), "name")
        current = current_topic(employee, self.initial)
        options = self.options
        if current not in {value for _, value in options}:
            current = None
        yield from self.field(
            "Default topic (About on their new conversations)",
            Select(
                options,
                value=current if current is not None else Select.NULL,
                prompt="(none)",
                allow_blank=True,
                id="field-default_topic",
            ),
            "default_topic",
        )

    def values(self) -> dict:
        values = {
            "name": self.query_one("#field-name", Input).value,
            "default_topic": self.select_value(self.query_one("#field-default_topic", Select)),
        }
        if self.employee is None:
            values["login"] = self.query_one("#field-login", Input).value
        return values

    def save(self, values: dict) -> int:
        if self.employee is None:
            return staff.add_employee(values["login"], values["name"], values["default_topic"]).id
        staff.update_employee(self.employee.id, values["name"], values["default_topic"])
        return self.employee.id


def _draft_employee(key: str, initial: dict) -> tuple[Employee | None, list[tuple[str, int]]]:
    employee = staff.get_employee(int(key)) if key.isdigit() else None
    return employee, topic_options(current_topic(employee, initial))


@draft_opener("employee")
def open_draft(app, draft) -> None:
    """Reopen an employee form from a draft left by an earlier session (what it needs is read
    on tui.dbwork's reader first)."""

    def build(found: tuple[Employee | None, list[tuple[str, int]]]) -> EmployeeForm:
        employee, options = found
        screen = EmployeeForm(employee, initial=draft.values, options=options)
        screen.mark_restored()
        return screen

    open_drafted(app, _draft_employee, draft.key, draft.values, build=build)
