"""The Rapport Textual app: modes (one per main screen), global bindings, command palette.

Main screens are modes, so each keeps its own stack and state while the user hops between
them with F2..F8. Screens are imported lazily: the command line never loads them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

from tui import dbwork, heap, palette, settings

if TYPE_CHECKING:
    from storage.context import Context


def _holds_typing(screen: Screen) -> bool:
    unsaved = getattr(screen, "has_unsaved_changes", None)
    return bool(unsaved and unsaved())


def _customers():
    from screens.customers import CustomersScreen

    return CustomersScreen()


def _followups():
    from screens.followups import FollowupsScreen

    return FollowupsScreen()


def _statistics():
    from screens.statistics import StatisticsScreen

    return StatisticsScreen()


def _pipeline():
    from screens.pipeline import PipelineScreen

    return PipelineScreen()


def _maintenance():
    from screens.maintenance import MaintenanceScreen

    return MaintenanceScreen()


def _agenda():
    from screens.agenda import AgendaScreen

    return AgendaScreen()


def _employees():
    from screens.employees import EmployeesScreen

    return EmployeesScreen()


def _search():
    from screens.search import SearchScreen

    return SearchScreen()


def _customer_form():
    from screens.customer_form import CustomerForm

    return CustomerForm.spare()


def _conversation_form():
    from screens.conversation_form import ConversationForm

    return ConversationForm.spare()


def _contact_form():
    from screens.contact_form import ContactForm

    return ContactForm.spare()


def _booking_form():
    from screens.booking_form import BookingForm

    return BookingForm.spare()


def _no_delay(delay: float = 0.05) -> None:
    """(RapportApp.switch_mode)"""


def _spare_mode(kind: str) -> str:
    return f"_spare {kind}"


class RapportApp(App):
    """Keyboard-first CRM. Built from an already opened database and a Context (``ctx``)."""

    TITLE = "Rapport"
    # app.tcss holds theme-level rules. Each screen has screens/<name>.tcss, every rule nested
    # under its screen's type selector, loaded by the screen's own CSS_PATH when it is first
    # used, so start-up parses only what the first screen needs.
    CSS_PATH = "app.tcss"
    MODES = {
        "customers": _customers,
        "followups": _followups,
        "statistics": _statistics,
        "pipeline": _pipeline,
        "maintenance": _maintenance,
        "employees": _employees,
        "agenda": _agenda,
        "search": _search,
    }
    DEFAULT_MODE = "customers"
    NOTIFICATION_TIMEOUT = 3  # seconds; a toast is one line at the top (app.tcss)
    SCREENS_GROUP = Binding.Group("Screens", compact=False)
    BINDINGS = [
        Binding("f1", "help", "Keys", id="help", priority=True),
        Binding("ctrl+n", "quick_add", "Quick add", id="quick_add", priority=True),
        Binding("f2", "switch_mode('customers')", "Customers", id="customers", priority=True, group=SCREENS_GROUP),
        Binding("f3", "switch_mode('followups')", "Follow-ups", id="followups", priority=True, group=SCREENS_GROUP),
        Binding("f4", "switch_mode('statistics')", "Statistics", id="statistics", priority=True, group=SCREENS_GROUP),
        Binding("f5", "switch_mode('pipeline')", "Pipeline", id="pipeline", priority=True, group=SCREENS_GROUP),
        Binding("f6", "switch_mode('maintenance')", "Table maintenance", id="maintenance", priority=True, show=False),
        Binding("f7", "switch_mode('employees')", "Employees", id="employees", priority=True, show=False),
        Binding("f8", "switch_mode('agenda')", "Agenda", id="agenda", priority=True, show=False),
        Binding("f9", "switch_mode('search')", "Search", id="search", priority=True, show=False),
        # Quit is in F1 and the palette; the footer has no room for it at 80 columns.
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
    ]

    _saved_theme = ""  # the theme as config.toml has it (tui.settings)
    _theme_timer: Timer | None = None

    def __init__(self, ctx: Context, **kwargs) -> None:
        from tui import crash, terminal_safety

        terminal_safety.install()  # user text never reaches the terminal as control characters
        crash.install()  # an unexpected error writes a report, never a traceback (tui.crash)
        heap.starting()
        super().__init__(**kwargs)
        self.ctx = ctx
        self.crash_reports: list = []  # the reports written by this session (tui.crash)
        self._held: list[events.Key] | None = None  # keys held while a new screen opens
        self._awaiting: list = []  # the database work they wait for (``hold_keys_for``)
        self._unrendered = list(self.MODES)  # main screens to lay out while hidden, last
        for kind, factory in self.SPARES.items():
            self.add_mode(_spare_mode(kind), factory)
        settings.apply(self)  # theme, [keys] keymap, date format from config.toml

    def _handle_exception(self, error: Exception) -> None:
        """An error outside any handler (a timer, a worker): a report, one line, go on."""
        from tui import crash

        crash.report(self, error, "a timer or worker")

    # -- keys arrive in order, even in a burst ---------------------------------------------
    # Textual hands each key to the focused widget's own message queue and goes on with the
    # next key at once; a key the widget does not use comes back to the app later, behind the
    # keys that arrived with it. Keys that arrive together (a fast typist over SSH, a paste,
    # tmux send-keys) then all land where the focus was when they arrived: text typed after
    # tab ends up in the field before, a ctrl+s save runs before the last characters reached
    # the form. So the app finishes one key before it looks at the next: it waits until the
    # focused widget and its ancestors have handled it, and handles a key they passed back
    # (tab, escape, a screen's keys) right then.
    SETTLE_TIMEOUT = 0.5  # seconds; a widget busy for longer does not hold the keyboard up
    _passed_back: list[events.Key] | None = None

    #
    # A key that opens a screen, form, picker or prompt (or switches to another) is followed
    # by keys meant for it. Until that screen is mounted and has set its focus, later keys are
    # held here, then handed to it in order, however long it took to open (docs/screens.md#keyboard-and-ssh).
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()  # (tui.heap: long collector passes wait for rest)
        if not isinstance(event, events.Key) or event.is_forwarded or self._passed_back is not None:
            await super().on_event(event)
            return
        if self._held is not None:
            self._held.append(event)
            return
        await self._handle_key(event)

    async def _handle_key(self, event: events.Key) -> None:
        before = self._current_screen()
        await self._settle_input()
        self._passed_back = []
        try:
            await super().on_event(event)
            await self._settle_input()
        finally:
            passed_back, self._passed_back = self._passed_back, None
        for key in passed_back:
            await super().on_event(key)
        if self._current_screen() is not before and self._held is None:
            self._held = []
            self._release_task = asyncio.create_task(self._release_when_ready())

    def hold_keys_for(self, job) -> None:
        """A key whose screen opens once database work is done (``tui.dbwork.read_to_open``):
        hold the keys typed meanwhile for that screen (for the screen on top, if none opens).
        Keys held already (a key that waited for rows, whose result opens a form) wait for
        this job as well."""
        self._awaiting.append(job)
        if self._held is None:
            self._held = []
            self._release_task = asyncio.create_task(self._release_when_ready())

    async def _wait_for_jobs(self, deadline: float) -> None:
        while self._awaiting and time.monotonic() < deadline:
            job = self._awaiting[0]
            while not job.finished.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.002)
            await asyncio.sleep(0)  # the result is handed to the UI thread (tui.dbwork) ...
            await self._round_trip(job.node, deadline)  # ... and the screen it opens is pushed
            if self._awaiting and self._awaiting[0] is job:
                self._awaiting.pop(0)

    def _current_screen(self) -> Screen | None:
        try:
            return self.screen
        except Exception:  # no screen yet, or the app is closing
            return None

    OPEN_TIMEOUT = 30.0  # seconds; a screen that never opens does not hold the keys forever

    async def _release_when_ready(self) -> None:
        """Wait until the screen on top is mounted and has set its focus, then hand it the
        keys held meanwhile (through the app's queue, so they stay in order)."""
        deadline = time.monotonic() + self.OPEN_TIMEOUT
        try:
            while time.monotonic() < deadline:
                await self._wait_for_jobs(deadline)
                screen = self._current_screen()
                if screen is None:
                    break
                while not screen.is_mounted and time.monotonic() < deadline:
                    await asyncio.sleep(0.002)
                await self._round_trip(screen, deadline)  # its mount handlers have run
                await self._round_trip(self, deadline)  # the focus they asked for is set
                if self._current_screen() is screen and not self._awaiting:
                    break
        finally:
            self._awaiting.clear()
            self.call_later(self._replay_held)

    @staticmethod
    async def _round_trip(node: MessagePump, deadline: float) -> None:
        done = asyncio.Event()
        if node.call_later(done.set):
            try:
                await asyncio.wait_for(done.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                pass

    async def _replay_held(self) -> None:
        held, self._held = self._held or [], None
        for index, key in enumerate(held):
            await self._handle_key(key)
            if self._held is not None:  # that key opened another screen: hold the rest again
                self._held[:0] = held[index + 1 :]
                return

    def post_message(self, message) -> bool:
        if self._passed_back is not None and isinstance(message, events.Key) and message.is_forwarded:
            self._passed_back.append(message)
            return True
        return super().post_message(message)

    async def _settle_input(self) -> None:
        """Wait until the focused widget and its ancestors have handled what they were sent."""
        node: DOMNode | None = self.focused or (self.screen if self.is_running else None)
        while node is not None and node is not self:
            done = asyncio.Event()
            if node.call_later(done.set):
                try:
                    await asyncio.wait_for(done.wait(), self.SETTLE_TIMEOUT)
                except TimeoutError:
                    return
            node = node.parent

    def on_mount(self) -> None:
        from tui import drafts

        drafts.install_signal_handlers(self)
        drafts.offer_drafts(self)
        settings.started(self)

    _last_input = 0.0

    def idle_on_a_main_screen(self, seconds: float) -> bool:
        """No key for ``seconds``, none held for a screen that is opening, and no form, picker
        or prompt open: a moment for work the user did not ask for (tui.drafts' offer, screens
        prepared in the background)."""
        return self.idle_for(seconds) and len(self.screen_stack) == 1

    def idle_for(self, seconds: float) -> bool:
        """No key for ``seconds`` and none held for a screen that is opening."""
        return time.monotonic() - self._last_input >= seconds and self._held is None

    def on_ready(self) -> None:
        from tui.live import LiveRefresh

        heap.started()
        # The current employee, read on the database thread now, before the screens that ask
        # for it on the UI thread (Context keeps it; a new login's is made on first use).
        dbwork.read_db(self, self.ctx.known_employee, busy="", failed=lambda _error: None)
        self.live = LiveRefresh(self)  # others' saves show up without a key (docs/storage.md)
        self.live.start()
        self.set_interval(0.5, self._collect_when_idle, name="idle garbage collection")
        self.set_timer(self.PREPARE_AFTER, self._prepare_next_mode, name="prepare main screens")

    # -- main screens are prepared in the background (docs/performance.md: F2-F9 within 50 ms, the first
    # time included). After the first frame, while no key has come for PREPARE_AFTER seconds,
    # the next main screen not yet used is built and mounted, one at a time; switching to it
    # later only shows it. Uses Textual's ``_init_mode`` and ``_screen_stacks`` (private:
    # tests/test_prepared_modes.py fails loudly when they change).
    PREPARE_AFTER = 0.3  # seconds without a key
    PREPARE_IN_A_FORM = 1.5  # seconds without a key, for a spare built while a form is open

    #
    # The forms opened most (a conversation, a customer, a contact, a booking) are kept built
    # the same way, one of each, out of sight in a mode of their own ("spares"), laid out and
    # drawn: a key that opens one hands out the spare, which takes the record it is for
    # (``adopt``) and is only shown; the next one is built when the keyboard rests again (a
    # longer pause while a form is open), and a form closed is kept as the next one
    # (``keep_spare``). Building one takes 40-90 ms; showing one, 10-40.
    SPARES = {
        "conversation": _conversation_form,
        "customer": _customer_form,
        "contact": _contact_form,
        "booking": _booking_form,
    }

    async def _prepare_next_mode(self) -> None:
        modes = [*self.MODES, *map(_spare_mode, self.SPARES)]
        pending = [mode for mode in modes if not self._screen_stacks.get(mode)]
        if not self.is_running:
            return
        if not pending and not self._unrendered:
            self.prepared = True
            return
        # Only while the keyboard rests (main screens: on a main screen, with no form open);
        # rows on their way to the screen go first.
        main = bool(pending) and pending[0] in self.MODES
        if main:
            idle = self.idle_on_a_main_screen(self.PREPARE_AFTER)
        else:  # a form may be open: a longer pause (typing a note, one stops to think)
            idle = self.idle_for(self.PREPARE_AFTER if len(self.screen_stack) == 1 else self.PREPARE_IN_A_FORM)
        if not idle or dbwork.busy(rows_only=True):
            self.set_timer(self.PREPARE_AFTER, self._prepare_next_mode)
            return
        if pending:
            if not main:
                heap.prepared()  # the main screens (a spare is garbage once used)
            await self._init_styled(pending[0])
            if not main:  # a spare: laid out and drawn next, as the main screens are
                self._unrendered.append(pending[0])
        else:
            self._lay_out_hidden(self._unrendered.pop())
        self.set_timer(0.05, self._prepare_next_mode)

    def take_spare(self, kind: str) -> Screen | None:
        """The spare form of that kind if one is built, else None (build one at once)."""
        mode = _spare_mode(kind)
        stack = self._screen_stacks.get(mode)
        if not stack or not stack[-1].is_mounted:
            return None
        if mode in self._unrendered:  # not laid out yet: showing it will
            self._unrendered.remove(mode)
        self.set_timer(self.PREPARE_AFTER, self._prepare_next_mode)  # the next one, when idle
        return stack.pop()

    def keep_spare(self, screen: Screen) -> None:
        """A form being closed (tui.forms ``SpareForm``): kept as the spare of its kind if there
        is none (taken, and no new one built yet), so that the next one opened is only shown."""
        stack = self._screen_stacks.get(_spare_mode(getattr(screen, "SPARE", "")))
        # (only into a stack there is: Textual goes over the stacks while the app closes)
        if stack is not None and not stack and self.is_running and not self._exit:
            stack.append(screen)  # (in a stack: closing it does not remove it)

    prepared = False  # main screens and spares all built (benchmarks/tui_paths.py waits)

    def _lay_out_hidden(self, mode: str) -> None:
        """Lay a prepared main screen out and render it while hidden, its data loaded by now:
        its widgets know their size and keep their lines, and showing it only draws them."""
        stack = self._screen_stacks.get(mode)
        if stack and len(stack) == 1 and mode != self.current_mode and stack[0].is_mounted:
            screen = stack[0]
            screen._refresh_layout(self.size)
            screen._compositor.render_update(full=True)
            # Textual's screen update timer waits one whole tick (1/60 s) before its first
            # update: that tick is spent now, so the first frame after showing it waits for none.
            screen._update_timer.resume()

    def _init_styled(self, mode: str):
        """Textual's ``_init_mode``, without the restyle of the whole app it starts for every
        screen it creates (``refresh_css``: 60+ ms, a key pressed meanwhile waits for it): the
        new screen gets its styles as it mounts, from today's stylesheet (every screen's rules
        are nested under its own type, app.tcss), so it is marked styled from the start. A theme
        change later marks it stale again (Textual's ``_css_update_count``, private; and
        ``_modes``, the factories of the modes: tests/test_textual_private_api.py)."""
        factory = self._modes[mode]

        def styled() -> Screen:
            screen = factory() if callable(factory) else factory
            screen._css_update_count = self._css_update_count  # type: ignore[union-attr]
            return screen  # type: ignore[return-value]

        self._modes[mode] = styled
        try:
            return self._init_mode(mode)
        finally:
            self._modes[mode] = factory

    def _collect_when_idle(self) -> None:
        self._forget_closed_watchers()
        heap.collect_when_idle(time.monotonic() - self._last_input)

    def _forget_closed_watchers(self) -> None:
        """What Textual keeps of closed widgets: the app's watchers (tui.heap) ..."""
        heap.forget_closed_watchers(self)
        # ... and the widgets a screen out of sight (another mode, a form kept) was to redraw
        # (its private ``_dirty_widgets``), kept until it is shown, also those removed meanwhile
        # (the keys of its footer, rebuilt).
        shown = self._current_screen()
        for stack in self._screen_stacks.values():
            for screen in stack:
                dirty = screen._dirty_widgets
                if screen is not shown and any(widget._closed for widget in dirty):
                    dirty.difference_update([widget for widget in dirty if widget._closed])

    def on_unmount(self) -> None:
        from tui import dbwork, drafts

        dbwork.close_connections()
        heap.resume()  # if the app stopped before its first frame
        settings.flush(self)
        drafts.remove_signal_handlers()
        if getattr(self, "live", None) is not None:
            self.live.stop()

    def flush_drafts(self) -> None:
        """Write the draft of every open form now (quit, a crash report, SIGHUP/SIGTERM)."""
        from tui.widgets.draft_keeper import flush_all

        flush_all()

    async def action_quit(self) -> None:
        """Quit, keeping the text of any open form as a draft."""
        self.flush_drafts()
        self.exit()

    def _on_notify(self, event) -> None:
        """A toast is one line (app.tcss: the newest covers any older one still shown), so a
        title goes before the message ("Export to calendar: Exported 2 follow-ups…")."""
        notification = event.notification
        if notification.title:
            title = notification.title.replace("[", r"\[") if notification.markup else notification.title
            notification.message = f"{title}: {notification.message}"
            notification.title = ""
        super()._on_notify(event)

    def action_quick_add(self) -> None:
        from screens.conversation_form import ConversationForm
        from screens.quick_add import QuickAddScreen

        if isinstance(self.screen, ConversationForm):  # one conversation form at a time:
            self.screen.query_one("#note").focus()  # ctrl+n in it goes back to its Note
            return
        self.push_screen(QuickAddScreen())

    async def action_switch_mode(self, mode: str) -> None:
        """F2-F7: show that screen's main view, as the key says, with its cursor, filter and
        period kept. Screens opened on top of it (a drill-down list, a customer opened from
        it, a picker) are closed, so F5 always shows the dashboard, whether pressed on it or
        coming back from another screen; only a form holding unsaved typing stays open (and
        what is under it), so no F-key ever costs typed text."""
        if mode != self.current_mode:  # close them while out of sight: one change on screen
            self._close_pushed(self._screen_stacks.get(mode, []))
            self.switch_mode(mode)
            return
        while len(self.screen_stack) > 1 and not _holds_typing(self.screen):
            self.screen.dismiss(None)

    def switch_mode(self, mode: str):
        """Textual's, but a screen prepared in the background is shown at once: Textual holds
        every update back for 50 ms after a switch (``delay_update``, to hide a screen being
        built), and the new screen was drawn only then, a whole 50 ms budget gone."""
        stack = self._screen_stacks.get(mode)
        if not stack or not stack[-1].is_mounted:
            return super().switch_mode(mode)
        self.delay_update = _no_delay  # type: ignore[method-assign]  # (for this one call)
        try:
            return super().switch_mode(mode)
        finally:
            del self.delay_update

    def _close_pushed(self, stack: list[Screen]) -> None:
        """Close the screens above the root of a mode not shown, as dismiss would (their
        callbacks get None), down to one holding unsaved typing."""
        while len(stack) > 1 and not _holds_typing(stack[-1]):
            screen = stack.pop()
            if screen._result_callbacks:
                screen._result_callbacks[-1](None)
            screen._pop_result_callback()
            self.call_later(self._replace_screen, screen)  # unmounts it

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_new_customer(self) -> None:
        """Go to Customers and open an empty customer form."""
        from screens.customer_form import open_customer_form

        self.switch_mode("customers")
        open_customer_form(self, None)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every global action by name, then the keys of the screen the palette was opened on
        (its bindings and those of the focused widget), then Textual's own (theme, ...)."""
        yield from palette.global_commands(self)
        yield from palette.screen_commands(self, screen)
        for command in super().get_system_commands(screen):
            if command.title not in palette.REPLACED:
                yield command
