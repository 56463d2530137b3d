"""The SQL behind the pipeline metrics (docs/reports.md#pipeline), written once for SQLite and PostgreSQL.

The report's numbers (``pipeline_counts``) now come from the stored cycles of
storage/db/cycle_store.py (the ``stored_*`` queries at the end). The per-conversation queries
below remain the exact "as of D" definition behind the drill-down lists
(storage/reporting/pipeline_customers.py).

Why SQL and not a pass in Python: a million conversations hold about 200,000 pipeline
conversations, and merely fetching them into Python takes longer than the 50 ms of docs/performance.md.
So every query here touches only what its number needs, through two covering partial
indexes over live pipeline conversations (storage/db/migrations.py):

- ``conversation_pipeline_live`` (customer, date, time, id, stage, employee): a customer's
  pipeline conversations in conversation order, for "latest" and "previous close" probes;
- ``conversation_stage_date`` (stage, date, customer, time, employee): the conversations
  at given stages in a date range (closes in a period, prospects of a month).

Conversation order is date, time begin with a missing time FIRST, then id (docs/data.md). SQLite
sorts NULL first in ascending order and PostgreSQL last, so every ORDER BY says
``NULLS FIRST``/``NULLS LAST`` explicitly and both backends agree.

A cycle ends at each conversation whose stage kind is not ``open``; the next cycle starts
at the conversation right after it. So a closing conversation ``w`` started its cycle at
the first pipeline conversation after ``p``, the previous closing conversation of the same
customer (or at the customer's first pipeline conversation when there is none):
``closing_cycles`` finds that date with a few index probes per closing conversation.
Those probes need no "≤ D" bound: everything between ``p`` and ``w`` is before ``w``.

Queries use ``:name`` placeholders; ``run`` turns them into the driver's style. Stage id
lists are integers read from our own stage table, inlined with ``id_list``.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

from storage.db.dialect import days_between, is_sqlite
from storage.db.models import db

_NAME = re.compile(r":([a-z_]+)")


def run(sql: str, **params) -> list[tuple]:
    """Execute ``sql`` with ``:name`` placeholders; dates are passed as ISO strings."""
    args: list = []

    def placeholder(match: re.Match) -> str:
        value = params[match.group(1)]
        args.append(value.isoformat() if isinstance(value, dt.date) else value)
        return db.param

    return list(db.execute_sql(_NAME.sub(placeholder, sql), args).fetchall())


@contextmanager
def planner_hints():
    """On PostgreSQL, steer a query onto the index that already has its rows in order.

    The per-cycle probes: its estimates rate the plain customer index plus a sort cheaper
    than a backward scan of ``conversation_pipeline_live``, which is ten times slower in fact
    (measured: 0.078 against 0.008 ms a probe). One employee's open follow-ups
    (storage/reporting/reports.py and followups_json.py): it guesses 15,000 where there are 2,600 (it cannot know
    that most follow-ups are completed) and reads 65,000 rows of the table through
    ``conversation_employee_date`` (150 ms) instead of the partial index of open follow-ups,
    in follow-up order (5-15 ms). And JIT compiling adds 20 ms to every report. The settings
    last until the end of this transaction, or of this block inside a longer one (a save that
    reads the saved row back). SQLite needs nothing.
    """

    if is_sqlite():
        yield
        return
    nested = db.in_transaction()
    with db.atomic():
        db.execute_sql("SET LOCAL enable_sort = off")
        db.execute_sql("SET LOCAL jit = off")
        yield
        if nested:  # (a savepoint's SET LOCAL outlives it)
            db.execute_sql("RESET enable_sort")
            db.execute_sql("RESET jit")


def id_list(ids) -> str:
    """An SQL list of integer ids; ``(NULL)`` (matches nothing) when empty."""
    return "(" + (",".join(str(int(i)) for i in ids) or "NULL") + ")"


def month_of(column: str) -> str:
    """'YYYY-MM' of a date expression."""

    return f"substr({column}, 1, 7)" if is_sqlite() else f"to_char({column}, 'YYYY-MM')"


def live(alias: str, dated: bool = True) -> str:
    """A pipeline conversation that counts as of :as_of (docs/reports.md#pipeline): has a stage, not deleted, dated ≤ D.
    ``dated=False`` leaves out the date bound where a tighter one is given (it would tempt
    SQLite to range over the wrong bound)."""
    condition = f"{alias}.pipeline_stage_id IS NOT NULL AND {alias}.deleted_at IS NULL"
    return condition + (f" AND {alias}.date <= :as_of" if dated else "")


ORDER_DESC = "x.date DESC, x.time_begin DESC NULLS LAST, x.id DESC"
ORDER_ASC = "x.date, x.time_begin NULLS FIRST, x.id"


def latest(column: str, customer: str = "c.id") -> str:
    """``column`` of a customer's latest live pipeline conversation."""
    return (
        f"(SELECT x.{column} FROM conversation x WHERE x.customer_id = {customer} AND {live('x')} "
        f"ORDER BY {ORDER_DESC} LIMIT 1)"
    )


def first(column: str, customer: str) -> str:
    """``column`` of a customer's first live pipeline conversation."""
    return (
        f"(SELECT x.{column} FROM conversation x WHERE x.customer_id = {customer} AND {live('x')} "
        f"ORDER BY {ORDER_ASC} LIMIT 1)"
    )


def latest_rows(open_ids) -> str:
    """Customers whose latest pipeline conversation is at an open stage:
    (customer_id, stage_id, employee_id)."""
    return f"""
        WITH latest AS MATERIALIZED (
            SELECT c.id AS customer_id, {latest("pipeline_stage_id")} AS stage_id,
                   {latest("employee_id")} AS employee_id
            FROM customer c)
        SELECT customer_id, stage_id, employee_id FROM latest
        WHERE stage_id IN {id_list(open_ids)}"""


# x is before w in conversation order, for two conversations on the same date. (Below,
# ``+x.pipeline_stage_id`` keeps SQLite walking a customer's conversations backwards through
# conversation_pipeline_live instead of seeking every closing stage; to PostgreSQL it is a no-op.)
_BEFORE_SAME_DAY = """((x.time_begin IS NULL AND w.time_begin IS NOT NULL)
    OR x.time_begin < w.time_begin
    OR ((x.time_begin = w.time_begin OR (x.time_begin IS NULL AND w.time_begin IS NULL))
        AND x.id < w.id))"""


def closing_cycles(end_ids, closing_ids) -> str:
    """Cycles ended by a conversation at a stage in ``end_ids`` with close date in
    [:date_from, :date_to]: (customer_id, close_date, employee_id, stage_id, start_date).
    ``closing_ids`` are every stage whose kind is not open."""
    closing = id_list(closing_ids)
    return f"""
        WITH ends AS MATERIALIZED (
            SELECT w.customer_id, w.date, w.employee_id, w.pipeline_stage_id AS stage_id,
              (SELECT x.date FROM conversation x
               WHERE x.customer_id = w.customer_id AND x.date <= w.date
                 AND {live("x", dated=False)} AND +x.pipeline_stage_id IN {closing}
                 AND (x.date < w.date OR {_BEFORE_SAME_DAY})
               ORDER BY {ORDER_DESC} LIMIT 1) AS previous_close
            FROM conversation w
            WHERE w.pipeline_stage_id IN {id_list(end_ids)} AND w.deleted_at IS NULL
              AND w.date >= :date_from AND w.date <= :date_to),
        cycles AS MATERIALIZED (
            SELECT customer_id, date, employee_id, stage_id, CASE
              WHEN previous_close IS NULL THEN
                (SELECT MIN(x.date) FROM conversation x
                 WHERE x.customer_id = ends.customer_id AND {live("x", dated=False)})
              WHEN previous_close = ends.date THEN previous_close
              WHEN (SELECT x.pipeline_stage_id FROM conversation x
                    WHERE x.customer_id = ends.customer_id AND x.date = ends.previous_close
                      AND {live("x", dated=False)}
                    ORDER BY x.time_begin DESC NULLS LAST, x.id DESC LIMIT 1) IN {closing} THEN
                (SELECT MIN(x.date) FROM conversation x
                 WHERE x.customer_id = ends.customer_id AND x.date > ends.previous_close
                   AND {live("x", dated=False)})
              ELSE previous_close END AS start
            FROM ends)"""


def new_prospect_rows(all_ids) -> str:
    """Customers whose first live pipeline conversation is dated in [:month_start, :as_of]:
    (customer_id, first date, employee_id of the first)."""
    return f"""
        WITH month AS MATERIALIZED (
            SELECT DISTINCT w.customer_id FROM conversation w
            WHERE w.pipeline_stage_id IN {id_list(all_ids)} AND w.deleted_at IS NULL
              AND w.date >= :month_start AND w.date <= :as_of)
        SELECT m.customer_id, {first("date", "m.customer_id")} AS first_date,
               {first("employee_id", "m.customer_id")} AS employee_id
        FROM month m
        WHERE NOT EXISTS (SELECT 1 FROM conversation x
                          WHERE x.customer_id = m.customer_id AND {live("x")}
                            AND x.date < :month_start)"""


def closes_by_stage(closing_ids) -> str:
    """Closing conversations with close date in [:date_from, :date_to], counted per
    (stage_id, employee_id): each one ends exactly one cycle."""
    return f"""
        SELECT w.pipeline_stage_id, w.employee_id, COUNT(*) FROM conversation w
        WHERE w.pipeline_stage_id IN {id_list(closing_ids)} AND w.deleted_at IS NULL
          AND w.date >= :date_from AND w.date <= :date_to
        GROUP BY w.pipeline_stage_id, w.employee_id"""


# The stored cycles (storage/db/cycle_store.py). Customers with a pipeline conversation after D
# are counted here too; storage.reporting.pipeline takes them out again and adds their numbers as of D.
def as_of_date() -> str:
    """:as_of as a date expression (SQLite's dates are text already)."""
    from storage.db.database import is_sqlite

    return ":as_of" if is_sqlite() else "CAST(:as_of AS DATE)"


def stored_in_pipeline(open_ids) -> str:
    """(stage_id, employee_id, customers, sum of their days in stage) whose latest pipeline
    conversation is at an open stage."""
    return f"""
        SELECT latest_stage_id, latest_employee_id, COUNT(*),
               SUM({days_between(as_of_date(), "stage_since")}) FROM pipeline_customer
        WHERE latest_stage_id IN {id_list(open_ids)}
        GROUP BY latest_stage_id, latest_employee_id"""


def stored_stalled(open_ids) -> str:
    """(customer_id, number, name, stage_id, employee_id, days in stage) of the customers at an
    open stage with "stalled after N days" whose days in stage exceed N, leaving out those
    with a pipeline conversation after D (storage.reporting.pipeline_stalled computes them exactly)."""
    days = days_between(as_of_date(), "pc.stage_since")
    return f"""
        SELECT pc.customer_id, cu.number, cu.name, pc.latest_stage_id, pc.latest_employee_id,
               {days} AS days
        FROM pipeline_customer pc
        JOIN pipeline_stage s ON s.id = pc.latest_stage_id
        JOIN customer cu ON cu.id = pc.customer_id
        WHERE pc.latest_stage_id IN {id_list(open_ids)} AND s.stalled_after_days IS NOT NULL
          AND pc.latest_date <= :as_of AND {days} > s.stalled_after_days"""


def stored_closes(closing_ids) -> str:
    """(stage_id, employee_id, cycles, sum of days) of the cycles closed in [:date_from, :date_to]."""
    return f"""
        SELECT close_stage_id, employee_id, COUNT(*), SUM(days) FROM sale_cycle
        WHERE close >= :date_from AND close <= :date_to AND close_stage_id IN {id_list(closing_ids)}
        GROUP BY close_stage_id, employee_id"""


STORED_NEW_PROSPECTS = """
    SELECT first_employee_id, COUNT(*) FROM pipeline_customer
    WHERE first_date >= :month_start AND first_date <= :as_of
    GROUP BY first_employee_id"""

STORED_LATER_CUSTOMERS = "SELECT customer_id FROM pipeline_customer WHERE latest_date > :as_of"
