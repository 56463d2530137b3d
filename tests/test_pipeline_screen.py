"""The pipeline dashboard (F5) at 80x24: the same numbers as ``storage.reporting.pipeline``, tile
drill-down, the period key, and charts that read without colour."""

from __future__ import annotations

import datetime as dt

from screens.pipeline import PipelineScreen
from screens.pipeline_customers import PipelineCustomers
from storage.reporting.pipeline import pipeline_metrics
from tests import factories as f
from tests.conftest import TODAY
from tests.tui_helpers import screen_text
from tui.widgets.pipeline_charts import funnel_text, months_text
from tui.widgets.pipeline_tiles import MetricTile, show_value


def make_shop():
    """Alpha won (ben) in 2025, Bravo won in March, Charly lost in March, Delta and
    "[bold]Echo[/]" (markup in a name stays text) in the pipeline."""
    a, b, c, d, e = (f.customer(n) for n in ("Alpha", "Bravo", "Charly", "Delta", "[bold]Echo[/]"))
    f.conversation(a, "2025-05-01", stage_name="Proposal")
    f.conversation(a, "2025-06-01", stage_name="Won", employee_login="ben")
    f.conversation(b, "2026-03-01", stage_name="Qualifying")
    f.conversation(b, "2026-03-11", stage_name="Won")
    f.conversation(c, "2026-03-02", stage_name="Lost")
    f.conversation(d, "2026-02-01", stage_name="Negotiation")
    f.conversation(e, "2026-03-03", stage_name="Negotiation", employee_login="ben")


async def open_dashboard(app, pilot):
    await pilot.press("f5")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, PipelineScreen)


def tile_values(app) -> dict[str, str]:
    return {tile.spec.metric: tile.value for tile in app.screen.query(MetricTile)}


async def test_dashboard_shows_the_numbers_of_rapport_pipeline(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        doc = pipeline_metrics(TODAY)
        assert (doc["won"], doc["lost"], doc["customers_in_pipeline"], doc["win_rate"]) == (2, 1, 2, 66.7)
        assert tile_values(app) == {key: show_value(doc[key]) for key in tile_values(app)}
        text = screen_text(app)
        assert "66.7" in text and "won/(won+lost) %" in text and "closed all time" in text
        assert "As of 2026-03-18" in text
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]Echo[/]" not in text  # names are not on the dashboard itself
        assert "Negotiation" in text or "2026-03" in text


async def test_tile_drill_down_lists_the_customers_behind_the_number(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        await pilot.press("right")  # In pipeline → Won
        assert app.focused.spec.metric == "won"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PipelineCustomers)
        text = screen_text(app)
        assert "Won · 2 rows" in text
        assert "Alpha" in text and "Bravo" in text and "Charly" not in text and "Delta" not in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("left", "enter")  # In pipeline: Delta and the markup name, literally
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Delta" in text and "[bold]Echo[/]" in text and "Alpha" not in text


async def test_period_key_and_employee_filter_recompute(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        await pilot.press("p")  # this month
        await app.workers.wait_for_complete()
        await pilot.pause()
        doc = pipeline_metrics(TODAY, dt.date(2026, 3, 1), TODAY)
        assert doc["won"] == 1 and tile_values(app)["won"] == "1"
        assert tile_values(app)["win_rate"] == "50.0"
        assert "2026-03-01–03-18" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down")  # me, everyone (the current choice), ben, tester
        await pilot.pause()
        ben_option = app.screen.query_one("OptionList").highlighted_option
        assert str(ben_option.prompt) == "ben"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        ben = pipeline_metrics(TODAY, dt.date(2026, 3, 1), TODAY, employee="ben")
        assert tile_values(app)["customers_in_pipeline"] == str(ben["customers_in_pipeline"]) == "1"
        assert "· ben" in screen_text(app)


def test_charts_read_without_colour():
    funnel = funnel_text([("Initial contact", 4), ("[b]Proposal", 2), ("Negotiation", 0)], 40).plain
    lines = funnel.splitlines()
    assert lines[0].startswith("Initial contact") and lines[0].endswith(" 4") and "████" in lines[0]
    assert "[b]Proposal" in lines[1] and abs(lines[1].count("█") * 2 - lines[0].count("█")) <= 1
    assert "█" not in lines[2] and lines[2].endswith(" 0")
    months = months_text([("2026-02", 3, 1), ("2026-03", 0, 2)], 60).plain.splitlines()
    assert "█ won" in months[0] and "░ lost" in months[0]
    assert months[1].startswith("2026-02") and "█" in months[1] and " 3 " in months[1]
    assert months[2].startswith("2026-03") and "█" not in months[2] and "░░" in months[2]


async def test_enter_on_a_listed_customer_opens_its_sale_cycles(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        await pilot.press("right", "enter")  # Won: Bravo (2026-03-11) first, then Alpha
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        from screens.customer_form import CustomerForm

        assert isinstance(app.screen, CustomerForm)
        text = screen_text(app)
        assert "1 sale cycle: 1 won" in text
        assert "2026-03-01 2026-03-11 won     10    Qualifying → Won" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PipelineCustomers)


async def test_a_failed_computation_is_reported_not_fatal(app, monkeypatch):
    import screens.pipeline
    from storage.errors import RapportError

    def broken(period):
        raise RapportError("database is locked")

    monkeypatch.setattr(screens.pipeline, "pipeline_report", broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        assert "not computed" in screen_text(app)


async def test_digit_keys_list_a_tile_directly(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        await pilot.press("3")  # Lost
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PipelineCustomers)
        text = screen_text(app)
        assert "Lost · 1 row" in text and "Charly" in text and "Alpha" not in text
