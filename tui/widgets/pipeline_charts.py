"""Terminal bar charts for the pipeline dashboard: the stage funnel and won/lost per month.

Readable without colour (NO_COLOR, 16 colours): bars are drawn with different characters
(█ won, ░ lost) and every bar carries its number. Stage names are user data, so the charts
build ``rich.text.Text`` objects and never markup. The bars fit the widget's width.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.widgets.paged_table import visible_text

WON, LOST = "█", "░"


def _bar(value: int, most: int, width: int, char: str) -> str:
    if value <= 0 or most <= 0 or width <= 0:
        return ""
    return char * max(1, round(width * value / most))


def funnel_text(rows: list[tuple], width: int) -> Text:
    """One line per open stage: name, a bar as long as its share, the count and, when rows
    carry a third value, the average days in stage ("–" for none)."""
    text = Text()
    if not rows:
        return Text("No open stages.")
    label = min(18, max(len(visible_text(row[0])) for row in rows))
    number = max(len(str(row[1])) for row in rows)
    days = [("–" if row[2] is None else f"{row[2]:.1f}d") if len(row) > 2 else "" for row in rows]
    day_width = max(len(d) for d in days)
    room = max(4, width - label - number - 3 - (day_width + 2 if day_width else 0))
    most = max(row[1] for row in rows)
    for (name, n, *_), day in zip(rows, days, strict=True):
        name = visible_text(name)
        name = name if len(name) <= label else name[: label - 1] + "…"
        text.append(f"{name:<{label}} ")
        text.append(f"{_bar(n, most, room, WON):<{room}}")
        text.append(f" {n:>{number}}")
        if day_width:
            text.append(f"  {day:>{day_width}}", style="dim")
        text.append("\n")
    text.rstrip()
    return text


def months_text(rows: list[tuple[str, int, int]], width: int) -> Text:
    """One line per month: 'YYYY-MM', a won bar and count, a lost bar and count."""
    if not rows:
        return Text("No months in this period.")
    number = max(len(str(v)) for _, won, lost in rows for v in (won, lost))
    room = max(3, (width - 7 - 2 * (number + 2) - 2) // 2)
    most = max(max(won, lost) for _, won, lost in rows) or 1
    text = Text(f"{'':7} {WON} won{'':{max(0, room + number - 4)}}  {LOST} lost\n", style="dim")
    for month, won, lost in rows:
        text.append(f"{month} ")
        text.append(f"{_bar(won, most, room, WON):<{room}} {won:>{number}}  ")
        text.append(f"{_bar(lost, most, room, LOST):<{room}} {lost:>{number}}\n")
    text.rstrip()
    return text


class FunnelChart(Static):
    """Customers per open stage; ``show(rows)`` with (stage name, customers[, avg days in stage])."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.rows: list[tuple] = []

    def show(self, rows: list[tuple]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def render(self) -> Text:
        return funnel_text(self.rows, self.content_region.width or 76)


class MonthChart(Static):
    """Won and lost per month; ``show(rows)`` with (month, won, lost)."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.rows: list[tuple[str, int, int]] = []

    def show(self, rows: list[tuple[str, int, int]]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def render(self) -> Text:
        return months_text(self.rows, self.content_region.width or 76)
