"""Live refresh (docs/storage.md): what another session saves shows up in this one's visible lists and
counts within 2 seconds, without a key.

``LiveRefresh(app).start()`` runs a ``storage.db.changes.ChangeWatcher`` (PostgreSQL
LISTEN/NOTIFY, SQLite ``data_version``). A change is handled on the UI thread, at most every
``DEBOUNCE`` seconds (a burst of saves is one refresh), and only while no key was pressed for
``QUIET`` seconds, so a refresh never lands between the keys of a burst. It refreshes the
screens the user sees: the top screen and, under a modal one, the screens beneath it.

For each such screen:
- a screen that defines ``live_refresh()`` is asked to refresh itself;
- a form (``DraftKeeper``) is never touched: what the user types is never overwritten (a
  form that saves over a changed record asks first, e.g. ``screens.changed_meanwhile``);
- otherwise each ``PagedTable`` in it reloads (the cursor stays on its record), and a screen
  without one runs its own ScreenResume handlers ("show what other sessions changed").
"""

from __future__ import annotations

import contextvars
import time
from typing import TYPE_CHECKING

from textual import events
from textual.screen import ModalScreen

if TYPE_CHECKING:
    import asyncio

    from storage.db.changes import ChangeWatcher

DEBOUNCE = 0.3  # seconds between two refreshes
QUIET = 0.3  # seconds without a key before a refresh


class LiveRefresh:
    def __init__(self, app) -> None:
        self.app = app
        self.watcher: ChangeWatcher | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = False
        self._timer = None
        self.refreshes = 0  # how many refreshes ran (tests and the soak test read it)

    def start(self) -> None:
        import asyncio

        from storage.db.changes import ChangeWatcher

        self._loop = asyncio.get_running_loop()
        self._context = contextvars.copy_context()  # Textual's (active_app) for the callbacks
        self.watcher = ChangeWatcher(self.app.ctx.url, self._changed_elsewhere)
        self.watcher.start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    # -- from the watcher's thread ---------------------------------------------------------
    def _changed_elsewhere(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._changed, context=self._context)
            except RuntimeError:  # the app is shutting down
                pass

    # -- on the UI thread -----------------------------------------------------------------
    def _changed(self) -> None:
        self._pending = True
        if self._timer is None and self.app.is_running:
            self._timer = self.app.set_timer(DEBOUNCE, self._apply, name="live refresh")

    def _apply(self) -> None:
        self._timer = None
        if not self._pending or not self.app.is_running:
            return
        idle = time.monotonic() - getattr(self.app, "_last_input", 0.0)
        if idle < QUIET:  # the user is typing: try again shortly
            self._timer = self.app.set_timer(QUIET - idle + 0.01, self._apply, name="live refresh")
            return
        self._pending = False
        self.refreshes += 1
        for screen in visible_screens(self.app):
            refresh_screen(screen)


def visible_screens(app) -> list:
    """The top screen and, while it is modal, the ones it is drawn over."""
    screens = []
    for screen in reversed(app.screen_stack):
        screens.append(screen)
        if not isinstance(screen, ModalScreen):
            break
    return screens


def refresh_screen(screen) -> None:
    from tui.widgets.draft_keeper import DraftKeeper
    from tui.widgets.paged_table import PagedTable

    hook = getattr(screen, "live_refresh", None)
    if hook is not None:
        hook()
        return
    if isinstance(screen, DraftKeeper):
        return
    tables = list(screen.query(PagedTable))
    for table in tables:
        table.reload()
    if not tables:
        for method, _selector in type(screen)._decorated_handlers.get(events.ScreenResume, []):
            method(screen)
