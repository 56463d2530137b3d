"""Employees (F7) driven by real key presses at 80x24: database and screen agree."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from screens.employee_form import EmployeeForm
from screens.employees import EmployeesScreen
from storage.db.models import Employee
from storage.records import lookups
from tests import factories


def cells(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_add_an_employee_with_a_default_topic(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, EmployeesScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EmployeeForm)
        await pilot.press(*"ann", "tab", *"Ann [bold]x[/]", "tab", "enter")
        await pilot.pause()
        # (none), Complaint, General, Order, Payment, Quote: five down to Quote
        await pilot.press("down", "down", "down", "down", "down", "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EmployeesScreen)
        ann = Employee.get(Employee.login == "ann")
        assert (ann.name, ann.default_topic.name, ann.active) == ("Ann [bold]x[/]", "Quote", True)
        assert ["ann", "Ann [bold]x[/]", "Quote", "active"] in cells(app)
        assert str(app.screen.query_one("#status", Static).render()) == "Employee ann added."


async def test_edit_and_deactivate_an_employee(app):
    factories.employee("bob", name="Bob", default_topic=factories.topic("Order"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("enter")  # the only employee
        await pilot.pause()
        assert isinstance(app.screen, EmployeeForm)
        await pilot.press("end", *" Builder", "tab", "enter", "up", "up", "up", "enter", "ctrl+s")
        await pilot.pause()
        bob = Employee.get(Employee.login == "bob")
        assert (bob.name, bob.default_topic) == ("Bob Builder", None)
        assert cells(app) == [["bob", "Bob Builder", "", "active"]]
        await pilot.press("a")
        await pilot.pause()
        assert Employee.get(Employee.login == "bob").active is False
        assert cells(app) == [["bob", "Bob Builder", "", "inactive"]]
        assert lookups.employees() == []


async def test_duplicate_login_is_an_inline_error(app):
    factories.employee("bob")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7", "n", *"BOB", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EmployeeForm)
        assert "already exists" in str(app.screen.query_one("#error-login", Static).render())
        assert app.screen.query_one("#field-login", Input).value == "BOB"
        assert Employee.select().count() == 1
