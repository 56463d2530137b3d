"""CustomerCard: the General tab of a customer opened to look at, read only.

One widget draws every field (a grid of label and value; long notes wrap under their label), so
opening a customer costs a single widget instead of a dozen inputs. ``e`` on the form swaps the
card for the editable fields. User text is shown literally: no markup, control characters made
visible.

    yield CustomerCard(values, id="customer-card")   # values: number, name, phone, ... archived
    card.show(values)                                # after another session changed them
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.widgets.paged_table import visible_text

FIELDS = [
    ("number", "Number"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("notes", "Notes"),
]
HINT = "e edit · 2 contacts · 3 conversations · 4 pipeline · escape back"
# A card shows the start of a long address or note; all of it is in the editor (e). Drawing a
# whole 1 MB note here took seconds (Rich wraps every line of it), so the card stays quick.
PREVIEW_LINES = 200
PREVIEW_CHARS = 20_000


def preview(value: str) -> str:
    """The start of ``value`` (at most PREVIEW_LINES lines, PREVIEW_CHARS characters), each
    line made visible, and how much more there is."""
    head = value[:PREVIEW_CHARS]
    lines = head.splitlines()[:PREVIEW_LINES] or [""]
    shown = "\n".join(visible_text(line) for line in lines)
    rest = len(value) - len("\n".join(lines))
    if rest > 1:
        shown += f"\n… {rest:,} more characters (e shows all of it)"
    return shown


def card(values: dict) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=9, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for name, label in FIELDS:
        grid.add_row(Text(label, style="bold"), Text(preview(str(values.get(name) or ""))))
    cadence = values.get("cadence_days")
    grid.add_row(Text("Cadence", style="bold"), Text(f"stay in touch every {cadence} days" if cadence else "none"))
    grid.add_row(Text("Archived", style="bold"), Text("yes" if values.get("archived") else "no"))
    grid.add_row("", "")
    grid.add_row("", Text(HINT, style="dim"))
    return grid


class CustomerCard(VerticalScroll):
    """The fields of a customer, read only; scrolls (up/down when focused) when notes are long."""

    DEFAULT_CSS = """
    CustomerCard {
        height: 1fr;
        padding: 0 1;
        & > Static { height: auto; }
    }
    """

    def __init__(self, values: dict, **kwargs) -> None:
        super().__init__(Static(card(values)), **kwargs)

    def show(self, values: dict) -> None:
        self.query_one(Static).update(card(values))
