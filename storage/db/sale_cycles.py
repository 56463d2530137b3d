"""One customer's sale cycles (docs/reports.md#pipeline), for the customer form's Pipeline tab.

This is the docs/reports.md#pipeline definition written out plainly, one pass over one customer's pipeline
conversations in conversation order. The tests also use it as the reference that the SQL of
``storage.reporting.pipeline_sql`` must agree with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storage.db.models import Conversation, Employee, PipelineStage
from storage.stages import normal_kind


@dataclass
class Cycle:
    start: dt.date
    close: dt.date | None = None  # None while the cycle is open
    outcome: str = "open"  # open, won, lost or closed: the kind of the closing stage
    stages: list[str] = field(default_factory=list)  # passed through, repeats collapsed
    employee: str = ""  # login of the employee of its latest pipeline conversation
    conversations: int = 0

    def days(self, as_of: dt.date) -> int:
        """Days from start to close, or to D while still open."""
        return ((self.close or as_of) - self.start).days


@dataclass
class PipelineStep:
    """One pipeline conversation, as the cycle pass needs it."""

    date: dt.date
    stage: str
    kind: str
    employee: str


def pipeline_steps(customer_id: int, as_of: dt.date) -> list[PipelineStep]:
    """The customer's pipeline conversations that count as of D, in conversation order."""

    query = (
        Conversation.select(Conversation.date, PipelineStage.name, PipelineStage.kind, Employee.login)
        .join(PipelineStage, on=(Conversation.pipeline_stage == PipelineStage.id))
        .switch(Conversation)
        .join(Employee, on=(Conversation.employee == Employee.id))
        .where(
            (Conversation.customer == customer_id) & Conversation.deleted_at.is_null() & (Conversation.date <= as_of)
        )
        .order_by(Conversation.date, Conversation.time_begin.asc(nulls="first"), Conversation.id)
        .tuples()
    )
    return [PipelineStep(date, name, normal_kind(kind), login) for date, name, kind, login in query.iterator()]


def cycles_from_steps(steps: list[PipelineStep]) -> list[Cycle]:
    """Cut pipeline conversations into cycles: a cycle ends at the first non-open stage."""
    cycles: list[Cycle] = []
    current: Cycle | None = None
    for step in steps:
        if current is None:
            current = Cycle(start=step.date)
            cycles.append(current)
        if not current.stages or current.stages[-1] != step.stage:
            current.stages.append(step.stage)
        current.employee = step.employee
        current.conversations += 1
        if step.kind != "open":
            current.close, current.outcome = step.date, step.kind
            current = None
    return cycles


def customer_cycles(customer_id: int, as_of: dt.date) -> list[Cycle]:
    """The customer's sale cycles as of D, oldest first."""
    return cycles_from_steps(pipeline_steps(customer_id, as_of))
