"""Pipeline metrics (docs/reports.md#pipeline) as of D, for the dashboard and ``rapport pipeline`` alike.

Definitions, all as of D (only conversations dated ≤ D and not deleted count):
- a customer's *pipeline conversations* have a stage, in conversation order (docs/data.md);
- a *sale cycle* starts at the first of them or at the first after a conversation whose
  stage kind is not ``open``, and ends at the first whose kind is ``won``, ``lost`` or
  ``closed`` (its close date), or is still open;
- the period (default all time up to D) narrows close dates for won/lost/closed and the
  average days to close; the other numbers are a state as of D, or the month of D;
- employee attribution: a cycle (and so a customer in the pipeline) belongs to the employee
  of its latest pipeline conversation, a new prospect to the employee of its first.

Stage kinds come from the stage table (compared case-insensitively), never from names.
Every number is computed per employee in one go (``pipeline_counts``), so the totals, the
``--employee`` filter and the dashboard's per-employee breakdown are the same sums.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storage.db.models import Employee, PipelineStage
from storage.records.lookups import find_employee
from storage.reporting import pipeline_sql as q
from storage.reporting.pipeline_basis import Period, Stages
from storage.stages import normal_kind


@dataclass
class Counts:
    """The docs/reports.md#pipeline numbers for one employee (or, summed, for everyone)."""

    customers_in_pipeline: int = 0
    won: int = 0
    lost: int = 0
    closed: int = 0
    new_prospects: int = 0
    won_days: int = 0  # sum of (close − start) over the won cycles
    by_stage: dict[int, int] = field(default_factory=dict)  # stage id → customers
    stage_days: dict[int, int] = field(default_factory=dict)  # stage id → sum of days in stage

    def add(self, other: Counts) -> None:
        for name in ("customers_in_pipeline", "won", "lost", "closed", "new_prospects", "won_days"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for stage_id, n in other.by_stage.items():
            self.by_stage[stage_id] = self.by_stage.get(stage_id, 0) + n
        for stage_id, n in other.stage_days.items():
            self.stage_days[stage_id] = self.stage_days.get(stage_id, 0) + n

    def avg_days_in_stage(self, stage_id: int) -> float | None:
        """Mean days in stage of the customers at ``stage_id`` (docs/reports.md#pipeline); None when none."""
        customers = self.by_stage.get(stage_id, 0)
        return round(self.stage_days.get(stage_id, 0) / customers, 1) if customers else None

    @property
    def win_rate(self) -> float | None:
        decided = self.won + self.lost
        return round(100 * self.won / decided, 1) if decided else None

    @property
    def avg_days_to_close(self) -> float | None:
        return round(self.won_days / self.won, 1) if self.won else None


def pipeline_counts(period: Period, stages: Stages | None = None) -> dict[int, Counts]:
    """Every docs/reports.md#pipeline number per employee id (employees with nothing are left out).

    Read from the stored cycles (storage/db/cycle_store.py), which cover all dates. Customers
    with a pipeline conversation dated after D (rare) are taken out again and computed as
    of D by the same docs/reports.md#pipeline pass over just their conversations."""
    from storage.db import cycle_store

    stages = stages or Stages.load()
    cycle_store.ensure_fresh()
    params = period.params()
    kinds = {s.id: normal_kind(s.kind) for s in stages.rows}
    counts: dict[int, Counts] = {}

    def of(employee_id: int) -> Counts:
        return counts.setdefault(employee_id, Counts())

    for stage_id, employee_id, n, days in q.run(q.stored_in_pipeline([s.id for s in stages.open_stages]), **params):
        of(employee_id).customers_in_pipeline += n
        of(employee_id).by_stage[stage_id] = n
        of(employee_id).stage_days[stage_id] = int(days or 0)
    for stage_id, employee_id, n, total_days in q.run(q.stored_closes(stages.closing_ids), **params):
        kind = kinds[stage_id]
        setattr(of(employee_id), kind, getattr(of(employee_id), kind) + n)
        if kind == "won":
            of(employee_id).won_days += int(total_days or 0)
    for employee_id, n in q.run(q.STORED_NEW_PROSPECTS, **params):
        of(employee_id).new_prospects += n
    later = [row[0] for row in q.run(q.STORED_LATER_CUSTOMERS, **params)]
    for i in range(0, len(later), cycle_store.CHUNK):
        chunk = later[i : i + cycle_store.CHUNK]
        stored = cycle_store.stored_rows(chunk)
        _add_rows(of, period, stages, kinds, *stored, sign=-1)
        exact = cycle_store.compute(cycle_store.pipeline_rows(chunk, period.as_of), kinds)
        _add_rows(of, period, stages, kinds, *exact, sign=1)
    return {emp: c for emp, c in counts.items() if _has_numbers(c)}


def _add_rows(
    of, period: Period, stages: Stages, kinds: dict[int, str], cycles: list[tuple], customers: list[tuple], sign: int
) -> None:
    """Add (sign 1) or take away (sign -1) the numbers of cycle and customer rows as
    storage.db.cycle_store makes them."""
    from storage.db.cycle_store import as_date

    open_ids = {s.id for s in stages.open_stages}
    for _customer, _start, close, stage_id, employee_id, days in cycles:
        close = as_date(close) if close is not None else None
        if close is None or not (period.first <= close <= period.last):
            continue
        kind = kinds.get(stage_id, "open")
        if kind == "open":
            continue
        counts = of(employee_id)
        setattr(counts, kind, getattr(counts, kind) + sign)
        if kind == "won":
            counts.won_days += sign * days
    for _customer, first_date, first_employee, _latest_date, stage_id, employee_id, since in customers:
        if stage_id in open_ids:
            counts = of(employee_id)
            counts.customers_in_pipeline += sign
            counts.by_stage[stage_id] = counts.by_stage.get(stage_id, 0) + sign
            days = (period.as_of - as_date(since)).days
            counts.stage_days[stage_id] = counts.stage_days.get(stage_id, 0) + sign * days
        if period.month_start <= as_date(first_date) <= period.as_of:
            of(first_employee).new_prospects += sign


def _has_numbers(counts: Counts) -> bool:
    for stage_id in [s for s, n in counts.by_stage.items() if not n]:
        del counts.by_stage[stage_id]
        counts.stage_days.pop(stage_id, None)
    return any(
        (
            counts.customers_in_pipeline,
            counts.won,
            counts.lost,
            counts.closed,
            counts.new_prospects,
            counts.won_days,
            counts.by_stage,
        )
    )


@dataclass
class PipelineReport:
    """The docs/reports.md#pipeline numbers for a period, per employee, with what it takes to print them."""

    period: Period
    stages: Stages
    by_employee: dict[int, Counts]  # employee id → counts
    logins: dict[int, str]  # employee id → login
    stalled: list = field(default_factory=list)  # storage.reporting.pipeline_stalled.Stalled, largest first

    def stalled_of(self, employee_id: int | None = None) -> list:
        return [s for s in self.stalled if employee_id is None or s.employee_id == employee_id]

    def totals(self, employee_id: int | None = None) -> Counts:
        """Everyone's numbers summed, or one employee's."""
        total = Counts()
        for emp_id, counts in self.by_employee.items():
            if employee_id is None or emp_id == employee_id:
                total.add(counts)
        return total

    def stage_rows(self, counts: Counts) -> list[tuple[PipelineStage, int]]:
        """Every active open stage in sort order (an inactive one only while it holds customers)."""
        return [
            (s, counts.by_stage.get(s.id, 0)) for s in self.stages.open_stages if s.active or counts.by_stage.get(s.id)
        ]

    def document(self, employee_id: int | None = None) -> dict:
        """The JSON document of ``rapport pipeline --json`` (README.md#command-line), keys in README.md#command-line order."""
        counts = self.totals(employee_id)
        return {
            "as_of": self.period.as_of.isoformat(),
            "from": self.period.date_from.isoformat() if self.period.date_from else None,
            "to": self.period.date_to.isoformat() if self.period.date_to else None,
            "customers_in_pipeline": counts.customers_in_pipeline,
            "won": counts.won,
            "lost": counts.lost,
            "closed": counts.closed,
            "win_rate": counts.win_rate,
            "new_prospects": counts.new_prospects,
            "avg_days_to_close": counts.avg_days_to_close,
            "by_stage": [
                {"stage": s.name, "customers": n, "avg_days_in_stage": counts.avg_days_in_stage(s.id)}
                for s, n in self.stage_rows(counts)
            ],
            "stalled": [s.as_json() for s in self.stalled_of(employee_id)],
        }

    def employee_rows(self) -> list[tuple[str, Counts]]:
        """(login, counts) for every employee with a number, by login."""
        rows = [(self.logins.get(emp_id, "?"), c) for emp_id, c in self.by_employee.items()]
        return sorted(rows, key=lambda row: row[0].lower())


def pipeline_report(period: Period) -> PipelineReport:
    from storage.reporting.pipeline_stalled import stalled_customers

    stages = Stages.load()
    by_employee = pipeline_counts(period, stages)
    logins = dict(
        Employee.select(Employee.id, Employee.login)
        .where(Employee.id.in_(list(by_employee) or [0]))
        .tuples()
        .iterator()
    )
    return PipelineReport(period, stages, by_employee, logins, stalled_customers(period, stages))


def pipeline_metrics(
    as_of: dt.date, date_from: dt.date | None = None, date_to: dt.date | None = None, employee: str | None = None
) -> dict:
    """The README.md#command-line JSON document as of ``as_of``, optionally for one employee's login."""
    employee_id = find_employee(employee).id if employee else None
    return pipeline_report(Period(as_of, date_from, date_to)).document(employee_id)


def chart_months(period: Period, most: int = 24) -> list[str]:
    """'YYYY-MM' months for the won/lost chart: the period's months (the last ``most``),
    or the twelve months up to D for all time."""
    last = period.last
    if period.date_from:
        first = period.date_from
    else:
        first = dt.date(last.year - 1 if last.month < 12 else last.year, last.month % 12 + 1, 1)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-most:]


def won_lost_by_month(
    period: Period, employee_id: int | None = None, stages: Stages | None = None
) -> list[tuple[str, int, int]]:
    """(month, won, lost) for each month of ``chart_months``, closes attributed as in docs/reports.md#pipeline."""
    stages = stages or Stages.load()
    months = chart_months(period)
    if not months:
        return []
    won_ids, lost_ids = stages.ids("won"), stages.ids("lost")
    month = q.month_of("w.date")
    extra = "AND w.employee_id = :employee_id" if employee_id else ""
    rows = q.run(
        f"""SELECT {month}, SUM(CASE WHEN w.pipeline_stage_id IN {q.id_list(won_ids)} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN w.pipeline_stage_id IN {q.id_list(lost_ids)} THEN 1 ELSE 0 END)
            FROM conversation w
            WHERE w.pipeline_stage_id IN {q.id_list(won_ids + lost_ids)} AND w.deleted_at IS NULL
              AND w.date >= :first AND w.date <= :last {extra}
            GROUP BY {month}""",
        first=max(period.first, dt.date.fromisoformat(months[0] + "-01")),
        last=period.last,
        employee_id=employee_id,
    )
    found = {m: (int(w or 0), int(lost or 0)) for m, w, lost in rows}
    return [(m, *found.get(m, (0, 0))) for m in months]
