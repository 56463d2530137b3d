"""PagedTable keypresses on a fake source of 1,000,000 rows at 120x40 (not a test).

    python benchmarks/paged_table_keys.py

Prints, per key, the time spent in the table's own code (cursor action, row fetch, drawing the
changed lines) and the time to composite the whole screen afterwards. Budget: 16 ms a key.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_paged_table import FakeSource, TableApp
from tui.widgets.paged_table import PagedTable

spent = [0.0]


def timed(function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    return wrapper


for name in ("render_line", "action_cursor_down", "action_page_down", "action_last", "action_first"):
    setattr(PagedTable, name, timed(getattr(PagedTable, name)))


async def run() -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {}
    app = TableApp(FakeSource())
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(PagedTable).focus()
        await pilot.pause()
        for key in ["down"] * 20 + ["pagedown"] * 20 + ["end", "home"] * 5:
            spent[0] = 0.0
            await pilot.press(key)
            await pilot.pause()
            own = spent[0] * 1000
            start = time.perf_counter()
            app.screen._compositor.render_update(full=True)
            results.setdefault(key, []).append((own, (time.perf_counter() - start) * 1000))
    return results


def main() -> None:
    for key, samples in asyncio.run(run()).items():
        own = sorted(s[0] for s in samples)
        full = sorted(s[1] for s in samples)
        print(
            f"{key:9} table code median {own[len(own) // 2]:5.2f} ms, max {own[-1]:5.2f} ms; "
            f"whole screen composite median {full[len(full) // 2]:5.2f} ms"
        )


if __name__ == "__main__":
    main()
