"""A full disk while saving (issue 13, docs/screens.md#keyboard-and-ssh): the database lives on a small tmpfs that a
filler file fills up. ctrl+s says so in one line and keeps the text; once space is freed, ctrl+s
saves it. Skipped where a tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN)."""

from __future__ import annotations

import os
import subprocess

import pytest
from textual.widgets import TextArea

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation
from tests import factories
from tests.conftest import make_ctx
from tests.locking import shown
from tests.tui_helpers import type_text, wait_until

TYPED = "Before the disk filled up "
PASTED = "a long pasted note, line after line\n" * 8_000  # ~290 KB: many pages to write


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        from storage.db.database import close_database

        close_database()
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder) -> object:
    """Fill the file system up; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(fd)
    return filler


async def test_save_on_a_full_disk_keeps_the_text_and_saves_after_space_is_freed(small_disk):
    from tui.app import RapportApp

    ctx = make_ctx("sqlite:///" + str(small_disk / "rapport.db"))  # sqlite:////absolute
    acme = factories.customer("Acme")
    ctx.employee()
    app = RapportApp(ctx)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        await type_text(pilot, TYPED)
        app.focused.insert(PASTED)  # a paste
        filler = fill(small_disk)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved: the disk is full" in shown(app), what="the message")
        assert isinstance(app.screen, ConversationForm) and app.is_running
        assert app.screen.query_one("#note", TextArea).text == TYPED + PASTED
        assert app.crash_reports == []

        filler.unlink()  # space freed
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConversationForm), what="the save")
        assert Conversation.get().note == TYPED + PASTED
