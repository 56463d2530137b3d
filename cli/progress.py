"""A progress bar on standard error, only when standard error is a terminal (README.md#command-line):
demo, import, export, backup and copy. Data stays on standard output, untouched."""

from __future__ import annotations

import sys
import time

WIDTH = 24


class Progress:
    """``update(done, total)`` redraws at most ten times a second; ``close()`` clears it."""

    def __init__(self, label: str, stream=None, *, in_bytes: bool = False):
        self.label = label
        self.in_bytes = in_bytes  # done and total are bytes (an import reading its file)
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = bool(self.stream) and self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            self.enabled = False
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.update(done, total)

    def update(self, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        if total:
            part = min(1.0, done / total)
            filled = int(part * WIDTH)
            amount = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB" if self.in_bytes else f"{done:,}/{total:,}"
            text = f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {part:4.0%} {amount}"
        else:
            text = f"{self.label}: {done:,}…"
        self._write("\r" + text + "\x1b[K")
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self._write("\r\x1b[K")
            self.shown = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
