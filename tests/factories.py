"""Small helpers to build hand-made test data where the right answer is obvious."""

from __future__ import annotations

import datetime as dt
import itertools

from storage.config import ensure_employee
from storage.db.models import Conversation, Customer, Employee, Method, PipelineStage, Topic

_numbers = itertools.count(1)


def d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def customer(name: str = "", number: str | None = None, **fields) -> Customer:
    number = number or f"C{next(_numbers):05d}"
    return Customer.create(number=number, name=name or f"Customer {number}", **fields)


def employee(login: str = "tester", **fields) -> Employee:
    emp = ensure_employee(login)
    if fields:
        Employee.update(**fields).where(Employee.id == emp.id).execute()
        emp = Employee.get_by_id(emp.id)
    return emp


def stage(name: str) -> PipelineStage:
    return PipelineStage.get(PipelineStage.name == name)


def topic(name: str) -> Topic:
    return Topic.get(Topic.name == name)


def method(name: str) -> Method:
    return Method.get(Method.name == name)


def conversation(
    cust: Customer,
    date: str | dt.date,
    *,
    employee_login: str = "tester",
    time_begin: str | None = None,
    follow_up: str | None = None,
    stage_name: str | None = None,
    completed: bool = False,
    completed_on: str | None = None,
    **fields,
) -> Conversation:
    """A conversation with dates given as 'YYYY-MM-DD' and times as 'HH:MM'."""
    return Conversation.create(
        customer=cust,
        employee=employee(employee_login),
        date=d(date) if isinstance(date, str) else date,
        time_begin=t(time_begin) if time_begin else None,
        follow_up=d(follow_up) if follow_up else None,
        pipeline_stage=stage(stage_name) if stage_name else None,
        completed=completed,
        completed_on=d(completed_on) if completed_on else None,
        **fields,
    )
