"""Pipeline metrics (docs/reports.md#pipeline) on hand-made data, on both backends. D = 2026-03-18.

The shop (``shop`` fixture), with the answers worked out by hand:

  Alpha  2025-01-10 Initial contact (anna), 2025-02-01 Proposal (anna), 2025-03-01 Won (ben)
           → cycle 1 won, 50 days, ben
         2025-06-01 Qualifying (anna), 2025-07-01 lost (anna; the stage renamed to lower case)
           → cycle 2 lost, anna
         2026-01-05 Initial contact (anna) → cycle 3 open: in pipeline, anna
         2026-02-01 a conversation without a stage (ignored)
  Bravo  2026-03-02 Won (anna) → won on its first conversation, 0 days; new prospect (anna)
  Charly 2025-11-01 Initial contact (ben), 2025-11-15 Not qualified (ben) → closed, ben
         2026-03-10 Qualifying (ben) → a new open cycle: in pipeline, ben
  Delta  2026-03-05 10:00 Won (anna, saved first), 2026-03-05 no time Proposal (ben)
           → the missing time sorts first: Proposal then Won: won, 0 days, anna;
             not in the pipeline; new prospect of ben (the first one)
  Echo   2026-03-01 Negotiation (anna) → in pipeline, new prospect (anna)
         2026-03-15 Lost, deleted; 2026-03-20 Won, after D (both ignored)
  Fox    2025-12-01 Initial contact (ben), 2026-01-10 "gewonnen" (kind "WON") → won, 40 days, ben

Totals: won 4 (Alpha 1, Bravo, Delta, Fox), lost 1, closed 1, win rate 80.0,
avg days (50 + 0 + 0 + 40) / 4 = 22.5, in pipeline 3 (Alpha, Charly, Echo),
new prospects 3 (Bravo, Delta, Echo).
"""

from __future__ import annotations

import datetime as dt

import pytest

from storage.db.models import Conversation, PipelineStage, utcnow
from storage.db.sale_cycles import customer_cycles
from storage.errors import RapportError
from storage.reporting.pipeline import pipeline_metrics, pipeline_report, won_lost_by_month
from storage.reporting.pipeline_basis import Period
from storage.reporting.pipeline_customers import metric_customers
from tests import factories as f
from tests.conftest import TODAY

D = TODAY


@pytest.fixture
def shop(ctx):
    PipelineStage.update(name="lost").where(PipelineStage.name == "Lost").execute()
    PipelineStage.create(name="gewonnen", kind="WON", sort_order=65)
    c = {name: f.customer(name) for name in ("Alpha", "Bravo", "Charly", "Delta", "Echo", "Fox")}

    def talk(name, date, stage=None, who="anna", **kw):
        return f.conversation(c[name], date, stage_name=stage, employee_login=who, **kw)

    talk("Alpha", "2025-01-10", "Initial contact")
    talk("Alpha", "2025-02-01", "Proposal")
    talk("Alpha", "2025-03-01", "Won", who="ben")
    talk("Alpha", "2025-06-01", "Qualifying")
    talk("Alpha", "2025-07-01", "lost")
    talk("Alpha", "2026-01-05", "Initial contact")
    talk("Alpha", "2026-02-01")
    talk("Bravo", "2026-03-02", "Won")
    talk("Charly", "2025-11-01", "Initial contact", who="ben")
    talk("Charly", "2025-11-15", "Not qualified", who="ben")
    talk("Charly", "2026-03-10", "Qualifying", who="ben")
    talk("Delta", "2026-03-05", "Won", time_begin="10:00")
    talk("Delta", "2026-03-05", "Proposal", who="ben")
    talk("Echo", "2026-03-01", "Negotiation")
    talk("Echo", "2026-03-15", "lost", deleted_at=utcnow())
    talk("Echo", "2026-03-20", "Won")
    talk("Fox", "2025-12-01", "Initial contact", who="ben")
    talk("Fox", "2026-01-10", "gewonnen", who="ben")
    return c


def stages(doc):
    return {row["stage"]: row["customers"] for row in doc["by_stage"]}


def test_all_time_totals(shop):
    doc = pipeline_metrics(D)
    assert doc == {
        "as_of": "2026-03-18",
        "from": None,
        "to": None,
        "customers_in_pipeline": 3,
        "won": 4,
        "lost": 1,
        "closed": 1,
        "win_rate": 80.0,
        "new_prospects": 3,
        "avg_days_to_close": 22.5,
        "by_stage": [
            # days in stage: Alpha since 2026-01-05, Charly since 03-10, Echo since 03-01 (its
            # won of 03-20 is after D, its lost of 03-15 deleted)
            {"stage": "Initial contact", "customers": 1, "avg_days_in_stage": 72.0},
            {"stage": "Qualifying", "customers": 1, "avg_days_in_stage": 8.0},
            {"stage": "Lead validated", "customers": 0, "avg_days_in_stage": None},
            {"stage": "Proposal", "customers": 0, "avg_days_in_stage": None},
            {"stage": "Negotiation", "customers": 1, "avg_days_in_stage": 17.0},
        ],
        "stalled": [],  # no stage has "stalled after N days"
    }


def test_employee_attribution(shop):
    anna = pipeline_metrics(D, employee="ANNA")  # logins match case-insensitively
    assert (anna["won"], anna["lost"], anna["closed"], anna["win_rate"]) == (2, 1, 0, 66.7)
    assert anna["avg_days_to_close"] == 0.0
    assert (anna["customers_in_pipeline"], anna["new_prospects"]) == (2, 2)
    assert stages(anna) == {"Initial contact": 1, "Qualifying": 0, "Lead validated": 0, "Proposal": 0, "Negotiation": 1}
    ben = pipeline_metrics(D, employee="ben")
    assert (ben["won"], ben["lost"], ben["closed"], ben["win_rate"]) == (2, 0, 1, 100.0)
    assert ben["avg_days_to_close"] == 45.0
    assert (ben["customers_in_pipeline"], ben["new_prospects"]) == (1, 1)
    assert stages(ben)["Qualifying"] == 1


def test_unknown_employee_is_a_user_error(shop):
    with pytest.raises(RapportError, match="nobody"):
        pipeline_metrics(D, employee="nobody")


def test_period_narrows_close_dates_only(shop):
    doc = pipeline_metrics(D, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (doc["from"], doc["to"]) == ("2026-01-01", "2026-03-31")
    assert (doc["won"], doc["lost"], doc["closed"], doc["win_rate"]) == (3, 0, 0, 100.0)
    assert doc["avg_days_to_close"] == 13.3  # (0 + 0 + 40) / 3
    assert (doc["customers_in_pipeline"], doc["new_prospects"]) == (3, 3)
    doc = pipeline_metrics(D, dt.date(2025, 6, 1), dt.date(2025, 12, 31))
    assert (doc["won"], doc["lost"], doc["closed"], doc["win_rate"]) == (0, 1, 1, 0.0)
    assert doc["avg_days_to_close"] is None


def test_nothing_closed_gives_null_rate_and_average(shop):
    doc = pipeline_metrics(D, dt.date(2025, 8, 1), dt.date(2025, 10, 31))
    assert (doc["won"], doc["lost"], doc["closed"]) == (0, 0, 0)
    assert doc["win_rate"] is None and doc["avg_days_to_close"] is None


def test_empty_database(ctx):
    doc = pipeline_metrics(D)
    assert doc["customers_in_pipeline"] == doc["won"] == doc["new_prospects"] == 0
    assert doc["win_rate"] is None and doc["avg_days_to_close"] is None
    assert [row["customers"] for row in doc["by_stage"]] == [0] * 5


def test_as_of_an_earlier_day_ignores_later_conversations(shop):
    doc = pipeline_metrics(dt.date(2025, 12, 31))
    # Alpha: won, lost (cycle 3 not yet); Charly in pipeline? no: closed 2025-11-15;
    # Fox in pipeline at Initial contact.
    assert (doc["won"], doc["lost"], doc["closed"]) == (1, 1, 1)
    assert doc["customers_in_pipeline"] == 1 and stages(doc)["Initial contact"] == 1
    assert doc["new_prospects"] == 1  # Fox, first pipeline conversation 2025-12-01


def test_several_cycles_of_one_customer(shop):
    cycles = customer_cycles(shop["Alpha"].id, D)
    assert [(c.start, c.close, c.outcome, c.days(D), c.employee) for c in cycles] == [
        (f.d("2025-01-10"), f.d("2025-03-01"), "won", 50, "ben"),
        (f.d("2025-06-01"), f.d("2025-07-01"), "lost", 30, "anna"),
        (f.d("2026-01-05"), None, "open", 72, "anna"),
    ]
    assert cycles[0].stages == ["Initial contact", "Proposal", "Won"]
    assert cycles[1].stages == ["Qualifying", "lost"]


def test_missing_time_sorts_first_on_the_same_day(shop):
    cycles = customer_cycles(shop["Delta"].id, D)
    assert [(c.outcome, c.stages, c.days(D)) for c in cycles] == [("won", ["Proposal", "Won"], 0)]
    names = {row.name for row in metric_customers("customers_in_pipeline", Period(D))}
    assert "Delta" not in names


def test_closed_and_won_on_first_conversation(shop):
    assert [(c.outcome, c.days(D)) for c in customer_cycles(shop["Charly"].id, D)] == [("closed", 14), ("open", 8)]
    assert [(c.start, c.close, c.outcome) for c in customer_cycles(shop["Bravo"].id, D)] == [
        (f.d("2026-03-02"), f.d("2026-03-02"), "won")
    ]


def test_drill_down_lists_the_customers_behind_each_number(shop):
    period = Period(D)

    def names(metric, **kw):
        return sorted(row.name for row in metric_customers(metric, period, **kw))

    assert names("customers_in_pipeline") == ["Alpha", "Charly", "Echo"]
    assert names("won") == ["Alpha", "Bravo", "Delta", "Fox"]
    assert names("lost") == ["Alpha"]
    assert names("closed") == ["Charly"]
    assert names("win_rate") == ["Alpha", "Alpha", "Bravo", "Delta", "Fox"]
    assert names("new_prospects") == ["Bravo", "Delta", "Echo"]
    qualifying = PipelineStage.get(PipelineStage.name == "Qualifying").id
    assert names("by_stage", stage_id=qualifying) == ["Charly"]
    ben = f.employee("ben").id
    assert names("won", employee_id=ben) == ["Alpha", "Fox"]
    assert names("new_prospects", employee_id=ben) == ["Delta"]
    fox = [row for row in metric_customers("avg_days_to_close", period) if row.name == "Fox"]
    assert fox[0].date == f.d("2026-01-10") and "40 days" in fox[0].detail


def test_per_employee_breakdown_sums_to_the_totals(shop):
    report = pipeline_report(Period(D))
    rows = dict(report.employee_rows())
    assert sorted(rows) == ["anna", "ben"]
    assert rows["anna"].won + rows["ben"].won == report.totals().won == 4
    assert rows["anna"].customers_in_pipeline + rows["ben"].customers_in_pipeline == 3


def test_won_lost_per_month(shop):
    months = won_lost_by_month(Period(D))
    assert [m for m, _w, _l in months][0] == "2025-04" and months[-1] == ("2026-03", 2, 0)
    assert dict((m, (w, lost)) for m, w, lost in months)["2025-07"] == (0, 1)
    assert dict((m, (w, lost)) for m, w, lost in months)["2026-01"] == (1, 0)
    assert won_lost_by_month(Period(D), employee_id=f.employee("ben").id)[-1] == ("2026-03", 0, 0)


def test_period_must_not_run_backwards():
    with pytest.raises(RapportError, match="after"):
        Period(D, dt.date(2026, 3, 1), dt.date(2026, 2, 1))


def test_deleted_and_restored_conversation_counts_again(shop):
    echo_lost = Conversation.get((Conversation.customer == shop["Echo"].id) & Conversation.deleted_at.is_null(False))
    Conversation.update(deleted_at=None).where(Conversation.id == echo_lost.id).execute()
    doc = pipeline_metrics(D)
    assert (doc["lost"], doc["customers_in_pipeline"]) == (2, 2)
