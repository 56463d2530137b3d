"""MetricTile: one pipeline number with its name, formula and period (docs/screens.md Pipeline).

A tile takes focus (tab, or the arrow keys, which move to the neighbouring tile in the
grid); enter posts ``MetricTile.Selected`` so the screen can list the customers behind the
number. ``TILES`` says, for every docs/reports.md#pipeline metric, how its tile reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget


@dataclass(frozen=True)
class TileSpec:
    metric: str  # the key of the README.md#command-line document
    title: str
    formula: str  # at most 17 characters: a tile is 19 columns wide at 80x24
    period: str  # "close" (the period), "now" (as of D) or "month" (the month of D)


TILES = [
    TileSpec("customers_in_pipeline", "In pipeline", "latest stage open", "now"),
    TileSpec("won", "Won", "cycles won", "close"),
    TileSpec("lost", "Lost", "cycles lost", "close"),
    TileSpec("closed", "Closed", "neither won/lost", "close"),
    TileSpec("win_rate", "Win rate", "won/(won+lost) %", "close"),
    TileSpec("avg_days_to_close", "Avg days to close", "mean(close−start)", "close"),
    TileSpec("new_prospects", "New prospects", "1st pipeline talk", "month"),
    TileSpec("stalled", "Stalled", "days in stage > N", "now"),  # the length of the list
]
COLUMNS = 4  # tiles per row; the arrow keys move by this much up and down


def show_value(value) -> str:
    """A number as the tile shows it: rates and averages with one decimal, '–' for null."""
    if value is None:
        return "–"
    if isinstance(value, list):  # e.g. "stalled": the customers; the tile shows how many
        return str(len(value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class MetricTile(Widget, can_focus=True):
    BINDINGS = [
        Binding(
            "enter", "select", "Customers", id="pipeline_tile.select", tooltip="List the customers behind this number"
        ),
        Binding("left", "move(-1)", "Tile to the left", id="pipeline_tile.left", show=False),
        Binding("right", "move(1)", "Tile to the right", id="pipeline_tile.right", show=False),
        Binding("up", "move(-4)", "Tile above", id="pipeline_tile.up", show=False),
        Binding("down", "move(4)", "Tile below", id="pipeline_tile.down", show=False),
    ]

    @dataclass
    class Selected(Message):
        tile: MetricTile

        @property
        def control(self) -> MetricTile:
            return self.tile

    def __init__(self, spec: TileSpec, index: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.index = index
        self.value = "…"
        self.period = ""

    def show(self, value, period: str) -> None:
        self.value = show_value(value)
        self.period = period
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.spec.title + "\n", style="bold")
        text.append(self.value + "\n", style="bold reverse" if self.has_focus else "bold")
        text.append(self.spec.formula + "\n")
        text.append(self.period, style="dim")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_select(self) -> None:
        self.post_message(self.Selected(self))

    def action_move(self, step: int) -> None:
        tiles = list(self.screen.query(MetricTile))
        target = self.index + step
        if 0 <= target < len(tiles):
            tiles[target].focus()
        elif step > 0 and abs(step) > 1:
            self.screen.focus_next()  # down from the last row: on to the breakdown
