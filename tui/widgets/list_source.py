"""ListSource: a PagedTable source over a short list already in memory (a customer's contacts,
a customer's stage history) — for lists that are small by nature, never for whole tables."""

from __future__ import annotations

from collections.abc import Sequence

from tui.widgets.paged_table import Row


class ListSource:
    in_memory = True  # the table reads it at once, on the UI thread

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self.rows[offset : offset + limit]

    def index_of(self, row_id: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == row_id), None)
