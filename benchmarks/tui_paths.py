"""Child process: the everyday paths of docs/performance.md in the TUI at 120x40 (issue 13). Prints one
JSON object {name: [samples_ms...]}.

    python benchmarks/tui_paths.py DATABASE_URL TODAY REPEAT

Each path is timed from the key press until the first frame written once what the key asked
for is there (the screen is on top with its focus set, the saved row is in the list, the
Follow-ups list shows the change), not merely the first frame after the key. Switching to a
main screen is timed for every mode the app has (F8, F9... are picked up from its bindings),
the first time and again. The database is a copy of the reference data on SQLite (saves change it); on PostgreSQL
the reference schema itself, which the saves leave a few conversations bigger.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import FrameClock, big_customer_id


class Paths:
    def __init__(self, app, pilot, clock: FrameClock, out: dict) -> None:
        self.app, self.pilot, self.clock, self.out = app, pilot, clock, out

    async def until(self, name: str, key: str, condition, timeout: float = 10.0, full: bool = True) -> None:
        """Press ``key``; record ms until the first frame written while ``condition()`` holds
        (checked as each frame is written, so a frame left over from before the key, or one
        drawn before the result is there, never counts); with ``full``, the first full frame
        (the key changes the screen: harness.FrameClock.full_only)."""
        await self.pilot.pause()
        self.clock.watching, self.clock.seen, self.clock.full_only = condition, None, full
        start = time.perf_counter()
        try:
            await self.pilot.press(key)
            while self.clock.seen is None:
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"{name}: no frame showed it within {timeout} s")
                await asyncio.sleep(0.0005)
        finally:
            self.clock.watching, self.clock.full_only = None, False
        self.out.setdefault(name, []).append((self.clock.seen - start) * 1000)

    def on_top(self, screen_type, focused_id: str | None = None):
        def ready() -> bool:
            screen = self.app.screen
            if type(screen).__name__ != screen_type or not screen.is_mounted:
                return False
            focused = self.app.focused
            return focused is not None and (focused_id is None or focused.id == focused_id)

        return ready

    async def wait(self, condition, what: str, timeout: float = 10.0, required: bool = True) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                if required:
                    raise TimeoutError(f"waiting for {what}")
                return
            await self.pilot.pause(0.01)

    def focus_in(self, selector: str):
        def inside() -> bool:
            focused, found = self.app.focused, self.app.screen.query(selector)
            return (
                focused is not None and bool(found) and (focused is found.first() or found.first() in focused.ancestors)
            )

        return inside

    async def back(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
        await self.pilot.pause(0.05)


def mode_keys(app) -> dict[str, str]:
    """mode -> the key that switches to it, from the app's bindings."""
    keys = {}
    for binding in app.BINDINGS:
        match = re.fullmatch(r"switch_mode\('(\w+)'\)", binding.action)
        if match:
            keys[match.group(1)] = binding.key
    return keys


async def run(url: str, today: dt.date, repeat: int) -> dict:
    from peewee import fn

    from cli.main import build_parser, make_context
    from storage.db.models import Conversation
    from tui.app import RapportApp

    ctx = make_context(build_parser().parse_args(["--database", url, "--today", today.isoformat()]))
    big = big_customer_id()
    app = RapportApp(ctx)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        p = Paths(app, pilot, clock, out)
        keys = mode_keys(app)
        # The first frame, then what the app prepares in the background after it (docs/performance.md).
        await p.wait(
            lambda: (
                getattr(app, "prepared", False)
                or (  # (tui/app.py: screens and forms)
                    not hasattr(app, "prepared") and set(keys) <= set(getattr(app, "_screen_stacks", {}))
                )
            ),
            "prepared screens",
            timeout=20,
            required=False,
        )  # (an app that prepares nothing: measured as is)
        home = app.current_mode
        for rounds in ("first", "again"):
            for mode, key in keys.items():
                if mode == home:
                    continue
                await p.until(
                    f"switch to {mode} ({rounds})", key, lambda m=mode: app.current_mode == m and app.screen.is_mounted
                )
                await p.until(
                    f"switch to {home} ({rounds})",
                    keys[home],
                    lambda: app.current_mode == home and app.screen.is_mounted,
                )
        for _ in range(repeat):
            screen = app.screen
            screen.table.focus()
            screen.table.select_row_id(big)
            await p.wait(lambda s=screen: s.table.cursor_row_id == big, "the big customer highlighted")
            await p.until("form: n new customer", "n", p.on_top("CustomerForm", "customer-name"))
            await p.back("escape")
            await p.until("form: e edit customer", "e", p.on_top("CustomerForm", "customer-name"))
            await p.back("escape")
            await p.until("picker: ctrl+n quick add", "ctrl+n", p.on_top("QuickAddScreen"))
            await p.until("picker → conversation form", "enter", p.on_top("ConversationForm", "note"))
            await p.back("escape", "escape")

        # The big customer: Contacts and Conversations tabs, their forms, a save.
        from screens.customer_form import CustomerForm

        app.push_screen(CustomerForm(big))
        await p.wait(p.on_top("CustomerForm"), "the customer")
        await pilot.press("2")
        await p.wait(p.focus_in("#contacts-pane"), "the Contacts tab")
        for _ in range(repeat):
            await p.until("form: n new contact", "n", p.on_top("ContactForm", "contact-name"))
            await p.back("escape")
            await p.wait(p.focus_in("#contacts-pane"), "back on the Contacts tab")
        await pilot.press("3")
        await p.wait(p.focus_in("ConversationsPanel"), "the Conversations tab")
        form = app.screen
        for i in range(repeat):
            await p.until("form: n new conversation", "n", p.on_top("ConversationForm", "note"))
            await pilot.press(*f"benchmark {i}")
            before = Conversation.select(fn.MAX(Conversation.id)).scalar()

            def saved_row_shown() -> bool:
                newest = Conversation.select(fn.MAX(Conversation.id)).scalar()
                table = form.query_one("ConversationsPanel PagedTable")
                return app.screen is form and newest != before and table.cursor_row_id == newest  # noqa: B023 (awaited here)

            await p.until("save: ctrl+s until the list shows the row", "ctrl+s", saved_row_shown)
            await p.until("form: e edit conversation", "e", p.on_top("ConversationForm", "note"))
            await p.back("escape")
            await p.until("form: b booking", "b", p.on_top("BookingForm"))
            await p.back("escape")
        await p.back("escape")

        # e on a conversation with a 1,000,000-character note (SPEC §12's longest).
        app.push_screen(CustomerForm(one_megabyte_note(today)))
        await p.wait(p.on_top("CustomerForm"), "the customer with the 1 MB note")
        await pilot.press("3")
        await p.wait(
            lambda: app.screen.query("ConversationsPanel PagedTable").first().cursor_row_id is not None,
            "its conversation",
        )
        for _ in range(repeat):
            await p.until("form: e on a 1 MB note", "e", p.on_top("ConversationForm", "note"))
            await p.back("escape")
        await p.back("escape")

        # Follow-ups: complete, undo, snooze (each until the list shows it).
        await pilot.press(keys.get("followups", "f3"))
        await pilot.pause(0.5)
        screen = app.screen
        screen.whose = "everyone"  # the reference data's follow-ups belong to its employees
        screen.load(False)
        await pilot.pause(0.3)
        loads: list[float] = []  # the list shown again (its rows arrive after load() returns)
        original = screen._show_summary

        def shown(*args, **kwargs):
            result = original(*args, **kwargs)
            loads.append(time.perf_counter())
            return result

        screen._show_summary = shown
        for _ in range(repeat):
            for key, name in (("c", "complete"), ("u", "undo"), ("s", "snooze"), ("u", "undo")):
                count = len(loads)
                await p.until(f"follow-ups: {key} {name}", key, lambda c=count: len(loads) > c, full=False)
    return out


def one_megabyte_note(today: dt.date) -> int:
    """A customer with one conversation whose note is 1,000,000 characters of 80-character
    lines (in the copy of the reference data); its id."""
    from storage.config import ensure_employee
    from storage.db.models import Conversation, Customer

    existing = Customer.get_or_none(Customer.number == "BENCH-1MB")
    if existing is not None:  # (PostgreSQL: the reference schema itself, measured before)
        return existing.id
    line = "Asked about the quarterly pricing, the delivery dates and the service contract. "
    note = ("\n".join([line[:79]] * (1_000_000 // 80 + 1)))[:1_000_000]
    customer = Customer.create(number="BENCH-1MB", name="Benchmark 1 MB note")
    Conversation.create(customer=customer, employee=ensure_employee("benchmark"), date=today, note=note)
    return customer.id


def main() -> None:
    url, today, repeat = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
    if not url.startswith("sqlite:///"):
        # PostgreSQL: the reference schema itself. The saves add a few conversations of the
        # big customer ("benchmark N"); c/s are undone by u; nothing else changes.
        print(json.dumps(asyncio.run(run(url, today, repeat))))
        return
    source = Path("/" + url[len("sqlite:///") :])
    copy = Path(tempfile.mkdtemp(prefix="rapport-paths-")) / "reference.db"
    shutil.copyfile(source, copy)
    try:
        print(json.dumps(asyncio.run(run("sqlite:///" + str(copy), today, repeat))))
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
