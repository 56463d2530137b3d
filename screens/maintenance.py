"""Table maintenance (F6): the pick lists topics, methods and pipeline stages (docs/screens.md).

Three tabs, switched with 1, 2, 3. In a list: n new, e or enter edit, d delete (a value in
use cannot be deleted: the screen offers to deactivate it instead), a deactivate/reactivate,
and for stages k/j move the stage up/down in the order. Inactive values stay listed, marked
"inactive" in words and dimmed, so they read the same without colour.

The lists are a few dozen rows at most, so each is loaded whole; every read and write goes
through ``storage.records.lookups`` on tui.dbwork's database threads: the screen shows at once,
its rows follow, and a database that cannot answer is one line under the lists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane, Tabs

from storage.errors import DatabaseUnavailable, RapportError
from storage.records import lookups
from tui.dbwork import Awaited, describe, hold_keys_until_done, read_db, read_to_open, run_db
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from storage.db.models import Method, PipelineStage, Topic

KINDS = ("topic", "method", "stage")
TAB_TITLES = {"topic": "1 Topics", "method": "2 Methods", "stage": "3 Pipeline stages"}


def status_text(active: bool) -> Text:
    return Text("active") if active else Text("inactive", style="italic")


class MaintenanceScreen(StyledScreen, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    PALETTE_PREFIX = "Tables"
    BINDINGS = [
        Binding("n", "new", "New", id="tables.new", tooltip="New value in this list"),
        Binding("e", "edit", "Edit", id="tables.edit", tooltip="Edit the selected value"),
        Binding("enter", "edit", "Edit", id="tables.edit_enter", show=False),
        Binding(
            "d",
            "delete",
            "Delete",
            id="tables.delete",
            tooltip="Delete the selected value (or deactivate it when in use)",
        ),
        Binding(
            "a", "toggle_active", "On/off", id="tables.active", tooltip="Deactivate / reactivate the selected value"
        ),
        Binding("k", "move(-1)", "Up", id="tables.up", tooltip="Move the stage up"),
        Binding("j", "move(1)", "Down", id="tables.down", tooltip="Move the stage down"),
        Binding("1", "show_list('topic')", "List", key_display="1-3", id="tables.topics", tooltip="Show topics"),
        Binding("2", "show_list('method')", "Methods", show=False, id="tables.methods", tooltip="Show methods"),
        Binding("3", "show_list('stage')", "Stages", show=False, id="tables.stages", tooltip="Show pipeline stages"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Topic | Method | PipelineStage]] = {kind: {} for kind in KINDS}
        self._listed = False  # the lists have been filled once

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="lists"):
            for kind in KINDS:
                with TabPane(TAB_TITLES[kind], id=f"list-{kind}"):
                    yield RowTable(id=f"table-{kind}", zebra_stripes=False)
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Table maintenance"
        self.query_one(Tabs).can_focus = False
        for kind in KINDS:
            table = self.query_one(f"#table-{kind}", DataTable)
            if kind == "stage":
                table.add_columns("Order", "Name", "Kind", "Stalled after", "Status")
            else:
                table.add_columns("Name", "Status")

    @on(ScreenResume)
    def reload_all(self) -> None:
        """Coming back to the screen: show what other sessions may have changed (read on the
        database reader: switching to it stays quick). The first time, the keys typed meanwhile
        wait for the rows (F6 then e edits the first value)."""
        self.table().focus()
        held = None if self._listed else hold_keys_until_done(self)
        read_db(
            self,
            _all_values,
            done=lambda lists: self._show_all(lists, held),
            failed=lambda error: self._not_listed(error, held),
        )

    def _show_all(self, lists: dict[str, list], held: Awaited | None) -> None:
        self._listed = True
        for kind, rows in lists.items():
            self._fill(kind, rows)
        if held is not None:
            held.done()

    def _not_listed(self, error: RapportError, held: Awaited | None) -> None:
        self.say(not_listed(error))
        if held is not None:
            held.done()

    # -- the lists ------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("list-") or "topic"

    def table(self, kind: str | None = None) -> DataTable:
        return self.query_one(f"#table-{kind or self.kind}", DataTable)

    def reload(self, kind: str, select_id: int | None = None, then: Callable[[], object] | None = None) -> None:
        """Read one list again, then show it, keeping the cursor on ``select_id`` if given,
        else on the same line; ``then()`` after that."""

        def show(rows: list) -> None:
            self._fill(kind, rows, select_id)
            if then is not None:
                then()

        read_db(self, lookups.values, kind, include_inactive=True, done=show, failed=self._not_listed_again)

    def _not_listed_again(self, error: RapportError) -> None:
        self._not_listed(error, None)

    def _fill(self, kind: str, rows: list, select_id: int | None = None) -> None:
        table = self.table(kind)
        line = table.cursor_row
        table.clear()
        self.rows[kind] = {str(row.id): row for row in rows}
        for row in rows:
            name = Text(row.name, style="" if row.active else "dim")
            cells = [name, status_text(row.active)]
            if kind == "stage":
                stalled = f"{row.stalled_after_days} days" if row.stalled_after_days else "–"
                cells = [Text(str(row.sort_order)), name, Text(row.kind), Text(stalled), status_text(row.active)]
            table.add_row(*cells, key=str(row.id))
        if select_id is not None and str(select_id) in self.rows[kind]:
            line = table.get_row_index(str(select_id))
        if rows:
            table.move_cursor(row=max(0, min(line, len(rows) - 1)))

    def current(self):
        """The selected value of the visible list, or None when the list is empty."""
        table = self.table()
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows[self.kind].get(key)

    def say(self, message: str) -> None:
        self.query_one("#status", Static).update(message)

    def label(self, kind: str | None = None) -> str:
        return lookups.LABELS[kind or self.kind]

    # -- keys -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":
            return self.kind == "stage"
        return True

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        self.table().focus()
        self.say("")

    def action_show_list(self, kind: str) -> None:
        self.query_one(TabbedContent).active = f"list-{kind}"

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_new(self) -> None:
        from screens.value_form import ValueForm

        kind = self.kind
        self.app.push_screen(ValueForm(kind), lambda saved: self._saved(kind, saved, "added"))

    def action_edit(self) -> None:
        from screens.value_form import ValueForm

        kind, row = self.kind, self.current()
        if row is not None:
            self.app.push_screen(ValueForm(kind, row), lambda saved: self._saved(kind, saved, "saved"))

    def _saved(self, kind: str, saved_id: int | None, verb: str) -> None:
        if saved_id is None:
            return

        def shown() -> None:
            row = self.rows[kind].get(str(saved_id))
            if row is not None:
                self.say(f"{self.label(kind).capitalize()} {row.name} {verb}.")

        self.reload(kind, select_id=saved_id, then=shown)

    def action_toggle_active(self) -> None:
        kind, row = self.kind, self.current()
        if row is None:
            return
        self._set_active(kind, row, not row.active)

    def _set_active(self, kind: str, row, active: bool) -> None:
        run_db(
            self,
            lookups.set_active,
            kind,
            row.id,
            active,
            done=lambda _: self._active_set(kind, row, active),
            failed=self._not_changed,
        )

    def _not_changed(self, error: RapportError) -> None:
        self.say(describe(error, "Not changed", "Try again later."))

    def _active_set(self, kind: str, row, active: bool) -> None:
        what = self.label(kind).capitalize()
        if active:
            said = f"{what} {row.name} is active again: offered in pick lists."
        else:
            said = f"{what} {row.name} deactivated: no longer offered, kept on old conversations."
        self.reload(kind, select_id=row.id, then=lambda: self.say(said))

    def action_delete(self) -> None:
        kind, row = self.kind, self.current()
        if row is None:
            return
        # What uses it decides the question (read first; y typed meanwhile answers it).
        read_to_open(
            self,
            lookups.uses,
            kind,
            row.id,
            done=lambda used_by: self._ask_delete(kind, row, used_by),
            failed=self._not_changed,
        )

    def _ask_delete(self, kind: str, row, used_by: str) -> None:
        from screens.confirm import ConfirmScreen

        what = self.label(kind)
        if used_by and not row.active:
            self.say(
                f"{what.capitalize()} {row.name} is used by {used_by}: it cannot be deleted (it is already inactive)."
            )
            return
        if used_by:
            question = (
                f"{what.capitalize()} {row.name} is used by {used_by}, so it cannot be "
                "deleted.\n\nDeactivate it instead? It is then no longer offered in pick "
                "lists, and old conversations keep it."
            )
            self.app.push_screen(
                ConfirmScreen(question, yes="y / enter: deactivate", no="n / escape: keep it"),
                lambda yes: self._set_active(kind, row, False) if yes else None,
            )
            return
        question = f"Delete {what} {row.name}? Nothing uses it."
        self.app.push_screen(
            ConfirmScreen(question, yes="y / enter: delete", no="n / escape: keep it"),
            lambda yes: self._delete(kind, row) if yes else None,
        )

    def _delete(self, kind: str, row) -> None:
        # InUseError (someone used it in the meantime) is a RapportError: said in one line.
        run_db(
            self, lookups.delete_value, kind, row.id, done=lambda _: self._deleted(kind, row), failed=self._not_changed
        )

    def _deleted(self, kind: str, row) -> None:
        said = f"{self.label(kind).capitalize()} {row.name} deleted."
        self.reload(kind, then=lambda: self.say(said))

    def action_move(self, step: int) -> None:
        row = self.current()
        if self.kind != "stage" or row is None:
            return
        run_db(
            self,
            lookups.move_stage,
            row.id,
            step,
            done=lambda _: self.reload("stage", select_id=row.id),
            failed=self._not_changed,
        )


def _all_values() -> dict[str, list]:
    """The three lists, inactive values too (on the database reader: one job)."""
    return {kind: lookups.values(kind, include_inactive=True) for kind in KINDS}


def not_listed(error: RapportError) -> str:
    """The one line under the list when it could not be read."""
    if isinstance(error, DatabaseUnavailable):
        return describe(error, "Not listed", "Open the screen again to try again.")
    return f"Not listed: {error}"
