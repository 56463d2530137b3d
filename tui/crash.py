"""Unexpected errors in the TUI: a report file instead of a traceback (docs/screens.md#keyboard-and-ssh).

``write_report(error)`` writes the traceback to a new file under the state folder
(``platformdirs.user_state_path("rapport")/crash``, folder 0700, file 0600) and returns its
path. The report holds no local variables (a frame's locals hold notes, customer records and
the database URL), each error's message is cut to one short line, and anything that looks
like a password (``user:PASSWORD@``, ``password=...``) is masked, as is the password of the
database URL in use.

``install(app)`` makes every handler, timer and callback of the app report an exception this
way and go on: Textual's default prints a traceback with locals and ends the app. The net is
one wrapper around ``MessagePump._dispatch_message`` (a private Textual method, so
tests/test_crash_report.py fails loudly when Textual changes it). ``app.crash_reports`` lists
the reports written, and the user reads one line naming the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from pathlib import Path
from urllib.parse import unquote, urlparse

from platformdirs import user_state_path

MESSAGE_MAX = 200  # characters of an error's message kept in a report
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)([^@\s]+)(@)")
_KEY_PASSWORD = re.compile(r"((?:password|passwd|pwd)\s*[=:]\s*['\"]?)([^\s&'\",)]+)", re.IGNORECASE)


def report_folder() -> Path:
    return user_state_path("rapport", appauthor=False) / "crash"


def mask(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with passwords replaced by ***."""
    text = _URL_PASSWORD.sub(r"\1***\3", text)
    text = _KEY_PASSWORD.sub(r"\1***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def url_secrets(url: str) -> tuple[str, ...]:
    """The password in a database URL (as written and decoded), to mask wherever it shows."""
    try:
        password = urlparse(url).password
    except ValueError:
        return ()
    return (password, unquote(password)) if password else ()


def _short(message: str) -> str:
    lines = message.strip().splitlines()
    first = lines[0] if lines else ""
    return first[:MESSAGE_MAX] + ("…" if len(first) > MESSAGE_MAX or len(lines) > 1 else "")


def describe(error: BaseException) -> str:
    """The traceback of ``error`` and the errors behind it: frames and short messages only."""
    parts: list[str] = []
    seen: set[int] = set()
    exc: BaseException | None = error
    while exc is not None and id(exc) not in seen and len(parts) < 10:
        seen.add(id(exc))
        stack = traceback.StackSummary.extract(traceback.walk_tb(exc.__traceback__), capture_locals=False)
        parts.append(
            "Traceback (most recent call last):\n"
            + "".join(stack.format())
            + f"{type(exc).__qualname__}: {_short(str(exc))}\n"
        )
        exc = exc.__cause__ or exc.__context__
    return "\n(caused while handling, or directly by, the error above)\n".join(reversed(parts))


def write_report(error: BaseException, secrets: tuple[str, ...] = (), where: str = "") -> Path:
    """Write a report of ``error`` (file 0600 under ``report_folder()``); returns its path."""
    folder = report_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    text = (
        f"Rapport crash report, {dt.datetime.now().isoformat(timespec='seconds')}\n"
        f"while: {where or 'working'}\n\n{describe(error)}"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(mask(text, secrets))
    return path


def one_line(path: Path) -> str:
    return f"Something went wrong; a report is in {path}. Your text is kept."


def report(app, error: BaseException, where: str = "") -> Path | None:
    """Write the report, tell the user in one line, keep drafts. Never raises. A database
    fault (a read on the UI thread meeting a server that went away, a full disk) is no bug:
    it is said in one line (storage.db.faults), without a report."""
    try:
        from storage.db.faults import fault

        known = fault(error)
    except Exception:
        known = None
    if known is not None:
        try:
            app.notify(
                f"Database: {getattr(known, 'reason', known)}. Nothing typed is lost; try again.",
                severity="error",
                markup=False,
                timeout=10,
            )
        except Exception:
            pass
        return None
    try:
        path = write_report(error, url_secrets(getattr(getattr(app, "ctx", None), "url", "")), where)
    except Exception:  # a full disk: still no traceback, still going on
        path = None
    try:
        app.crash_reports.append(path)
        app.flush_drafts()  # (RapportApp; the drafts of every open form)
    except Exception:
        pass
    try:
        message = one_line(path) if path else "Something went wrong (no report could be written)."
        app.notify(message, severity="error", markup=False, timeout=15)
    except Exception:
        pass
    return path


_installed = False


def install() -> None:
    """Wrap Textual's message dispatch once: an exception in any handler is reported and the
    widget goes on with its next message (instead of Textual ending the app)."""
    global _installed
    if _installed:
        return
    from textual._context import active_app
    from textual.message_pump import MessagePump

    original = MessagePump._dispatch_message

    async def _dispatch_message(self, message):
        try:
            await original(self, message)
        except Exception as error:
            app = active_app.get(None)
            if app is None or not hasattr(app, "crash_reports"):
                raise
            report(app, error, f"{type(self).__name__} handling {type(message).__name__}")

    MessagePump._dispatch_message = _dispatch_message  # type: ignore[method-assign]
    _installed = True
