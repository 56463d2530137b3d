"""Stored sale cycles (docs/reports.md#pipeline), so the pipeline metrics read a small table (docs/performance.md: 50 ms).

Finding each cycle's start means walking every pipeline conversation in order; on a million
conversations that alone takes longer than the budget. So the cycles are kept in
``sale_cycle`` and each customer's first and latest pipeline conversation in
``pipeline_customer``, computed over ALL dates (not "as of D").

How they stay right: database triggers (``TRIGGERS``) put the customer of every inserted,
updated or deleted pipeline conversation into ``pipeline_dirty``, inside the writing
transaction, whoever writes (forms, CSV import, demo, bulk inserts, tests, raw SQL); a change
of a stage's kind, or a deleted stage, marks everyone (customer_id -1). ``ensure_fresh``,
called before every report, recomputes just those customers; ``refresh_customers`` does it
directly. On PostgreSQL the server does it, in two INSERT ... SELECT statements (window
functions: none of the demo's 300,000 pipeline conversations travels to Python and back); on
SQLite ``compute``, the docs/reports.md#pipeline pass in Python (``cycles_from_steps`` of
``storage.db.sale_cycles``), which the reports' "as of D" recounts use too and the tests hold
the SQL to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from storage.db import bulk
from storage.db.dialect import days_between, is_sqlite
from storage.db.models import PipelineCustomer, PipelineDirty, SaleCycle, db
from storage.db.sale_cycles import PipelineStep, cycles_from_steps
from storage.stages import normal_kind

ALL = -1
CHUNK = 500

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS conversation_pipeline_insert AFTER INSERT ON conversation
       WHEN NEW.pipeline_stage_id IS NOT NULL
       BEGIN INSERT OR IGNORE INTO pipeline_dirty (customer_id) VALUES (NEW.customer_id); END""",
    """CREATE TRIGGER IF NOT EXISTS conversation_pipeline_update AFTER UPDATE OF customer_id, date,
       time_begin, pipeline_stage_id, employee_id, deleted_at ON conversation
       WHEN OLD.pipeline_stage_id IS NOT NULL OR NEW.pipeline_stage_id IS NOT NULL
       BEGIN INSERT OR IGNORE INTO pipeline_dirty (customer_id) VALUES (OLD.customer_id);
             INSERT OR IGNORE INTO pipeline_dirty (customer_id) VALUES (NEW.customer_id); END""",
    """CREATE TRIGGER IF NOT EXISTS conversation_pipeline_delete AFTER DELETE ON conversation
       WHEN OLD.pipeline_stage_id IS NOT NULL
       BEGIN INSERT OR IGNORE INTO pipeline_dirty (customer_id) VALUES (OLD.customer_id); END""",
    """CREATE TRIGGER IF NOT EXISTS pipeline_stage_kind AFTER UPDATE ON pipeline_stage
       WHEN OLD.kind IS NOT NEW.kind
       BEGIN INSERT OR IGNORE INTO pipeline_dirty (customer_id) VALUES (-1); END""",
    """CREATE TRIGGER IF NOT EXISTS pipeline_stage_delete AFTER DELETE ON pipeline_stage
       BEGIN INSERT OR IGNORE INTO pipeline_dirty (customer_id) VALUES (-1); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION rapport_pipeline_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' THEN
           IF OLD.pipeline_stage_id IS NOT NULL OR (TG_OP = 'UPDATE' AND NEW.pipeline_stage_id IS NOT NULL) THEN
             INSERT INTO pipeline_dirty (customer_id) VALUES (OLD.customer_id) ON CONFLICT DO NOTHING;
           END IF;
         END IF;
         IF TG_OP <> 'DELETE' THEN
           IF NEW.pipeline_stage_id IS NOT NULL OR (TG_OP = 'UPDATE' AND OLD.pipeline_stage_id IS NOT NULL) THEN
             INSERT INTO pipeline_dirty (customer_id) VALUES (NEW.customer_id) ON CONFLICT DO NOTHING;
           END IF;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION rapport_pipeline_all_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         -- the kind is compared here, not in a WHEN clause: a column named in a trigger
         -- definition could no longer be altered (migrations.binary_text_order)
         IF TG_OP = 'DELETE' OR OLD.kind IS DISTINCT FROM NEW.kind THEN
           INSERT INTO pipeline_dirty (customer_id) VALUES (-1) ON CONFLICT DO NOTHING;
         END IF;
         RETURN NULL;
       END $$""",
    "DROP TRIGGER IF EXISTS conversation_pipeline ON conversation",
    """CREATE TRIGGER conversation_pipeline AFTER INSERT OR DELETE OR UPDATE OF customer_id, date,
       time_begin, pipeline_stage_id, employee_id, deleted_at ON conversation
       FOR EACH ROW EXECUTE FUNCTION rapport_pipeline_dirty()""",
    "DROP TRIGGER IF EXISTS pipeline_stage_kind ON pipeline_stage",
    """CREATE TRIGGER pipeline_stage_kind AFTER UPDATE ON pipeline_stage FOR EACH ROW
       EXECUTE FUNCTION rapport_pipeline_all_dirty()""",
    "DROP TRIGGER IF EXISTS pipeline_stage_delete ON pipeline_stage",
    """CREATE TRIGGER pipeline_stage_delete AFTER DELETE ON pipeline_stage FOR EACH ROW
       EXECUTE FUNCTION rapport_pipeline_all_dirty()""",
]


def create_triggers(database) -> None:

    for statement in SQLITE_TRIGGERS if is_sqlite(database) else POSTGRES_TRIGGERS:
        database.execute_sql(statement)


def as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _kinds() -> dict[int, str]:

    return {sid: normal_kind(kind) for sid, kind in db.execute_sql("SELECT id, kind FROM pipeline_stage").fetchall()}


def pipeline_rows(customer_ids: list[int] | None, as_of: dt.date | None = None) -> Iterator[tuple]:
    """(customer_id, date, stage_id, employee_id) of live pipeline conversations, by customer in
    conversation order; of the given customers only (or all), dated ≤ D when given."""
    where = "pipeline_stage_id IS NOT NULL AND deleted_at IS NULL"
    args: list = []
    if customer_ids is not None:
        where += f" AND customer_id IN ({','.join(str(int(c)) for c in customer_ids) or 'NULL'})"
    if as_of is not None:
        where += f" AND date <= {db.param}"
        args.append(as_of.isoformat())
    cursor = db.execute_sql(
        f"SELECT customer_id, date, pipeline_stage_id, employee_id FROM conversation WHERE {where} "
        "ORDER BY customer_id, date, time_begin NULLS FIRST, id",
        args,
    )
    yield from cursor


def compute(rows: Iterable[tuple], kinds: dict[int, str]) -> tuple[list[tuple], list[tuple]]:
    """Cycle rows (customer_id, start, close, close_stage_id, employee_id, days) and customer rows
    (customer_id, first_date, first_employee_id, latest_date, latest_stage_id, latest_employee_id,
    stage_since) from ``pipeline_rows``, using the docs/reports.md#pipeline pass of storage.db.sale_cycles."""
    cycles: list[tuple] = []
    customers: list[tuple] = []
    steps: list[PipelineStep] = []
    current = None

    def flush() -> None:
        if not steps:
            return
        for cycle in cycles_from_steps(steps):
            close_stage = cycle.stages[-1] if cycle.close else None
            days = (cycle.close - cycle.start).days if cycle.close else None
            cycles.append((current, cycle.start, cycle.close, close_stage, cycle.employee, days))
        first, last = steps[0], steps[-1]
        since = last.date
        for step in reversed(steps):  # the unbroken run at the latest stage
            if step.stage != last.stage:
                break
            since = step.date
        customers.append((current, first.date, first.employee, last.date, last.stage, last.employee, since))

    for customer_id, date, stage_id, employee_id in rows:
        if customer_id != current:
            flush()
            steps, current = [], customer_id
        # stage and employee carry ids here: cycles_from_steps only compares them
        steps.append(PipelineStep(as_date(date), stage_id, kinds.get(stage_id, "open"), employee_id))
    flush()
    return cycles, customers


# Every live pipeline conversation of the customers ``{where}`` picks, numbered in conversation order
# (n), with: ``ends`` 1 at a stage whose kind is not open, the ``cycle`` it belongs to (how many
# cycles ended before it), the ``run`` of same-stage conversations it is in (equal for one
# unbroken run at a stage) and whether it is the customer's ``latest``. The same cut into cycles
# as ``compute``/``cycles_from_steps``, done by the database in one pass (window functions,
# alike on both backends): tests/test_cycle_store.py holds the two equal.
_STEPS = """
    SELECT customer_id, date, stage_id, employee_id, ends, n,
           COALESCE(SUM(ends) OVER (PARTITION BY customer_id ORDER BY n
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cycle,
           n - ROW_NUMBER() OVER (PARTITION BY customer_id, stage_id ORDER BY n) AS run,
           CASE WHEN LEAD(n) OVER (PARTITION BY customer_id ORDER BY n) IS NULL THEN 1 ELSE 0 END AS latest
    FROM (SELECT customer_id, date, pipeline_stage_id AS stage_id, employee_id,
                 CASE WHEN pipeline_stage_id IN ({ends}) THEN 1 ELSE 0 END AS ends,
                 ROW_NUMBER() OVER (PARTITION BY customer_id
                                    ORDER BY date, time_begin NULLS FIRST, id) AS n
          FROM conversation
          WHERE pipeline_stage_id IS NOT NULL AND deleted_at IS NULL {where}) numbered"""

# A cycle is stored at its last conversation: the one that ends it, or the customer's latest.
_INSERT_CYCLES = """
    INSERT INTO sale_cycle (customer_id, start, close, close_stage_id, employee_id, days)
    SELECT customer_id, start, CASE WHEN ends = 1 THEN date END, CASE WHEN ends = 1 THEN stage_id END,
           employee_id, CASE WHEN ends = 1 THEN {days} END
    FROM (SELECT s.*, MIN(date) OVER (PARTITION BY customer_id, cycle) AS start FROM ({steps}) s) c
    WHERE ends = 1 OR latest = 1
    ORDER BY customer_id, n"""

_INSERT_CUSTOMERS = """
    INSERT INTO pipeline_customer (customer_id, first_date, first_employee_id, latest_date,
                                   latest_stage_id, latest_employee_id, stage_since)
    SELECT customer_id, first_date, first_employee_id, date, stage_id, employee_id, since
    FROM (SELECT s.*, FIRST_VALUE(date) OVER earliest AS first_date,
                 FIRST_VALUE(employee_id) OVER earliest AS first_employee_id,
                 MIN(date) OVER (PARTITION BY customer_id, stage_id, run) AS since
          FROM ({steps}) s WINDOW earliest AS (PARTITION BY customer_id ORDER BY n)) c
    WHERE latest = 1
    ORDER BY customer_id"""


def _recompute_sql(customer_ids: list[int] | None) -> None:
    """Write the cycle and customer rows of these customers (None: of everyone) from their
    conversations, by the database (PostgreSQL's way; tests run it on SQLite too)."""
    ends = ",".join(str(stage) for stage, kind in _kinds().items() if kind != "open") or "NULL"
    where = "" if customer_ids is None else f"AND customer_id IN ({','.join(str(int(c)) for c in customer_ids)})"
    steps = _STEPS.format(ends=ends, where=where)
    db.execute_sql(_INSERT_CYCLES.format(steps=steps, days=days_between("date", "start")))
    db.execute_sql(_INSERT_CUSTOMERS.format(steps=steps))


def _recompute(customer_ids: list[int] | None) -> None:
    """The same, on SQLite by the Python pass: in the same process its rows cost nothing to
    fetch, and it beats SQLite's window sorts (1.5 s against 8 s for the demo's 300,000)."""
    if not is_sqlite():
        _recompute_sql(customer_ids)
        return
    cycles, customers = compute(pipeline_rows(customer_ids), _kinds())
    bulk.insert_rows(
        SaleCycle,
        [
            SaleCycle.customer_id,
            SaleCycle.start,
            SaleCycle.close,
            SaleCycle.close_stage_id,
            SaleCycle.employee_id,
            SaleCycle.days,
        ],
        cycles,
    )
    bulk.insert_rows(
        PipelineCustomer,
        [
            PipelineCustomer.customer_id,
            PipelineCustomer.first_date,
            PipelineCustomer.first_employee_id,
            PipelineCustomer.latest_date,
            PipelineCustomer.latest_stage_id,
            PipelineCustomer.latest_employee_id,
            PipelineCustomer.stage_since,
        ],
        customers,
    )


def refresh_customers(customer_ids: Iterable[int] | None) -> None:
    """Recompute the stored cycles of these customers (None: of everyone) from their conversations."""
    with db.atomic():
        if customer_ids is None:
            SaleCycle.delete().execute()
            PipelineCustomer.delete().execute()
            _recompute(None)
            return
        ids = sorted(set(customer_ids))
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            SaleCycle.delete().where(SaleCycle.customer_id.in_(chunk)).execute()
            PipelineCustomer.delete().where(PipelineCustomer.customer_id.in_(chunk)).execute()
            _recompute(chunk)


def refresh_all() -> None:
    """Recompute every stored cycle and forget what was marked stale."""
    with db.atomic():
        refresh_customers(None)
        PipelineDirty.delete().execute()


def ensure_fresh() -> None:
    """Recompute the customers the triggers marked stale since the last report."""
    if not PipelineDirty.select().exists():
        return
    with db.atomic():
        taken = [row[0] for row in db.execute_sql("DELETE FROM pipeline_dirty RETURNING customer_id")]
        if ALL in taken:
            refresh_customers(None)
        elif taken:
            refresh_customers(taken)


def stored_rows(customer_ids: list[int]) -> tuple[list[tuple], list[tuple]]:
    """The stored cycle and customer rows of these customers, shaped as ``compute`` makes them."""
    ids = ",".join(str(int(c)) for c in customer_ids) or "NULL"
    cycles = db.execute_sql(
        "SELECT customer_id, start, close, close_stage_id, employee_id, days FROM sale_cycle "
        f"WHERE customer_id IN ({ids})"
    ).fetchall()
    customers = db.execute_sql(
        "SELECT customer_id, first_date, first_employee_id, latest_date, latest_stage_id, "
        f"latest_employee_id, stage_since FROM pipeline_customer WHERE customer_id IN ({ids})"
    ).fetchall()
    return cycles, customers
