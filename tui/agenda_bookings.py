"""The Agenda's booking keys (docs/screens.md), a mixin of screens/agenda.py's AgendaScreen:
n new booking (for the highlighted follow-up's conversation, or the highlighted booking's
customer, on the day under the cursor) · e edit · m move (date, start, end) · c cancel ·
u undo the last move or cancel. Every storage call runs through tui.dbwork (a key that opens a
form from what it reads holds the keys typed meanwhile for that form: ``read_to_open``); after
each change the Agenda shows the booking's day with the cursor on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from storage.records import bookings
from storage.reporting.agenda import Entry
from storage.timezones import to_local
from tui.dbwork import read_db, read_to_open, run_action, run_db, tell

AGAIN = "Press home to try again."  # (home reads today's period again: screens.agenda)


@dataclass(frozen=True)
class _Undo:
    label: str  # "move", "cancel" or "sync" (the bookings a sync cancelled)
    booking_id: int
    day: dt.date  # where the booking was before
    start: dt.datetime | None = None  # before a move (UTC instants)
    end: dt.datetime | None = None
    more: tuple[int, ...] = ()  # further bookings a sync cancelled


class AgendaBookings:
    """Needs from the screen: ``current()``, ``_current_day()``, ``load(key)``, ``day``."""

    _undo: _Undo | None = None

    def _day_of(self, instant: dt.datetime) -> dt.date:
        return to_local(instant, self.app.ctx.timezone()).date()

    def _booking(self) -> Entry | None:
        entry = self.current()
        if entry is None or entry.kind != "booking":
            self.notify("No booking here: choose a booking line.", markup=False)
            return None
        return entry

    def _reload_on(self, key: str | None):
        def reload(result) -> None:
            if isinstance(result, int):  # a saved booking: show its day, the cursor on it

                def show(booking) -> None:
                    self.day = self._day_of(booking.start)
                    self.load(f"booking:{result}")

                read_db(self, bookings.get, result, done=show, failed=tell(self, "Agenda not shown", AGAIN))
            else:
                self.load(key)

        return reload

    def action_new(self) -> None:
        from screens.booking_form import open_booking_like
        from tui import calendar_actions

        entry = self.current()
        if entry is None:
            self.notify("Choose a follow-up or a booking: the new booking is for its customer.", markup=False)
            return
        if entry.kind == "follow-up":
            calendar_actions.create_booking(self, entry.conversation_id, self._reload_on(None))  # type: ignore[arg-type]  # self: the screen
            return
        open_booking_like(self, entry.id, self._current_day(), self._reload_on(entry.key))

    def action_edit(self) -> None:
        from screens.booking_form import open_booking_to_edit

        entry = self._booking()
        if entry is not None:
            open_booking_to_edit(self, entry.id, self._reload_on(entry.key))

    def action_move(self) -> None:
        from screens.booking_move import BookingMove

        entry = self._booking()
        if entry is None:
            return

        def ask(booking) -> None:
            def chosen(when) -> None:
                if when is not None:
                    undo = _Undo("move", entry.id, entry.day, booking.start, booking.end)
                    run_action(  # (a failure: "Not changed: …", one line)
                        self,
                        bookings.move,
                        entry.id,
                        *when,
                        busy="Moving…",
                        done=lambda _: self._changed(undo, self._day_of(when[0]), f"Moved: {entry.title}"),
                    )

            values = bookings.form_values(booking)
            self.app.push_screen(
                BookingMove(
                    f"Move {entry.title} ({entry.customer}) to",
                    {k: values[k] for k in ("date", "start", "end")},
                    booking.timezone,
                    self.app.ctx.today(),
                ),
                chosen,
            )

        read_to_open(self, bookings.get, entry.id, done=ask, failed=tell(self, "Not opened"))

    def _changed(self, undo: _Undo, day: dt.date, message: str) -> None:
        self._undo = undo
        self.day = day
        self.load(f"booking:{undo.booking_id}")
        self.notify(f"{message}. u undoes.", markup=False)

    def action_cancel_booking(self) -> None:
        entry = self._booking()
        if entry is None:
            return
        run_action(
            self,
            bookings.cancel,
            entry.id,
            busy="Cancelling…",
            done=lambda _: self._changed(_Undo("cancel", entry.id, entry.day), entry.day, f"Cancelled: {entry.title}"),
        )

    def action_undo(self) -> None:
        undo, self._undo = self._undo, None
        if undo is None:
            self.notify("Nothing to undo.", markup=False)
            return

        def undone(_) -> None:
            self.day = undo.day
            self.load(f"booking:{undo.booking_id}")
            self.notify(f"Undone: {undo.label}.", markup=False)

        def not_undone(error) -> None:
            self._undo = self._undo or undo  # u can be pressed again
            tell(self, "Not changed")(error)

        fn: Callable[..., object]
        args: tuple
        if undo.label in ("cancel", "sync"):
            fn, args = bookings.restore, (undo.booking_id, *undo.more)
        else:
            fn, args = bookings.move, (undo.booking_id, undo.start, undo.end)
        run_db(self, fn, *args, done=undone, failed=not_undone, busy="Undoing…")

    def offer_undo_of_sync(self, cancelled_ids: list[int]) -> None:
        """After a sync from this screen: ``u`` brings back the bookings it cancelled
        (deleted in the calendar)."""
        if cancelled_ids:
            self._undo = _Undo("sync", cancelled_ids[0], self.day, more=tuple(cancelled_ids[1:]))
            count = len(cancelled_ids)
            self.notify(
                f"The sync cancelled {count} booking{'s' if count > 1 else ''} deleted in the calendar. u undoes.",
                markup=False,
                timeout=10,
            )
