"""The customers behind each pipeline number (the dashboard's tile drill-down).

Each metric of docs/reports.md#pipeline lists the rows it counts, with the same SQL as the number itself, so a
tile's count and its list always agree: one row per customer for the state numbers
(in pipeline, a stage, new prospects), one row per cycle for the closes (a customer with
two won cycles in the period is listed twice, as it counts twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.reporting import pipeline_sql as q
from storage.reporting.pipeline_basis import Period, Stages

METRICS = (
    "customers_in_pipeline",
    "won",
    "lost",
    "closed",
    "win_rate",
    "new_prospects",
    "avg_days_to_close",
    "stalled",
)


@dataclass(frozen=True)
class MetricCustomer:
    customer_id: int
    number: str
    name: str
    date: dt.date  # close date, latest pipeline date or first pipeline date
    employee: str  # login the row is attributed to
    detail: str  # stage, outcome and days


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _rows(inner: str, order: str, period: Period, employee_id: int | None) -> list[tuple]:
    where = "WHERE t.employee_id = :employee_id" if employee_id else ""
    return q.run(
        f"""SELECT t.*, cu.number, cu.name, e.login FROM ({inner}) t
            JOIN customer cu ON cu.id = t.customer_id
            JOIN employee e ON e.id = t.employee_id
            {where} ORDER BY {order}""",
        employee_id=employee_id,
        **period.params(),
    )


def metric_customers(
    metric: str, period: Period, employee_id: int | None = None, stage_id: int | None = None
) -> list[MetricCustomer]:
    """The rows behind ``metric`` (one of METRICS, or ``by_stage`` with ``stage_id``)."""
    stages = Stages.load()
    names = {s.id: s.name for s in stages.rows}
    if metric == "stalled":
        return _stalled(period, stages, employee_id)
    if metric in ("customers_in_pipeline", "by_stage"):
        open_ids = [stage_id] if metric == "by_stage" else [s.id for s in stages.open_stages]
        inner = f"SELECT l.*, {q.latest('date', 'l.customer_id')} AS latest_date FROM ({q.latest_rows(open_ids)}) l"
        return [
            MetricCustomer(cid, number, name, _as_date(when), login, names.get(sid, ""))
            for cid, sid, _e, when, number, name, login in _rows(
                inner, "cu.sort_name, cu.name, cu.id", period, employee_id
            )
        ]
    if metric == "new_prospects":
        return [
            MetricCustomer(cid, number, name, _as_date(first), login, "first pipeline conversation")
            for cid, first, _e, number, name, login in _rows(
                q.new_prospect_rows(stages.all_ids), "cu.sort_name, cu.name, cu.id", period, employee_id
            )
        ]
    kinds = {
        "won": ("won",),
        "lost": ("lost",),
        "closed": ("closed",),
        "win_rate": ("won", "lost"),
        "avg_days_to_close": ("won",),
    }[metric]
    cycles = q.closing_cycles(stages.ids(*kinds), stages.closing_ids)
    inner = f"{cycles} SELECT customer_id, employee_id, date, stage_id, start FROM cycles"
    rows = []
    with q.planner_hints():
        cycles_rows = _rows(inner, "t.date DESC, cu.sort_name, cu.name, cu.id", period, employee_id)
    for cid, _e, close, sid, start, number, name, login in cycles_rows:
        close, start = _as_date(close), _as_date(start)
        detail = f"{stages.kind(sid)} at {names.get(sid, '')}, {(close - start).days} days from {start}"
        rows.append(MetricCustomer(cid, number, name, close, login, detail))
    return rows


def _stalled(period: Period, stages: Stages, employee_id: int | None) -> list[MetricCustomer]:
    """The stalled customers (storage.reporting.pipeline_stalled), largest days in stage first."""
    from storage.db.models import Employee
    from storage.reporting.pipeline_stalled import stalled_customers

    rows = [s for s in stalled_customers(period, stages) if employee_id is None or s.employee_id == employee_id]
    logins = dict(Employee.select(Employee.id, Employee.login).tuples().iterator())
    return [
        MetricCustomer(
            s.customer_id,
            s.customer_number,
            s.customer,
            period.as_of - dt.timedelta(days=s.days_in_stage),
            logins.get(s.employee_id, "?"),
            f"{s.stage}, {s.days_in_stage} days in stage",
        )
        for s in rows
    ]
