"""Measuring tools for benchmarks/run.py: medians, frame timing, subprocess timing.

Frame timing: Textual's headless driver skips turning a frame into terminal output, so
``FrameClock`` wraps the app's ``_display`` to render the update into escape sequences as a
real terminal session would, and records when that finished. A keypress is timed from the
moment the key event is posted until the first frame written after it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    name: str
    target_ms: float | None
    samples_ms: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms) if self.samples_ms else float("nan")

    @property
    def ok(self) -> bool | None:
        if self.target_ms is None:
            return None
        return bool(self.samples_ms) and self.median_ms <= self.target_ms

    def as_json(self) -> dict:
        return {"name": self.name, "target_ms": self.target_ms, "median_ms": round(self.median_ms, 2), "ok": self.ok}


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run_process(args: list[str], env: dict | None = None) -> float:
    """Wall time of a whole process in ms; its stdout is discarded, a failure raises."""
    start = time.perf_counter()
    subprocess.run(
        args,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    return (time.perf_counter() - start) * 1000


def big_customer_id() -> int:
    """The reference data's "big customer": the one with the most conversations."""
    from peewee import fn

    from storage.db.models import Conversation

    return (
        Conversation.select(Conversation.customer, fn.COUNT(Conversation.id))
        .group_by(Conversation.customer)
        .order_by(fn.COUNT(Conversation.id).desc())
        .limit(1)
        .scalar()
    )


class FrameClock:
    """Records when each frame has been rendered to terminal output."""

    def __init__(self, app) -> None:
        from textual._compositor import CompositorUpdate, LayoutUpdate

        self.app = app
        self.times: list[float] = []
        self.watching = None  # a condition checked as each frame is written (``first_frame_when``)
        self.seen: float | None = None
        # Only a full frame counts (Textual's LayoutUpdate: every line written): a key that
        # changes the screen (another screen, a form over it, a form closed) is answered
        # when the whole new screen is drawn, not by a frame that redraws a part of the old
        # one (its footer, say) while the rest still shows what was there.
        self.full_only = False
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is not None and isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
                now = time.perf_counter()
                self.times.append(now)
                counts = isinstance(renderable, LayoutUpdate) or not self.full_only
                if self.watching is not None and self.seen is None and counts and self.watching():
                    self.seen = now

        app._display = display

    async def key_to_full_frame(self, pilot, key: str, condition, timeout: float = 10.0) -> float:
        """Press ``key``; ms until the first full frame written while ``condition()`` holds."""
        await pilot.pause()
        self.watching, self.seen, self.full_only = condition, None, True
        start = time.perf_counter()
        try:
            await pilot.press(key)
            while self.seen is None:
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"no full frame within {timeout} s after {key!r}")
                await asyncio.sleep(0.0005)
        finally:
            self.watching, self.full_only = None, False
        return (self.seen - start) * 1000

    async def key_to_frame(self, pilot, key: str, timeout: float = 2.0) -> float:
        """Press ``key``; ms until the first frame written after the press."""
        await pilot.pause()
        before = len(self.times)
        start = time.perf_counter()
        await pilot.press(key)
        deadline = start + timeout
        while len(self.times) == before and time.perf_counter() < deadline:
            await asyncio.sleep(0.0005)
        if len(self.times) == before:
            raise TimeoutError(f"no frame within {timeout}s after {key!r}")
        return (self.times[before] - start) * 1000


def compile_project() -> None:
    """Write the project's bytecode, as installing it does (pip compiles every module). Without
    it, a process started with PYTHONDONTWRITEBYTECODE set compiles some 60 modules from source
    every time (~250 ms here), while peewee and Textual, installed, load theirs."""
    import compileall

    for package in ("cli", "storage", "tui", "screens"):
        compileall.compile_dir(ROOT / package, quiet=1)


def python() -> str:
    return sys.executable
