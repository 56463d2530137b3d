"""ValueForm: add or edit one topic, method or pipeline stage (name; for a stage also its
sort order and kind). Saving goes through ``storage.lookups``, which validates."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select

from screens.record_form import RecordForm
from storage import lookups
from storage.models import STAGE_KINDS

KIND_HELP = {
    "open": "open (the sale goes on)",
    "won": "won",
    "lost": "lost",
    "closed": "closed (ends without winning or losing)",
}


class ValueForm(RecordForm):
    """``kind`` is "topic", "method" or "stage"; ``row`` the value to edit, or None for new."""

    def __init__(self, kind: str, row=None) -> None:
        label = lookups.LABELS[kind]
        title = f"Edit {label}: {row.name}" if row is not None else f"New {label}"
        super().__init__(title)
        self.kind = kind
        self.row = row

    def fields(self) -> ComposeResult:
        row = self.row
        yield from self.field("Name", Input(row.name if row else "", id="field-name"), "name")
        if self.kind == "stage":
            order = str(row.sort_order) if row else ""
            yield from self.field(
                "Order (smaller comes first; empty = last)",
                Input(order, id="field-order", placeholder="e.g. 35"),
                "order",
            )
            yield from self.field(
                "Kind",
                Select(
                    [(KIND_HELP[k], k) for k in STAGE_KINDS],
                    value=row.kind if row else "open",
                    allow_blank=False,
                    id="field-kind",
                ),
                "kind",
            )

    def values(self) -> dict:
        values = {"name": self.query_one("#field-name", Input).value}
        if self.kind == "stage":
            values["order"] = self.query_one("#field-order", Input).value
            values["kind"] = self.select_value(self.query_one("#field-kind", Select))
        return values

    def save(self, values: dict) -> int:
        stage = {}
        if self.kind == "stage":
            stage = {"sort_order": values["order"], "stage_kind": values["kind"]}
        if self.row is None:
            return lookups.add_value(self.kind, values["name"], **stage).id
        if self.kind == "stage" and not values["order"].strip():
            stage["sort_order"] = self.row.sort_order
        lookups.update_value(self.kind, self.row.id, values["name"], **stage)
        return self.row.id
