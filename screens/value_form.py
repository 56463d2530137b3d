"""ValueForm: add or edit one topic, method or pipeline stage (name; for a stage also its
sort order, kind and "stalled after N days", docs/reports.md#pipeline). Saving goes through ``storage.records.lookups``, which validates. Its drafts
are kept under the form names "topic", "method" and "stage"; ``open_draft`` reopens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select

from screens.record_form import RecordForm
from storage.db.models import STAGE_KINDS
from storage.records import lookups
from tui.forms import open_drafted
from tui.widgets.draft_keeper import draft_opener

KIND_HELP = {
    "open": "open (the sale goes on)",
    "won": "won",
    "lost": "lost",
    "closed": "closed (ends without winning or losing)",
}


class ValueForm(RecordForm):
    """``kind`` is "topic", "method" or "stage"; ``row`` the value to edit, or None for new;
    ``initial`` the field values of a draft to start from."""

    def __init__(self, kind: str, row=None, initial: dict | None = None) -> None:
        label = lookups.LABELS[kind]
        title = f"Edit {label}: {row.name}" if row is not None else f"New {label}"
        super().__init__(title, initial)
        self.kind = kind
        self.row = row
        self.DRAFT_FORM = kind

    def draft_key(self) -> str:
        return str(self.row.id) if self.row is not None else ""

    def fields(self) -> ComposeResult:
        row = self.row
        name = self.start("name", row.name if row else "")
        yield from self.field("Name", Input(name, id="field-name"), "name")
        if self.kind == "stage":
            order = self.start("order", str(row.sort_order) if row else "")
            kind = self.start("kind", row.kind if row else "open")
            yield from self.field(
                "Order (smaller comes first; empty = last)",
                Input(order, id="field-order", placeholder="e.g. 35"),
                "order",
            )
            yield from self.field(
                "Kind",
                Select(
                    [(KIND_HELP[k], k) for k in STAGE_KINDS],
                    value=kind if kind in STAGE_KINDS else "open",
                    allow_blank=False,
                    id="field-kind",
                ),
                "kind",
            )
            stalled = self.start("stalled", str(row.stalled_after_days or "") if row else "")
            yield from self.field(
                "Stalled after N days in it (empty = never)",
                Input(stalled, id="field-stalled", placeholder="e.g. 30"),
                "stalled",
            )

    def values(self) -> dict:
        values = {"name": self.query_one("#field-name", Input).value}
        if self.kind == "stage":
            values["order"] = self.query_one("#field-order", Input).value
            values["kind"] = self.select_value(self.query_one("#field-kind", Select))
            values["stalled"] = self.query_one("#field-stalled", Input).value
        return values

    def save(self, values: dict) -> int:
        stage = {}
        if self.kind == "stage":
            stage = {
                "sort_order": values["order"],
                "stage_kind": values["kind"],
                "stalled_after": values.get("stalled", ""),
            }
        if self.row is None:
            return lookups.add_value(self.kind, values["name"], **stage).id
        if self.kind == "stage" and not values["order"].strip():
            stage["sort_order"] = self.row.sort_order
        lookups.update_value(self.kind, self.row.id, values["name"], **stage)
        return self.row.id


def _drafted_row(kind: str, key: str):
    """The value a draft edits (None: a new one, or deleted meanwhile)."""
    if not key:
        return None
    return next((r for r in lookups.values(kind) if str(r.id) == key), None)


@draft_opener("topic", "method", "stage")
def open_draft(app, draft) -> None:
    """Reopen a topic, method or stage form from a draft left by an earlier session (the value
    it edits is read on tui.dbwork's reader first)."""
    kind = draft.form

    def build(row) -> ValueForm:
        screen = ValueForm(kind, row, initial=draft.values)
        screen.mark_restored()
        return screen

    open_drafted(app, _drafted_row, kind, draft.key, build=build)
