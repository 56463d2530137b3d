"""Employees: add, edit, deactivate (docs/data.md, docs/screens.md "Employees").

The reads (``employees``, ``employee_by_login``) live in ``storage.records.lookups`` beside the pick
lists. Employees are never deleted: their conversations keep pointing at them; an inactive
employee just leaves the pick lists.
"""

from __future__ import annotations

import peewee

from storage import limits
from storage.db.models import Employee, Topic, db
from storage.db.retry import retrying
from storage.db.sort_key import sort_key
from storage.errors import RapportError, ValidationError
from storage.records.lookups import check_fields, clean_name, taken

LOGIN_MAX = limits.LOGIN_MAX


def _login(value: str | None, exclude_id: int | None = None) -> str:
    login = clean_name(value, "login", LOGIN_MAX)
    if any(ch.isspace() for ch in login):
        raise ValidationError({"login": "no spaces (use the login name, e.g. jsmith)"})
    if taken(Employee, Employee.login, login, exclude_id):
        raise ValidationError({"login": f"an employee with login {login!r} already exists"})
    return login


def _display_name(value: str | None) -> str:
    name = (value or "").strip()
    return clean_name(name) if name else ""


def _default_topic(topic_id: int | None) -> int | None:
    if topic_id in (None, ""):
        return None
    if not Topic.select().where(Topic.id == topic_id).exists():
        raise ValidationError({"default_topic": "no such topic (deleted elsewhere?)"})
    return int(topic_id)


@retrying
def get_employee(employee_id: int) -> Employee | None:
    return Employee.get_or_none(Employee.id == employee_id)


def add_employee(login: str, name: str = "", default_topic_id: int | None = None) -> Employee:
    """Add an employee; the login is required, without spaces and unique ignoring case.
    An empty name shows as the login."""
    try:
        with db.atomic():
            fields = check_fields(
                {
                    "login": lambda: _login(login),
                    "name": lambda: _display_name(name),
                    "default_topic": lambda: _default_topic(default_topic_id),
                }
            )
            return Employee.create(**fields)
    except peewee.IntegrityError:
        raise ValidationError({"login": "an employee with this login already exists"}) from None


@retrying
def update_employee(employee_id: int, name: str, default_topic_id: int | None) -> None:
    """Change an employee's display name and default topic (the login never changes: it is
    who the person is in config files and imports)."""
    with db.atomic():
        employee = _existing(employee_id)
        fields = check_fields(
            {
                "name": lambda: _display_name(name),
                "default_topic": lambda: _default_topic(default_topic_id),
            }
        )
        fields["sort_name"] = sort_key(fields["name"] or employee.login)
        Employee.update(**fields).where(Employee.id == employee_id).execute()


@retrying
def set_employee_active(employee_id: int, active: bool) -> None:
    with db.atomic():
        _existing(employee_id)
        Employee.update(active=active).where(Employee.id == employee_id).execute()


def _existing(employee_id: int) -> Employee:
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None:
        raise RapportError(f"employee {employee_id} no longer exists")
    return employee
