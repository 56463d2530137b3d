"""Stalled deals (docs/reports.md#pipeline): customers in the pipeline whose days in stage exceed their
stage's "stalled after N days".

*Days in stage* = D − the date of the earliest conversation of the unbroken run of pipeline
conversations at the customer's current stage that ends with its latest one (stored as
``pipeline_customer.stage_since`` by storage/db/cycle_store.py, over all dates). Customers
with a pipeline conversation after D are computed again as of D, as the metrics do.
Ordered by days in stage (largest first), then name, then number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.db import cycle_store
from storage.db.models import Customer
from storage.reporting import pipeline_sql as q
from storage.reporting.pipeline_basis import Period, Stages
from storage.stages import normal_kind


@dataclass(frozen=True, slots=True)
class Stalled:
    customer_id: int
    customer_number: str
    customer: str
    stage: str
    employee_id: int  # of the latest pipeline conversation (docs/reports.md#pipeline attribution)
    days_in_stage: int

    def as_json(self) -> dict:
        return {
            "customer_number": self.customer_number,
            "customer": self.customer,
            "stage": self.stage,
            "days_in_stage": self.days_in_stage,
        }


def stalled_customers(period: Period, stages: Stages | None = None) -> list[Stalled]:
    stages = stages or Stages.load()
    cycle_store.ensure_fresh()
    names = {s.id: s.name for s in stages.rows}
    limits = {s.id: s.stalled_after_days for s in stages.open_stages if s.stalled_after_days is not None}
    params = period.params()
    found = [
        Stalled(cid, number, name, names.get(sid, ""), eid, int(days))
        for cid, number, name, sid, eid, days in q.run(q.stored_stalled(list(limits)), **params)
    ]
    later = [row[0] for row in q.run(q.STORED_LATER_CUSTOMERS, **params)] if limits else []
    kinds = {s.id: normal_kind(s.kind) for s in stages.rows}
    for i in range(0, len(later), cycle_store.CHUNK):
        chunk = later[i : i + cycle_store.CHUNK]
        _, customers = cycle_store.compute(cycle_store.pipeline_rows(chunk, period.as_of), kinds)
        known = {
            cid: (number, name)
            for cid, number, name in Customer.select(Customer.id, Customer.number, Customer.name)
            .where(Customer.id.in_(chunk))
            .tuples()
            .iterator()
        }
        for cid, _first, _fe, _latest, sid, eid, since in customers:
            days = (period.as_of - cycle_store.as_date(since)).days
            if sid in limits and days > limits[sid]:
                found.append(Stalled(cid, *known[cid], names[sid], eid, days))
    found.sort(key=lambda s: (-s.days_in_stage, s.customer, s.customer_number))
    return found


def days_in_stage(customer_id: int, as_of: dt.date) -> tuple[str, int] | None:
    """(stage name, days in stage) of one customer in the pipeline as of D, else None
    (not in the pipeline, or its latest pipeline conversation closed a cycle)."""
    stages = Stages.load()
    kinds = {s.id: normal_kind(s.kind) for s in stages.rows}
    _, customers = cycle_store.compute(cycle_store.pipeline_rows([customer_id], as_of), kinds)
    if not customers:
        return None
    _cid, _first, _fe, _latest, sid, _eid, since = customers[0]
    if kinds.get(sid) != "open":
        return None
    name = next(s.name for s in stages.rows if s.id == sid)
    return name, (as_of - cycle_store.as_date(since)).days
