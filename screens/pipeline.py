"""Pipeline dashboard (F5): the docs/reports.md#pipeline metrics as tiles, the stage funnel, won/lost per month and
a per-employee breakdown (docs/screens.md).

Keys: arrows or tab move between tiles, enter lists the customers behind a tile's number
(and from there enter opens a customer), 1-8 do so for tile N directly; p steps through preset periods (all time, this
month, last month, this quarter, this year, the last 12 months), r asks for a range of close
dates, v chooses whose numbers (everyone or one employee). The numbers come from
``storage.reporting.pipeline``, the functions behind ``rapport pipeline --json``, computed on the
database reader (tui.dbwork: a million conversations take longer than a frame, and stale stored
cycles are written first, which may wait for another Rapport's lock); the screen only draws them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from storage.errors import RapportError
from storage.reporting.pipeline import PipelineReport, pipeline_report, won_lost_by_month
from storage.reporting.pipeline_basis import Period
from tui.dbwork import read_db, tell
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.pipeline_charts import FunnelChart, MonthChart
from tui.widgets.pipeline_tiles import TILES, MetricTile, show_value

if TYPE_CHECKING:
    from tui.app import RapportApp

PRESETS = ["all", "month", "last_month", "quarter", "year", "12_months"]
EVERYONE = None


def compute(period: Period, employee_id: int | None) -> tuple[PipelineReport, list, int | None]:
    """The dashboard's numbers (on the database reader)."""
    report = pipeline_report(period)
    return report, won_lost_by_month(period, employee_id, report.stages), employee_id


def preset_period(name: str, today: dt.date) -> Period:
    """A named period of close dates, as of ``today``."""
    first_of_month = today.replace(day=1)
    if name == "month":
        return Period(today, first_of_month, today)
    if name == "last_month":
        end = first_of_month - dt.timedelta(days=1)
        return Period(today, end.replace(day=1), end)
    if name == "quarter":
        return Period(today, dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if name == "year":
        return Period(today, dt.date(today.year, 1, 1), today)
    if name == "12_months":
        return Period(today, today - dt.timedelta(days=364), today)
    return Period(today)


def period_text(period: Period, kind: str) -> str:
    """The period line of a tile (at most 17 characters)."""
    if kind == "now":
        return f"as of {period.as_of}"
    if kind == "month":
        return f"in {period.as_of:%Y-%m}"
    if not period.date_from and not period.date_to:
        return "closed all time"
    last = period.last
    if not period.date_from:
        return f"start–{last}"
    first = period.date_from
    if first.year == last.year:  # 2026-01-01–03-18
        return f"{first}–{last:%m-%d}"
    if last == period.as_of:  # a period running to today, across new year
        return f"since {first}"
    return f"{first:%Y-%m}–{last:%Y-%m}"


class PipelineScreen(StyledScreen, Screen):
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Pipeline"
    PALETTE_PREFIX = "Pipeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "next_period", "Period", id="pipeline.period", tooltip="Next preset period"),
        Binding("r", "choose_range", "Range", id="pipeline.range", tooltip="Close dates from … to …"),
        Binding("v", "whose", "Whose", id="pipeline.whose", tooltip="Everyone or one employee"),
        Binding("pagedown", "scroll(1)", "Page down", id="pipeline.page_down", show=False),
        Binding("pageup", "scroll(-1)", "Page up", id="pipeline.page_up", show=False),
        # 1-8: the customers behind tile N at once (and by name in the palette)
        *(
            Binding(
                str(index + 1),
                f"drill({index})",
                f"{spec.title}: customers",
                id=f"pipeline.drill_{spec.metric}",
                show=False,
            )
            for index, spec in enumerate(TILES)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preset = "all"
        self.period: Period | None = None
        self.employee_id: int | None = EVERYONE
        self.employee_login = ""
        self.report: PipelineReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="pipeline-summary", markup=False)
        with VerticalScroll(id="pipeline-body"):
            with Grid(id="pipeline-tiles"):
                for index, spec in enumerate(TILES):
                    yield MetricTile(spec, index, id=f"tile-{spec.metric}")
                yield Static(
                    "arrows/tab: tile\nenter/1-8: list\np period r range\nv whose", id="pipeline-keys", markup=False
                )
            yield Static("Customers per open stage, average days in stage", classes="pipeline-heading", markup=False)
            yield FunnelChart(id="pipeline-funnel")
            yield Static("Won and lost per month", classes="pipeline-heading", markup=False)
            yield MonthChart(id="pipeline-months")
            yield Static("Per employee", id="pipeline-employees-heading", classes="pipeline-heading", markup=False)
            yield DataTable(cursor_type="row", id="pipeline-employees")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#pipeline-employees", DataTable)
        table.add_columns("Employee", "In pipe", "Won", "Lost", "Closed", "Win %", "New", "Avg days")
        self.query_one(MetricTile).focus()

    @on(ScreenResume)
    def _resumed(self) -> None:
        self.reload()

    # -- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Recompute for the chosen period (today may have changed), off the UI thread."""
        today = self.app.ctx.today()
        if self.period is None or self.preset != "custom" or self.period.as_of != today:
            if self.preset == "custom" and self.period is not None:
                self.period = Period(today, self.period.date_from, self.period.date_to)
            else:
                self.period = preset_period(self.preset, today)
        self.query_one("#pipeline-summary", Static).update(self._summary() + " · computing…")
        read_db(
            self,
            compute,
            self.period,
            self.employee_id,
            done=lambda result: self._show(*result),
            failed=self._failed,
            busy="Computing…",
        )

    def _failed(self, error: RapportError) -> None:  # e.g. the database went away
        self.query_one("#pipeline-summary", Static).update(self._summary() + " · not computed")
        tell(self, "Pipeline not computed", "Press p to try again.")(error)

    def _show(self, report: PipelineReport, months, employee_id: int | None) -> None:
        if report.period != self.period or employee_id != self.employee_id:
            return  # a newer computation is on its way
        self.report = report
        document = report.document(employee_id)
        for tile in self.query(MetricTile):
            tile.show(document[tile.spec.metric], period_text(report.period, tile.spec.period))
        self.query_one(FunnelChart).show(
            [(row["stage"], row["customers"], row["avg_days_in_stage"]) for row in document["by_stage"]]
        )
        self.query_one(MonthChart).show(months)
        self._show_employees(report)
        self.query_one("#pipeline-summary", Static).update(self._summary())

    def _show_employees(self, report: PipelineReport) -> None:
        table = self.query_one("#pipeline-employees", DataTable)
        table.clear()
        for login, c in report.employee_rows():
            table.add_row(
                Text(login),
                c.customers_in_pipeline,
                c.won,
                c.lost,
                c.closed,
                show_value(c.win_rate),
                c.new_prospects,
                show_value(c.avg_days_to_close),
            )
        total = report.totals()
        table.add_row(
            Text("all", style="bold"),
            total.customers_in_pipeline,
            total.won,
            total.lost,
            total.closed,
            show_value(total.win_rate),
            total.new_prospects,
            show_value(total.avg_days_to_close),
        )
        self.query_one("#pipeline-employees-heading", Static).update(
            f"Per employee ({period_text(report.period, 'close')})"
        )

    def _summary(self) -> str:
        period = self.period
        assert period is not None  # reload() chose it
        if period.date_from or period.date_to:
            closes = f"closed {period.date_from or 'start'} to {period.date_to or period.as_of}"
        else:
            closes = "closed any time"
        who = self.employee_login or "everyone"
        return f"As of {period.as_of} · {closes} · {who}"

    # -- actions --------------------------------------------------------------------------
    def action_next_period(self) -> None:
        index = PRESETS.index(self.preset) if self.preset in PRESETS else -1
        self.preset = PRESETS[(index + 1) % len(PRESETS)]
        self.period = None
        self.reload()

    def action_choose_range(self) -> None:
        from screens.date_prompt import DatePrompt

        today = self.app.ctx.today()

        def got_to(date_from: dt.date | None, date_to: dt.date | None) -> None:
            if date_to is None:
                return
            if date_from and date_from > date_to:
                self.notify(f"From {date_from} is after to {date_to}.", severity="error", markup=False)
                return
            self.preset = "custom"
            self.period = Period(today, date_from, date_to)
            self.reload()

        def got_from(date_from: dt.date | None) -> None:
            if date_from is None:
                return
            self.app.push_screen(
                DatePrompt("Closed to (YYYY-MM-DD)", initial=today, today=today),
                lambda date_to: got_to(date_from, date_to),
            )

        self.app.push_screen(
            DatePrompt(
                "Closed from (YYYY-MM-DD)",
                initial=self.period.first if self.period and self.period.date_from else today.replace(day=1),
                today=today,
            ),
            got_from,
        )

    def action_whose(self) -> None:
        from screens.employee_picker import EVERYONE as ALL
        from screens.employee_picker import ME
        from storage.records.lookups import employee_by_login

        me = self.app.ctx.employee().login

        def chosen(employee) -> None:
            self.employee_id = employee.id if employee else EVERYONE
            self.employee_login = employee.login if employee else ""
            self.reload()

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            login = me if choice == ME else None if choice == ALL else choice
            if login:
                read_db(self, employee_by_login, login, done=chosen, failed=tell(self, "Not changed"))
            else:
                chosen(None)

        current = ALL if self.employee_id is None else self.employee_login
        self.app.push_screen(PipelinePicker(current, me), picked)

    def action_scroll(self, pages: int) -> None:
        body = self.query_one("#pipeline-body", VerticalScroll)
        body.scroll_page_down() if pages > 0 else body.scroll_page_up()

    @on(MetricTile.Selected)
    def _tile_selected(self, event: MetricTile.Selected) -> None:
        self.action_drill(event.tile.index)

    def action_drill(self, index: int) -> None:
        """List the customers behind tile ``index`` (for the period and employee shown)."""
        tile = list(self.query(MetricTile))[index]
        tile.focus()
        if self.period is not None:
            self._drill_down(tile.spec.metric, tile.spec.title, self.period, self.employee_id)

    def _drill_down(self, metric: str, title: str, period: Period, employee_id: int | None) -> None:
        from storage.reporting.pipeline_customers import metric_customers

        def load():
            return metric_customers(metric, period, employee_id)

        read_db(
            self,
            load,
            done=lambda rows: self._push_customers(title, rows, load),
            failed=tell(self, "Customers not listed"),
            busy="Listing…",
        )  # the numbers stay

    def _push_customers(self, title: str, rows, load=None) -> None:
        from screens.pipeline_customers import PipelineCustomers

        if self.app.screen is not self:  # the user went elsewhere meanwhile (F3, escape…)
            return
        who = f" · {self.employee_login}" if self.employee_login else ""
        self.app.push_screen(PipelineCustomers(f"{title}{who}", rows, load))


def _picker_base():
    from screens.employee_picker import EmployeePicker

    return EmployeePicker


class PipelinePicker(_picker_base()):  # type: ignore[misc]  # a base imported late (import cycle)
    """The follow-ups' employee picker, asking whose pipeline to show."""

    def on_mount(self) -> None:  # (EmployeePicker's on_mount runs after it: Textual calls both)
        self.query_one("#employee-picker-title", Static).update("Show the pipeline of")
