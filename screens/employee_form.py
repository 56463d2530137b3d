"""EmployeeForm: add an employee (login, name, default topic) or edit one (name, default
topic; the login never changes). Saving goes through ``storage.records.staff``, which validates.
Its drafts are kept under the form name "employee"; ``open_draft`` reopens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select

from screens.record_form import RecordForm
from storage.db.models import Employee, Topic
from storage.records import lookups, staff
from tui.widgets.draft_keeper import draft_opener


def topic_options(current_id: int | None) -> list[tuple[str, int]]:
    """Active topics, plus the current one even when inactive (marked so)."""
    options = [(topic.name, topic.id) for topic in lookups.topics()]
    if current_id is not None and current_id not in {value for _, value in options}:
        topic = Topic.get_or_none(Topic.id == current_id)
        if topic is not None:
            options.append((f"{topic.name} (inactive)", topic.id))
    return options


class EmployeeForm(RecordForm):
    """``employee`` is the Employee to edit, or None for a new one; ``initial`` the field
    values of a draft to start from."""

    DRAFT_FORM = "employee"

    def __init__(self, employee: Employee | None = None, initial: dict | None = None) -> None:
        title = f"Edit employee: {employee.login}" if employee else "New employee"
        super().__init__(title, initial)
        self.employee = employee

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
        current = employee.default_topic_id if employee else None
        if "default_topic" in self.initial:
            current = self.initial["default_topic"]
        options = topic_options(current)
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


@draft_opener("employee")
def open_draft(app, draft) -> None:
    """Reopen an employee form from a draft left by an earlier session."""
    employee = Employee.get_or_none(Employee.id == int(draft.key)) if draft.key.isdigit() else None
    screen = EmployeeForm(employee, initial=draft.values)
    screen.mark_restored()
    app.push_screen(screen)
