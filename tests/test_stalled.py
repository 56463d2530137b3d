"""Days in stage and stalled deals (docs/reports.md#pipeline): hand-made data per rule on both backends, the
same numbers on the dashboard, in its drill-down, in Table maintenance and on the customer's
Pipeline tab.

D = 2026-03-18. Stage limits: Proposal stalls after 10 days, Negotiation after 30.
- Anna's "Run": Proposal 02-01, Proposal 02-20, Proposal 03-01 → in stage since 02-01: 45 days
  (the whole unbroken run counts), stalled.
- "Broken": Proposal 01-01, Negotiation 02-01, Proposal 03-05 → since 03-05: 13 days, stalled
  (the earlier Proposal is not part of the run).
- "Fresh": Proposal 03-10 → 8 days, not stalled.
- Ben's "Nego": Negotiation 02-10 (with a note-only conversation 03-01 in between: only
  pipeline conversations count) → 36 days, stalled.
- "Later": Proposal 03-01, Won 03-25 (after D) → as of D at Proposal for 17 days, stalled.
- "Deleted": Proposal 01-01, Qualifying 03-15 deleted → Proposal since 01-01: 76 days; but
  Qualifying has no limit... its stage is Proposal, stalled.
- "Won": Proposal 01-01, Won 02-01 → out of the pipeline.
- "Early": Qualifying 01-01 (no limit) → 76 days, never stalled.
"""

from __future__ import annotations

import datetime as dt

from storage.db.models import PipelineStage, utcnow
from storage.records import lookups
from storage.reporting.pipeline import pipeline_metrics
from storage.reporting.pipeline_stalled import days_in_stage
from tests import factories as f
from tests.conftest import TODAY


def make_pipeline() -> None:
    lookups.update_value("stage", f.stage("Proposal").id, "Proposal", stalled_after="10")
    lookups.update_value("stage", f.stage("Negotiation").id, "Negotiation", stalled_after=30)

    def talk(name, *steps, who="anna"):
        cust = f.customer(name)
        for date, stage, *extra in steps:
            f.conversation(
                cust, date, stage_name=stage, employee_login=who, **({"deleted_at": utcnow()} if extra else {})
            )

    talk("Run", ("2026-02-01", "Proposal"), ("2026-02-20", "Proposal"), ("2026-03-01", "Proposal"))
    talk("Broken", ("2026-01-01", "Proposal"), ("2026-02-01", "Negotiation"), ("2026-03-05", "Proposal"))
    talk("Fresh", ("2026-03-10", "Proposal"))
    talk("Nego", ("2026-02-10", "Negotiation"), ("2026-03-01", None), who="ben")
    talk("Later", ("2026-03-01", "Proposal"), ("2026-03-25", "Won"))
    talk("Deleted", ("2026-01-01", "Proposal"), ("2026-03-15", "Qualifying", "deleted"))
    talk("Won", ("2026-01-01", "Proposal"), ("2026-02-01", "Won"))
    talk("Early", ("2026-01-01", "Qualifying"))


STALLED = [
    ("Deleted", "Proposal", 76),
    ("Run", "Proposal", 45),
    ("Nego", "Negotiation", 36),
    ("Later", "Proposal", 17),
    ("Broken", "Proposal", 13),
]


def test_stalled_and_average_days_in_stage(ctx):
    make_pipeline()
    doc = pipeline_metrics(TODAY)
    assert [(s["customer"], s["stage"], s["days_in_stage"]) for s in doc["stalled"]] == STALLED
    assert list(doc["stalled"][0]) == ["customer_number", "customer", "stage", "days_in_stage"]
    average = {row["stage"]: (row["customers"], row["avg_days_in_stage"]) for row in doc["by_stage"]}
    # Proposal: Run 45, Broken 13, Fresh 8, Later 17, Deleted 76 → 159 / 5
    assert average == {
        "Initial contact": (0, None),
        "Qualifying": (1, 76.0),
        "Lead validated": (0, None),
        "Proposal": (5, 31.8),
        "Negotiation": (1, 36.0),
    }
    ben = pipeline_metrics(TODAY, employee="ben")
    assert [s["customer"] for s in ben["stalled"]] == ["Nego"]
    # A day earlier everyone has one day less (Fresh's 7 days and Broken's 12 still count).
    earlier = pipeline_metrics(TODAY - dt.timedelta(days=3))
    assert [(s["customer"], s["days_in_stage"]) for s in earlier["stalled"]] == [
        ("Deleted", 73),
        ("Run", 42),
        ("Nego", 33),
        ("Later", 14),
    ]  # Broken: 10, not > 10


def test_clearing_a_limit_and_the_customer_view(ctx):
    make_pipeline()
    lookups.update_value("stage", f.stage("Proposal").id, "Proposal", stalled_after="")
    assert PipelineStage.get(PipelineStage.name == "Proposal").stalled_after_days is None
    assert [s["customer"] for s in pipeline_metrics(TODAY)["stalled"]] == ["Nego"]
    run = f.customer("Run2")
    f.conversation(run, "2026-02-01", stage_name="Proposal")
    f.conversation(run, "2026-03-01", stage_name="Proposal")
    assert days_in_stage(run.id, TODAY) == ("Proposal", 45)
    f.conversation(run, "2026-03-10", stage_name="Won")
    assert days_in_stage(run.id, TODAY) is None


async def test_dashboard_tile_drill_down_and_funnel_agree_with_the_json(app):
    from screens.pipeline_customers import PipelineCustomers
    from tests.test_pipeline_screen import open_dashboard, tile_values
    from tui.widgets.paged_table import PagedTable

    make_pipeline()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        doc = pipeline_metrics(TODAY)
        assert tile_values(app)["stalled"] == str(len(doc["stalled"])) == "5"
        funnel = str(app.screen.query_one("#pipeline-funnel").render())
        assert "31.8d" in funnel and "36.0d" in funnel and "76.0d" in funnel
        await pilot.press("8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PipelineCustomers)
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(PagedTable)
        text = "\n".join("".join(s.text for s in table.render_line(y)) for y in range(8))
        for name, stage, days in STALLED:
            assert name in text and f"{stage}, {days} days" in text  # (the column cuts the rest)


async def test_maintenance_sets_stalled_after_and_pipeline_tab_shows_days(app):
    from tests.tui_helpers import screen_text

    make_pipeline()
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.value_form import ValueForm

        qualifying = f.stage("Qualifying")
        app.push_screen(ValueForm("stage", qualifying))
        await pilot.pause()
        app.screen.query_one("#field-stalled").focus()
        await pilot.press(*"60", "ctrl+s")
        await pilot.pause()
        assert PipelineStage.get_by_id(qualifying.id).stalled_after_days == 60
        assert [s["customer"] for s in pipeline_metrics(TODAY)["stalled"]][:2] == ["Deleted", "Early"]

        app.push_screen(ValueForm("stage", qualifying))
        await pilot.pause()
        app.screen.query_one("#field-stalled").focus()
        await pilot.press("ctrl+u", *"soon", "ctrl+s")
        await pilot.pause()
        assert "a number of days" in screen_text(app)
        assert PipelineStage.get_by_id(qualifying.id).stalled_after_days == 60
        await pilot.press("escape")
        await pilot.pause()
        if "Discard" in screen_text(app) or "discard" in screen_text(app):
            await pilot.press("y")
            await pilot.pause()

        from screens.customer_form import CustomerForm
        from storage.db.models import Customer

        app.push_screen(CustomerForm(Customer.get(Customer.name == "Run").id, tab="tab-pipeline"))
        await pilot.pause()
        await pilot.pause()
        assert "at Proposal for 45 days" in screen_text(app)
