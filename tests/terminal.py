"""The real ``rapport`` in a pseudo-terminal, for tests of what happens to a whole process:
a dropped SSH connection (SIGHUP), SIGTERM, a second start.

``Terminal`` forks the app on a pty of 80x24 with HOME and the XDG folders inside a test's
tmp_path (the user's real data is never touched), collects everything the app writes, and
``wait_for(text)`` waits until ``text`` appeared on the screen (escape sequences removed).
Every wait has a timeout, so a broken app fails the test instead of hanging it.
"""

from __future__ import annotations

import array
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-character ESC sequences.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
KEYS = {
    "enter": "\r",
    "down": "\x1b[B",
    "up": "\x1b[A",
    "escape": "\x1b",
    "tab": "\t",
    "ctrl+s": "\x13",
    "ctrl+q": "\x11",
    "ctrl+n": "\x0e",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    "shift+tab": "\x1b[Z",
    "end": "\x1b[F",
}


def private_env(home: Path, login: str = "tester") -> dict[str, str]:
    """The environment of a Rapport that reads and writes only inside ``home``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "RAPPORT_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        USER=login,
        LOGNAME=login,
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        PYTHONPATH=str(ROOT),
    )
    env.pop("NO_COLOR", None)
    return env


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        pid, fd = os.forkpty()
        if pid == 0:  # the child: the app, on the pty's slave side
            try:
                columns, rows = size
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                os.chdir(ROOT)
                os.execve(sys.executable, [sys.executable, "-m", "tui", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.returncode: int | None = None

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if not ready:
                    if self.returncode is not None:
                        return
                    continue
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the app closed the terminal
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    def raw(self) -> bytes:
        """Everything written so far, escape sequences included."""
        with self._lock:
            return bytes(self._output)

    def text(self) -> str:
        """Everything written so far, without escape sequences."""
        with self._lock:
            raw = self._output.decode("utf-8", errors="replace")
        return ESCAPES.sub("", raw)

    def mark(self) -> int:
        """A position in the output; ``wait_for(..., after=mark)`` only looks past it."""
        return len(self.text())

    def wait_for(self, needle: str, timeout: float = 20.0, after: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text()[after:]:
                return
            if self.poll() is not None:
                break
            time.sleep(0.05)
        tail = self.text()[-1500:]
        raise AssertionError(f"{needle!r} did not appear on the screen; the end of the output:\n{tail}")

    def wait_for_output(self, after: int, timeout: float = 20.0) -> None:
        """Wait until the app wrote anything past ``after`` (it has begun to act on a key)."""
        deadline = time.monotonic() + timeout
        while len(self.text()) <= after:
            if time.monotonic() > deadline or self.poll() is not None:
                raise AssertionError(f"nothing appeared on the screen within {timeout} s")
            time.sleep(0.01)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def press(self, *keys: str) -> None:
        """Press ``keys`` one after another: each is sent once the app has read the one before
        (the app keeps keys in order, holding them for a screen that is opening). A lone ESC
        is the escape key only if no byte follows it at once (Textual waits ESCDELAY for
        one), so after escape the next key waits until the app has acted on it (drawn)."""
        for key in keys:
            mark = self.mark()
            self.type(KEYS.get(key, key))
            self.wait_until_read()
            if key == "escape":
                self.wait_for_output(after=mark)

    def unread(self) -> int:
        """How many bytes typed so far the app has not read yet (its terminal's input queue)."""
        try:
            slave = os.open(f"/proc/{self.pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:  # the app has ended
            return 0
        try:
            count = array.array("i", [0])
            fcntl.ioctl(slave, termios.FIONREAD, count)
            return count[0]
        finally:
            os.close(slave)

    def wait_until_read(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.unread():
            if time.monotonic() > deadline or self.poll() is not None:
                raise AssertionError(f"the app did not read its keys within {timeout} s")
            time.sleep(0.005)

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the app did not exit within {timeout} s")
            time.sleep(0.05)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.returncode = -9

    def close(self) -> None:
        self.kill()
        self._reader.join(timeout=2)
        try:
            os.close(self.fd)
        except OSError:
            pass

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_new_conversation(term: Terminal) -> int:
    """Customers → the first customer (Acme) → Conversations tab → n: a new conversation form.
    Returns the output mark taken before the form opened."""
    term.wait_for("Acme")
    mark = term.mark()
    term.press("down", "enter")
    term.wait_for("1 General", after=mark)
    mark = term.mark()
    term.press("3")
    term.wait_for("/ filter note", after=mark)
    term.wait_for("Complete", after=mark)  # the list has the focus: its keys in the footer
    mark = term.mark()
    term.press("n")
    term.wait_for("New conversation", after=mark)
    return mark
