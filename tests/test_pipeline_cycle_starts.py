"""Cycle starts found by SQL (storage/reporting/pipeline_sql.py) agree with the plain docs/reports.md#pipeline pass
(storage/db/sale_cycles.py): hand-made corner cases, then seeded random histories.
"""

from __future__ import annotations

import datetime as dt
import random

from storage.db.models import PipelineStage, utcnow
from storage.db.sale_cycles import customer_cycles, pipeline_steps
from storage.reporting.pipeline import pipeline_metrics
from storage.reporting.pipeline_basis import Period
from storage.reporting.pipeline_customers import metric_customers
from storage.stages import normal_kind
from tests import factories as f
from tests.conftest import TODAY

D = TODAY


def won_cycles(period):
    return sorted((row.name, row.date, row.detail) for row in metric_customers("won", period))


def test_cycle_after_a_close_on_the_same_day(ctx):
    # Golf: lost at 09:00, a new cycle starts 11:00 the same day, won 19 days later.
    golf = f.customer("Golf")
    f.conversation(golf, "2025-05-01", time_begin="09:00", stage_name="Lost")
    f.conversation(golf, "2025-05-01", time_begin="11:00", stage_name="Initial contact")
    f.conversation(golf, "2025-05-20", stage_name="Won")
    # Hotel: an open step earlier on the day of the close belongs to the closed cycle;
    # the next cycle starts two days later and is won after 10 days.
    hotel = f.customer("Hotel")
    f.conversation(hotel, "2025-04-01", time_begin="10:00", stage_name="Lost")
    f.conversation(hotel, "2025-04-01", stage_name="Qualifying")  # no time: before the close
    f.conversation(hotel, "2025-04-03", stage_name="Proposal")
    f.conversation(hotel, "2025-04-13", stage_name="Won")
    # India: won right after a lost on the same day (a cycle of one conversation),
    # same time, so the id decides.
    india = f.customer("India")
    f.conversation(india, "2025-02-01", stage_name="Proposal")
    f.conversation(india, "2025-02-03", time_begin="15:00", stage_name="Lost")
    f.conversation(india, "2025-02-03", time_begin="15:00", stage_name="Won")
    rows = won_cycles(Period(D))
    assert [(name, close) for name, close, _ in rows] == [
        ("Golf", f.d("2025-05-20")),
        ("Hotel", f.d("2025-04-13")),
        ("India", f.d("2025-02-03")),
    ]
    assert [detail.split(", ")[1] for _n, _c, detail in rows] == [
        "19 days from 2025-05-01",
        "10 days from 2025-04-03",
        "0 days from 2025-02-03",
    ]
    assert pipeline_metrics(D)["avg_days_to_close"] == round((19 + 10 + 0) / 3, 1)
    for customer in (golf, hotel, india):
        assert customer_cycles(customer.id, D)[-1].outcome == "won"


def reference(period: Period, customers) -> dict:
    """The docs/reports.md#pipeline numbers computed customer by customer with the plain pass."""
    won = lost = closed = prospects = won_days = in_pipeline = 0
    month = (period.as_of.year, period.as_of.month)
    for customer in customers:
        steps = pipeline_steps(customer.id, period.as_of)
        if not steps:
            continue
        if (steps[0].date.year, steps[0].date.month) == month:
            prospects += 1
        in_pipeline += steps[-1].kind == "open"
        for cycle in customer_cycles(customer.id, period.as_of):
            if cycle.close and period.first <= cycle.close <= period.last:
                won += cycle.outcome == "won"
                lost += cycle.outcome == "lost"
                closed += cycle.outcome == "closed"
                won_days += cycle.days(period.as_of) if cycle.outcome == "won" else 0
    return {
        "customers_in_pipeline": in_pipeline,
        "won": won,
        "lost": lost,
        "closed": closed,
        "new_prospects": prospects,
        "avg_days_to_close": round(won_days / won, 1) if won else None,
    }


def test_random_histories_agree_with_the_plain_pass(ctx):
    rnd = random.Random(5)
    stage_names = [s.name for s in PipelineStage.select()]
    kinds = {s.name: normal_kind(s.kind) for s in PipelineStage.select()}
    assert sorted(set(kinds.values())) == ["closed", "lost", "open", "won"]
    customers = [f.customer(f"R{i}") for i in range(25)]
    for customer in customers:
        day = dt.date(2025, 10, 1) + dt.timedelta(days=rnd.randrange(170))
        for _ in range(rnd.randrange(1, 14)):
            day += dt.timedelta(days=rnd.choice([0, 0, 1, 3, 9, 20]))
            f.conversation(
                customer,
                day,
                stage_name=rnd.choice(stage_names + [None, None]),
                time_begin=rnd.choice([None, "09:00", "09:00", "14:30"]),
                employee_login=rnd.choice(["anna", "ben"]),
                deleted_at=utcnow() if rnd.random() < 0.1 else None,
            )
    for period in (Period(D), Period(D, dt.date(2025, 12, 1), dt.date(2026, 1, 31)), Period(dt.date(2026, 1, 20))):
        doc = pipeline_metrics(period.as_of, period.date_from, period.date_to)
        assert {key: doc[key] for key in reference(period, customers)} == reference(period, customers)
