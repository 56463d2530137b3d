"""SaleCycles: one customer's sale cycles (docs/reports.md#pipeline) for the customer form's Pipeline tab.

Each cycle with its start, close, outcome, days (to the close, or to today while open) and
the stages it passed through, newest first, with a one-line summary above (and, while the
customer is in the pipeline, its days in the current stage, docs/reports.md#pipeline). The cycles come
from ``storage.db.sale_cycles.customer_cycles``, the same definition the dashboard counts with.
The list is re-read whenever the widget is shown again (e.g. after logging a conversation),
off the UI thread (tui.dbwork).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from storage.db.sale_cycles import Cycle, customer_cycles
from storage.reporting.pipeline_stalled import days_in_stage
from tui import dates
from tui.dbwork import read_db, tell
from tui.widgets.paged_table import Column, PagedTable, Row

if TYPE_CHECKING:
    from tui.app import RapportApp

COLUMNS = [
    Column("Start", 10),
    Column("Close", 10),
    Column("Outcome", 7),
    Column("Days", 5),
    Column("Stages passed through", 20, flex=True),
]


class CycleSource:
    """Paged-table rows over a customer's cycles, newest first (row id = cycle number)."""

    in_memory = True

    def __init__(self, cycles: list[Cycle], today) -> None:
        self.cycles = list(reversed(cycles))
        self.today = today

    def count(self) -> int:
        return len(self.cycles)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        rows = []
        for i, cycle in enumerate(self.cycles[offset : offset + limit]):
            number = len(self.cycles) - offset - i
            close = dates.show(cycle.close) if cycle.close else "open"
            rows.append(
                Row(
                    number,
                    (
                        dates.show(cycle.start),
                        close,
                        cycle.outcome,
                        str(cycle.days(self.today)),
                        " → ".join(cycle.stages),
                    ),
                    style="bold" if cycle.outcome == "open" else "",
                )
            )
        return rows

    def index_of(self, row_id: int) -> int | None:
        index = len(self.cycles) - row_id
        return index if 0 <= index < len(self.cycles) else None


def cycles_summary(cycles: list[Cycle]) -> str:
    if not cycles:
        return "No sale cycles yet: no conversation of this customer has a pipeline stage."
    outcomes = [c.outcome for c in cycles]
    parts = [f"{outcomes.count(kind)} {kind}" for kind in ("won", "lost", "closed", "open") if outcomes.count(kind)]
    plural = "s" if len(cycles) != 1 else ""
    return f"{len(cycles)} sale cycle{plural}: " + ", ".join(parts)


class SaleCycles(Vertical):
    app: RapportApp
    DEFAULT_CSS = """
    SaleCycles {
        height: auto;
        max-height: 9;
        border-bottom: solid $panel-lighten-2;
    }
    SaleCycles > #sale-cycles-summary {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    SaleCycles > PagedTable {
        height: auto;
        max-height: 7;
    }
    """

    def __init__(self, customer_id: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield Static("", id="sale-cycles-summary", markup=False)
        yield PagedTable(COLUMNS, empty_text="No sale cycles.", id="sale-cycles-table")

    def on_show(self) -> None:
        # Fetched when the Pipeline tab is opened, not with the customer form.
        self.reload()

    def reload(self) -> None:
        summary = self.query_one("#sale-cycles-summary", Static)
        if self.customer_id is None:
            summary.update("Sale cycles appear once the customer is saved.")
            return
        today = self.app.ctx.today()

        def read(customer_id: int) -> tuple[list[Cycle], tuple | None]:
            return customer_cycles(customer_id, today), days_in_stage(customer_id, today)

        def show(result: tuple[list[Cycle], tuple | None]) -> None:
            cycles, in_stage = result
            text = cycles_summary(cycles)
            if in_stage is not None:
                stage, days = in_stage
                text += f" · at {stage} for {days} day{'s' if days != 1 else ''}"
            summary.update(text)
            self.query_one(PagedTable).set_source(CycleSource(cycles, today))

        read_db(self, read, self.customer_id, done=show, failed=tell(self, "Sale cycles not shown"))
