"""The one way screens and widgets do database work (docs/screens.md#keyboard-and-ssh, STYLE point 13).

    from tui.dbwork import run_db, read_db

    run_db(self, customers.save_customer, values, customer_id,
           done=self._saved,            # done(result), on the UI thread, if self is still mounted
           failed=self._not_saved,      # failed(error: RapportError); optional
           busy="Saving…")              # shown when it takes longer than a moment

    read_db(self, queries.page, offset, done=self._show_page)   # the same, for reads
    read_rows(self, source.fetch, offset, limit, done=...)      # a list's rows (PagedTable)

- ``fn(*args, **kwargs)`` runs off the UI thread, on a daemon thread that keeps its own
  database connection: ``run_db`` on the writer (one at a time, in the order asked, so two
  saves never overtake each other), ``read_db`` on the reader (a read never waits behind a
  write that waits for a lock), ``read_rows`` on a reader for lists (a page never waits
  behind a long report). The screen never freezes, and the process still ends at once
  on SIGTERM while a thread waits in SQLite.
- ``done(result)`` is called on the UI thread through ``node.call_later``, so only while
  ``node`` is mounted; it may be a coroutine function.
- Every ``RapportError`` (a ``ValidationError``, a lock that outlasted every retry, a lost
  connection) and every database fault (disk full, read-only, a value too large, a
  constraint: ``storage.db.faults``) goes to ONE error path: ``failed(error)`` if given, else a
  one-line notification where the user acted (``describe(error)``). A form keeps its text;
  its draft is written (``tui.widgets.draft_keeper``).
- Any other exception is a bug: ``tui.crash`` writes a report (no locals, passwords masked,
  0600) and the error path gets a ``RapportError`` naming the file. The app goes on.
- A write that retries a lock says "…; trying again…" at once (``storage.db.retry``).
- A job still running after ``BUSY_AFTER`` seconds shows ``busy`` as a notification.

``after_save(form, read, show)``: the screen that opened a form reads what its save changed
right after the save, on the writer (no second trip), and shows it before the form closes.

``wait_idle()`` (for tests and benchmarks) waits until every job asked so far has finished.
The returned ``Job`` has ``.finished`` (a threading.Event) and ``.result``/``.error``.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any

from storage.errors import ChangedMeanwhile, DatabaseUnavailable, RapportError, ValidationError

BUSY_AFTER = 0.25  # seconds; quicker work shows nothing


class Job:
    """One call of ``fn`` on a database thread and what became of it."""

    def __init__(self, node, fn: Callable, args: tuple, kwargs: dict, done, failed, busy: str):
        self.node, self.fn, self.args, self.kwargs = node, fn, args, kwargs
        self.done, self.failed, self.busy = done, failed, busy
        self.app = node.app
        self.loop = asyncio.get_running_loop()
        self.finished = threading.Event()
        self.result: Any = None
        self.error: RapportError | None = None
        self.lane: _Lane | None = None  # the thread it runs on (set by _submit)

    # -- on the database thread -----------------------------------------------------------
    def run(self) -> None:
        from storage.db.faults import fault
        from storage.db.retry import on_wait_in_this_thread

        try:
            with on_wait_in_this_thread(self._waiting):
                self.result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # one error path for all of them
            if not isinstance(exc, ValidationError):
                _reset_connection()
            self.error = fault(exc)
            if self.error is None:
                self.error = self._crashed(exc)
        finally:
            self._to_ui(self._deliver)
            self.finished.set()

    def _crashed(self, exc: BaseException) -> RapportError:
        from tui import crash

        try:
            path = crash.write_report(
                exc, crash.url_secrets(self.app.ctx.url), f"database work {getattr(self.fn, '__qualname__', self.fn)}"
            )
        except Exception:
            return RapportError("Something went wrong (no report could be written). Your text is kept.")
        self.app.crash_reports.append(path)
        return RapportError(crash.one_line(path))

    def _waiting(self, error: DatabaseUnavailable, attempt: int) -> None:
        self._to_ui(self._notify, f"{error.reason}; trying again…", "warning")

    def _to_ui(self, callback, *args) -> None:
        try:
            self.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed: the app has ended, nothing to deliver to
            _pending.discard(self)

    # -- on the UI thread -----------------------------------------------------------------
    def _notify(self, message: str, severity: str = "information", timeout: float = 5) -> None:
        try:
            self.app.notify(message, severity=severity, markup=False, timeout=timeout)
        except Exception:  # the app is closing
            pass

    def show_busy(self) -> None:
        if not self.finished.is_set() and self.busy:
            self._notify(self.busy, timeout=2)

    def _deliver(self) -> None:
        if self.error is None:
            if self.done is not None:
                self.node.call_later(self.done, self.result)
            return
        if self.failed is not None and self.node.call_later(self.failed, self.error):
            return
        self._notify(describe(self.error), "error", timeout=10)


KEPT = "Your text is kept; press ctrl+s to try again."


def describe(error: RapportError, action: str = "Not saved", again: str = KEPT) -> str:
    """The one line a user reads for ``error``: "Not saved: the disk is full. Your text is
    kept; press ctrl+s to try again." (``again`` says how to repeat another action)."""
    if isinstance(error, DatabaseUnavailable):
        return f"{action}: {error.reason}. {again}"
    if isinstance(error, ValidationError):
        return f"{action}: " + "; ".join(error.errors.values())
    return str(error)


def _reset_connection() -> None:
    """After a failed job, start the next one on a fresh connection: a full disk or a dropped
    server can leave this thread's connection inside a transaction peewee no longer tracks."""
    from storage.db.models import db

    database = db.obj
    if database is None or database.is_closed():
        return
    try:
        if database.in_transaction():
            database.rollback()
    except Exception:  # closing (or forgetting) the connection below is what matters
        pass
    _close_quietly(database)


class _Lane:
    """A daemon thread running jobs one at a time, in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()  # of Job and _Closer
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, job: Job) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name=self.name, daemon=True)
                self.thread.start()
        self.jobs.put(job)

    def _work(self) -> None:
        from storage.db.models import db

        database = None
        while True:
            job = self.jobs.get()
            if database is not None and database is not db.obj:
                _close_quietly(database)  # this thread's connection to an earlier database
            database = db.obj
            job.run()


def _close_quietly(database) -> None:
    try:
        if not database.is_closed():
            database.close()
    except Exception:
        try:
            database.dispose()
        except Exception:
            pass


_writer = _Lane("rapport-db-writer")
_reader = _Lane("rapport-db-reader")
_lists = _Lane("rapport-db-lists")  # a list's rows never wait behind a long report
_pending: set[Job] = set()


def close_connections() -> None:
    """Let the database threads close their connections (when the app ends); a thread that
    is waiting in the database closes its own once it is done."""
    from storage.db.models import db

    for lane in (_writer, _reader, _lists):
        if lane.thread is not None and lane.thread.is_alive():
            lane.jobs.put(_Closer(db.obj))


class _Closer:
    """A job that closes its thread's connection to ``database``."""

    def __init__(self, database) -> None:
        self.database = database

    def run(self) -> None:
        if self.database is not None:
            _close_quietly(self.database)


def _submit(lane: _Lane, node, fn, args, kwargs, done, failed, busy) -> Job:
    job = Job(node, fn, args, kwargs, done, failed, busy)
    job.lane = lane
    _pending.add(job)
    job.loop.call_later(BUSY_AFTER, job.show_busy)
    original_deliver = job._deliver

    def deliver() -> None:
        _pending.discard(job)
        original_deliver()

    job._deliver = deliver  # type: ignore[method-assign]
    lane.submit(job)
    return job


def run_db(
    node,
    fn: Callable,
    *args,
    done: Callable | None = None,
    failed: Callable[[RapportError], Any] | None = None,
    busy: str = "Saving…",
    **kwargs,
) -> Job:
    """Run the write ``fn(*args, **kwargs)`` on the writer thread (see the module docstring)."""
    return _submit(_writer, node, fn, args, kwargs, done, failed, busy)


def read_db(
    node,
    fn: Callable,
    *args,
    done: Callable | None = None,
    failed: Callable[[RapportError], Any] | None = None,
    busy: str = "Loading…",
    **kwargs,
) -> Job:
    """Run the read ``fn(*args, **kwargs)`` on the reader thread (see the module docstring)."""
    return _submit(_reader, node, fn, args, kwargs, done, failed, busy)


def read_to_open(node, fn: Callable, *args, done: Callable, **kwargs) -> Job:
    """A key that opens a screen from what ``fn`` reads: ``read_db``, and ``done(result)``
    opens it; keys typed meanwhile are held for that screen (tui.app: type-ahead)."""
    job = read_db(node, fn, *args, done=done, **kwargs)
    _hold_keys(node, job)
    return job


class Awaited:
    """What a key's screen waits for before it takes keys (like a ``Job``, for
    ``RapportApp.hold_keys_for``); ``done()`` once it is ready."""

    def __init__(self, node) -> None:
        self.node = node
        self.finished = threading.Event()

    def done(self) -> None:
        self.finished.set()


def hold_keys_until_done(node) -> Awaited:
    """A key whose result takes a moment (a tab whose list gets the focus after a refresh, a
    picker whose rows are on their way): the keys typed meanwhile are held until ``done()``,
    then handed on in order (tui.app: type-ahead)."""
    awaited = Awaited(node)
    _hold_keys(node, awaited)
    return awaited


def _hold_keys(node, until: Job | Awaited) -> None:
    """Keys typed from now on wait until ``until`` has finished (the app's type-ahead, tui.app;
    a host app without it, e.g. a test's, hands them on as they come)."""
    hold = getattr(node.app, "hold_keys_for", None)
    if hold is not None:
        hold(until)


AGAIN = "Press the key again."


def tell(node, action: str, again: str = AGAIN) -> Callable[[RapportError], None]:
    """The ``failed`` of a key's database work: one line where the user acted, "Not changed:
    another Rapport is writing to the database. Press the key again." (any other error: "Not
    changed: <the error>")."""

    def failed(error: RapportError) -> None:
        message = describe(error, action, again) if isinstance(error, DatabaseUnavailable) else f"{action}: {error}"
        node.notify(message, severity="error", markup=False, timeout=10)

    return failed


def run_action(node, fn: Callable, *args, done: Callable, busy: str = "Changing…", **kwargs) -> Job:
    """A key that changes records (complete, snooze, delete, undo …): ``run_db`` the change,
    ``done(result)`` after it, else "Not changed: …" (``tell``); the list stays as it was."""
    return run_db(node, fn, *args, done=done, failed=tell(node, "Not changed"), busy=busy, **kwargs)


def read_rows(
    node,
    fn: Callable,
    *args,
    done: Callable | None = None,
    failed: Callable[[RapportError], Any] | None = None,
    busy: str = "",
    **kwargs,
) -> Job:
    """``read_db`` for a list's count and pages (tui.widgets.paged_table): on a reader of
    their own, so that keys in a list never wait behind a long report; by default no
    "Loading…" (the list shows its rows as "…" meanwhile)."""
    return _submit(_lists, node, fn, args, kwargs, done, failed, busy)


def save_form(
    form,
    fn: Callable,
    *args,
    done: Callable,
    invalid: Callable[[dict], Any],
    busy: str = "Saving…",
    changed: Callable[[RapportError], Any] | None = None,
    **kwargs,
) -> Job | None:
    """ctrl+s on a form: ``run_db`` the save, one at a time (a second ctrl+s while one is
    running does nothing). ``done(result)`` after it; ``invalid(errors)`` with a
    ValidationError's field map; ``changed(error)`` with a ``ChangedMeanwhile`` (someone else
    saved the record meanwhile: the form asks what to do); any other error is one line on the
    form, whose text stays."""
    if getattr(form, "_db_saving", False):
        return None
    form._db_saving = True
    identity = form.draft_identity() if hasattr(form, "draft_identity") else None
    url = form.app.ctx.url
    reads = list(getattr(form, "_db_after_save", ()))  # after_save: what the screen beneath shows

    def save(*args, **kwargs):
        if identity is None:
            result = fn(*args, **kwargs)
        else:
            from storage.db.retry import run_write
            from storage.records import draft_files, drafts

            def and_forget_the_draft():  # one transaction: never a saved record with its draft
                result = fn(*args, **kwargs)
                drafts.discard(*identity)
                return result

            result = run_write(and_forget_the_draft)
            draft_files.forget(url, *identity)  # (a file that held it while the database could not)
        return result, [_read_after(read, result) for read, _ in reads]

    def finished(saved: tuple[Any, list]) -> Any:
        result, values = saved
        form._db_saving = False
        for (_, show), value in zip(reads, values, strict=True):
            if value is not _NOT_READ:
                show(value)
        return done(result)

    def failed(error: RapportError) -> Any:
        form._db_saving = False
        if isinstance(error, ValidationError):
            return invalid(error.errors)
        if changed is not None and isinstance(error, ChangedMeanwhile):
            return changed(error)
        form.notify(describe(error), severity="error", markup=False, timeout=10)

    return run_db(form, save, *args, done=finished, failed=failed, busy=busy, **kwargs)


def after_save(form, read: Callable[[Any], Any], show: Callable[[Any], Any]) -> Callable[[], None]:
    """The screen that opened ``form`` reads what a save changed in the same trip: once the
    save (``save_form``) has committed, ``read(result)`` runs right after it on the writer
    thread, and ``show(value)`` on the UI thread just before the form's ``done``, so the list
    beneath is up to date in the first frame after the form closes (no second trip to a
    reader, no frame of the old list). A ``read`` that fails (or meets a lock for more than a
    moment) is dropped and ``show`` is not called: the save stands, the screen reads the
    usual way. Returns the function that takes it back (when the form closes)."""
    reads = getattr(form, "_db_after_save", None)
    if reads is None:
        reads = form._db_after_save = []
    entry = (read, show)
    reads.append(entry)

    def forget() -> None:
        if entry in reads:
            reads.remove(entry)

    return forget


_NOT_READ = object()


def _read_after(read: Callable[[Any], Any], result: Any) -> Any:
    """``read(result)`` on the writer thread after a save; ``_NOT_READ`` when it fails. It
    waits only a moment for another writer's lock (SQLite without WAL), so the form is never
    held behind one: its caller reads the usual way then."""
    from storage.db.database import impatient

    try:
        with impatient(AFTER_SAVE_LOCK_MS):
            return read(result)
    except Exception:
        _reset_connection()
        return _NOT_READ


AFTER_SAVE_LOCK_MS = 100


def busy(rows_only: bool = False) -> bool:
    """Whether a job asked on this event loop (this app) has not been delivered yet (with
    ``rows_only``: a list's rows, ``read_rows``); jobs of an app that has ended (a closed
    loop: never delivered) do not count."""
    loop = asyncio.get_running_loop()
    return any(job.loop is loop and (not rows_only or job.lane is _lists) for job in list(_pending))


async def wait_idle(timeout: float = 30.0) -> None:
    """Wait until every job asked so far has finished and been delivered to the UI thread."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while busy() and loop.time() < deadline:
        await asyncio.sleep(0.005)


_long = _Lane("rapport-db-long")  # work that waits on the network: nothing else waits behind it


def run_long(
    node,
    fn: Callable,
    *args,
    done: Callable | None = None,
    failed: Callable[[RapportError], Any] | None = None,
    busy: str = "",
    **kwargs,
) -> Job:
    """``run_db`` for work that takes long because it waits on something else too (a calendar
    sync over the network, tui.sync_action): on a thread of its own, so that saves, reads and
    pages never wait behind it; one at a time, in order. ``fn`` opens and closes its own
    connection (``db.connection_context()``): this thread keeps none between jobs."""
    return _submit(_long, node, fn, args, kwargs, done, failed, busy)
