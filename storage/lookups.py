"""The maintained pick lists (topics, methods, pipeline stages) and employees: reads.

Write functions (add, rename, reorder, deactivate) belong here too, next to these reads.
"""

from __future__ import annotations

from storage.models import Employee, Method, PipelineStage, Topic


def topics(include_inactive: bool = False) -> list[Topic]:
    query = Topic.select().order_by(Topic.name)
    return list(query if include_inactive else query.where(Topic.active == True))  # noqa: E712


def methods(include_inactive: bool = False) -> list[Method]:
    query = Method.select().order_by(Method.name)
    return list(query if include_inactive else query.where(Method.active == True))  # noqa: E712


def stages(include_inactive: bool = False) -> list[PipelineStage]:
    query = PipelineStage.select().order_by(PipelineStage.sort_order, PipelineStage.id)
    return list(query if include_inactive else query.where(PipelineStage.active == True))  # noqa: E712


def employees(include_inactive: bool = False) -> list[Employee]:
    query = Employee.select().order_by(Employee.login)
    return list(query if include_inactive else query.where(Employee.active == True))  # noqa: E712


def employee_by_login(login: str) -> Employee | None:
    """Logins match case-insensitively (SPEC §8)."""
    from peewee import fn

    return Employee.get_or_none(fn.LOWER(Employee.login) == login.lower())
