"""Regenerate the README's screenshots from demo data, so they never show an old Rapport.

    .venv/bin/python docs/screenshot.py

Builds a fresh SQLite database in a temporary folder (``rapport demo``, fixed seed and date),
drives the real app headless at 100x30 with Textual's Pilot, and writes one SVG per screen
with ``App.save_screenshot`` into docs/ (followups.svg, customers.svg, conversation.svg,
pipeline.svg). Nothing of the user's own data or config is read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

TODAY = dt.date(2026, 3, 18)
SIZE = (100, 30)


async def shoot(app, pilot, name: str, *keys: str) -> None:
    if keys:
        await pilot.press(*keys)
    for _ in range(20):  # let workers fill the screen; the picture is taken when it is still
        await pilot.pause(0.05)
    app.save_screenshot(filename=f"{name}.svg", path=str(DOCS))
    print(f"wrote docs/{name}.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["HOME"] = folder  # no real config, data or drafts
        os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = folder
        os.environ["XDG_STATE_HOME"] = folder
        os.environ.pop("RAPPORT_CONFIG", None)
        url = f"sqlite:///{folder.lstrip('/')}/demo.db"

        from storage.context import Context
        from storage.db.database import close_database, open_database
        from storage.sample import demo
        from tui.app import RapportApp

        open_database(url)
        ctx = Context(url=url, today_override=TODAY, login="anna")
        demo.generate(ctx, customers=40, conversations=400, seed=7)
        app = RapportApp(ctx)
        async with app.run_test(size=SIZE) as pilot:
            await shoot(app, pilot, "followups", "f3")
            await shoot(app, pilot, "customers", "f2")
            await shoot(app, pilot, "conversation", "enter", "3")
            await pilot.press("escape")
            await shoot(app, pilot, "pipeline", "f5")
        close_database()


if __name__ == "__main__":
    asyncio.run(main())
