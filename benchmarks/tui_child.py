"""Child process for the TUI benchmarks: drives the real app headless at 120x40 with Pilot on
the reference database and prints one JSON object {name: [samples_ms...], "peak_rss_mb": N}.

    python benchmarks/tui_child.py DATABASE_URL TODAY REPEAT

Timing is from the key press to the first frame rendered to terminal output after it
(benchmarks/harness.FrameClock); for a list, the first frame with its rows (a window fetched
off the UI thread shows "…" rows first: those frames do not count). Run in its own process so
that its peak memory is the app's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import FrameClock, big_customer_id

LIST_KEYS = ("down", "pagedown", "end", "home", "up", "pageup")


# Where the cursor is put before each key is timed, so that the key really moves it.
SETUP = {"down": "home", "pagedown": "home", "end": "home", "home": "end", "up": "end", "pageup": "end"}


async def list_keys(clock, pilot, table, prefix: str, repeat: int, out: dict) -> None:
    for key in LIST_KEYS:
        samples = out.setdefault(f"{prefix}: {key}", [])
        for i in range(repeat):
            await pilot.press(SETUP[key])
            if key in ("down", "up") and i:  # also from the middle of the list
                await pilot.press("pagedown" if key == "down" else "pageup")
            await rows_shown(table)
            samples.append(await key_to_rows(clock, pilot, table, key))


def conversations_shown(app) -> bool:
    tables = app.screen.query("ConversationsPanel PagedTable")
    return bool(tables) and not tables.first().waiting and tables.first().cursor_row is not None


async def key_until(clock, pilot, key: str, ready, timeout: float = 10.0) -> float:
    """Press ``key``; ms until the first frame written once ``ready()``."""
    await pilot.pause()
    start = time.perf_counter()
    await pilot.press(key)
    last_false = start
    while not ready() and time.perf_counter() - start < timeout:
        last_false = time.perf_counter()
        await asyncio.sleep(0.0005)
    while True:
        frames = [t for t in clock.times if t >= last_false]
        if frames or time.perf_counter() - start > timeout:
            return ((frames[0] if frames else time.perf_counter()) - start) * 1000
        await asyncio.sleep(0.0005)


async def rows_shown(table, timeout: float = 10.0) -> float:
    """Wait until ``table`` has no rows on their way; when that was last seen otherwise."""
    last_waiting = time.perf_counter()
    deadline = last_waiting + timeout
    while table.waiting and time.perf_counter() < deadline:
        last_waiting = time.perf_counter()
        await asyncio.sleep(0.0005)
    return last_waiting


async def key_to_rows(clock, pilot, table, key: str, timeout: float = 2.0) -> float:
    """Press ``key``; ms until the first frame written once ``table`` shows its rows."""
    await pilot.pause()
    start = time.perf_counter()
    await pilot.press(key)
    since = start
    while True:
        frames = [t for t in clock.times if t >= since]
        if frames and not table.waiting:
            return (frames[0] - start) * 1000
        if time.perf_counter() - start > timeout:
            return (time.perf_counter() - start) * 1000
        if table.waiting:
            since = await rows_shown(table)
        await asyncio.sleep(0.0005)


async def search_frame(clock, pilot, screen, text: str) -> float:
    """Type ``text`` into the search box; ms from the last key to the frame showing its result."""
    table = screen.table
    marks: list[float] = []  # when the rows of a new search are in the table
    original = table.set_source

    def set_source(source, *args, **kwargs):
        return original(source, *args, then=lambda: marks.append(time.perf_counter()), **kwargs)

    table.set_source = set_source
    try:
        for char in text[:-1]:
            await pilot.press(char)
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press(text[-1])
        deadline = time.perf_counter() + 2
        while True:
            done = [m for m in marks if m >= start]
            frames = [t for t in clock.times if done and t >= done[0]]
            if frames or time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.0005)
        return (frames[0] - start) * 1000
    finally:
        table.set_source = original


async def run(url: str, today: dt.date, repeat: int) -> dict:

    from cli.main import build_parser, make_context
    from storage.db.models import Customer
    from tui.app import RapportApp

    ctx = make_context(build_parser().parse_args(["--database", url, "--today", today.isoformat()]))
    big = big_customer_id()
    big_name = Customer.get_by_id(big).name
    app = RapportApp(ctx)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await pilot.pause(0.5)
        screen = app.screen
        screen.table.focus()
        await list_keys(clock, pilot, screen.table, "customers list", repeat, out)

        samples = out.setdefault("search as you type", [])
        for word in ("gmbh", "novak", "+49 1", "zzz-nothing"):
            screen.search.focus()
            screen.search.value = ""
            await pilot.pause()
            samples.append(await search_frame(clock, pilot, screen, word))
        screen.search.value = ""
        await pilot.pause()

        samples = out.setdefault("open the big customer", [])
        for _ in range(repeat):
            screen.table.focus()
            screen.table.select_row_id(big)
            await rows_shown(screen.table)
            samples.append(
                await clock.key_to_full_frame(
                    pilot, "enter", lambda: type(app.screen).__name__ == "CustomerForm" and app.screen.is_mounted
                )
            )
            await pilot.pause(0.2)
            tab = out.setdefault("big customer: Conversations tab", [])
            tab.append(await key_until(clock, pilot, "3", lambda: conversations_shown(app)))
            await pilot.pause(0.2)
            await pilot.press("escape")
            await pilot.pause(0.2)

        screen.table.select_row_id(big)
        await rows_shown(screen.table)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await pilot.press("3")
        await pilot.pause(0.3)
        conversations = app.screen.query_one("ConversationsPanel PagedTable")
        await rows_shown(conversations)
        await list_keys(clock, pilot, conversations, "big customer's conversations", repeat, out)
        out["_check"] = [big_name, type(app.screen).__name__, str(app.focused)]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    url, today, repeat = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(asyncio.run(run(url, today, repeat))))


if __name__ == "__main__":
    main()
