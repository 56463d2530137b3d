"""DraftKeeper: a Screen mixin that keeps a form's unsaved text in the database.

A form screen mixes it in and says which form it is and how to read its fields:

    class ConversationForm(DraftKeeper, ModalScreen[int | None]):
        DRAFT_FORM = "conversation"
        def draft_key(self) -> str: ...          # "" for a new record, else its id
        def draft_values(self) -> dict: ...      # the fields as plain JSON values

Then every Input/TextArea/Select/Checkbox change schedules a save of the draft, at most about
every ``DRAFT_INTERVAL`` seconds (debounced); the app flushes every open form at once on
SIGHUP/SIGTERM and on quit. After a successful save, or when the user chose to discard the
text, the form calls ``drop_draft()``. ``has_unsaved_changes()`` compares the fields with
what they held when the form opened, for the "discard typed text?" question.

Drafts are reopened on the next start (``tui.drafts``, ``screens.drafts``) by the opener each
form module registers for its form name with ``@draft_opener("customer")``.

Each open form writes a draft of its own: the stored key is the form's ``draft_key()`` plus
``~`` and a token drawn when the form first writes. So two new customers typed in two sessions
(both ``draft_key()`` "") are two drafts, and saving one never drops the other. A form reopened
from a draft (``adopting``) goes on writing, and on save dropping, that same draft; openers see
the key without the token (``base_key``).
"""

from __future__ import annotations

import functools
import secrets
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from typing import ClassVar

from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select, TextArea

from storage.records import drafts

# Every mounted form that keeps drafts; the app flushes them all on SIGHUP/SIGTERM/quit.
LIVE_FORMS: weakref.WeakSet[DraftKeeper] = weakref.WeakSet()

# Form name -> the function ``(app, draft: storage.records.drafts.DraftInfo)`` that opens that form
# filled with a draft's values; each form module registers its own with ``draft_opener``.
OPENERS: dict[str, Callable] = {}

_adopting: str | None = None  # the stored key of the draft being reopened (``adopting``)


def base_key(stored_key: str) -> str:
    """The form's ``draft_key()`` part of a stored draft key."""
    return stored_key.partition("~")[0]


@contextmanager
def adopting(stored_key: str | None):
    """Forms created inside this block write (and drop) the draft ``stored_key``: the one they
    were reopened from, never a second copy of it."""
    global _adopting
    _adopting = stored_key
    try:
        yield
    finally:
        _adopting = None


def adopting_now() -> str | None:
    """Inside ``adopting``: the stored key of the draft being reopened, for an opener that
    creates its form later (after a read): ``with adopting(key): Form(...)``."""
    return _adopting


def draft_opener(*forms: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the opener of drafts of ``forms``."""

    def register(function: Callable) -> Callable:
        @functools.wraps(function)
        def reopen(app, draft) -> None:
            with adopting(draft.key):  # the form goes on writing this draft, not a copy
                function(app, replace(draft, key=base_key(draft.key)))

        for form in forms:
            OPENERS[form] = reopen
        return reopen

    return register


class DraftKeeper:
    DRAFT_FORM: str = ""  # a class's, or (ValueForm) an instance's
    DRAFT_INTERVAL: ClassVar[float] = 2.0

    _draft_timer: Timer | None = None
    _draft_baseline: dict | None = None
    _draft_saved: dict | None = None
    _draft_stored_key: str | None = None

    # Whether a draft of this form may be in the database: reopened from one, or a write of
    # it asked for. Else there is none to drop (a form saved before its first draft write).
    _draft_in_database = False

    def __init__(self, *args, **kwargs) -> None:
        self._draft_stored_key = _adopting
        self._draft_in_database = _adopting is not None
        super().__init__(*args, **kwargs)

    def stored_draft_key(self) -> str:
        """This form's own draft: ``draft_key()`` and a token, drawn once (see the module docstring)."""
        if self._draft_stored_key is None:
            self._draft_stored_key = f"{self.draft_key()}~{secrets.token_hex(4)}"
        return self._draft_stored_key

    # -- what a form provides ---------------------------------------------------------
    def draft_key(self) -> str:
        return ""

    def draft_values(self) -> dict:
        raise NotImplementedError

    # -- lifecycle --------------------------------------------------------------------
    def on_mount(self) -> None:
        LIVE_FORMS.add(self)
        # Capture the fields as the form filled them in (its own on_mount ran first: Textual
        # calls the handlers of the MRO from the subclass down), so that loading a record is
        # not mistaken for typing. Now, not after the next refresh: keys typed ahead (type
        # ahead over SSH, a paste, a fast typist after ctrl+n) may be handled before that
        # refresh, and would then count as the form's original text: no draft, no question
        # before discarding it. Only if the form cannot answer yet, wait for a refresh.
        self._capture_baseline()
        if self._draft_baseline is None:
            self.call_after_refresh(self._capture_baseline)

    def on_unmount(self) -> None:
        LIVE_FORMS.discard(self)
        if self._draft_timer is not None:
            self._draft_timer.stop()

    def _capture_baseline(self) -> None:
        if self._draft_baseline is None:
            self._draft_baseline = self._safe_values()

    def mark_restored(self) -> None:
        """The form was opened from a draft: its text counts as unsaved until saved."""
        self._draft_baseline = {}

    def begin_again(self) -> None:
        """The form shows another record now (tui.forms: a form kept and filled again): a
        draft of its own from here on, what it shows counting as nothing typed."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._draft_saved = self._draft_stored_key = None
        self._draft_in_database = False
        LIVE_FORMS.add(self)
        self.reset_draft_baseline()

    def reset_draft_baseline(self) -> None:
        """Call after filling the form programmatically (e.g. restoring a draft)."""
        self._draft_baseline = self._safe_values()

    def _safe_values(self) -> dict | None:
        try:
            return self.draft_values()
        except Exception:  # the form is not fully composed yet
            return None

    def _login(self) -> str:
        return self.app.ctx.login

    # -- change tracking --------------------------------------------------------------
    # Plain handler names (not @on): a mixin is not built by Textual's metaclass, and Textual
    # calls the handler of every class in the MRO, so a form's own handlers still run.
    def on_input_changed(self, event: Input.Changed) -> None:
        self._draft_field_changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._draft_field_changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._draft_field_changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._draft_field_changed()

    def _draft_field_changed(self) -> None:
        if self._draft_baseline is None or self._draft_timer is not None:
            return
        self._draft_timer = self.set_timer(self.DRAFT_INTERVAL, self._draft_timer_fired)

    def _draft_timer_fired(self) -> None:
        self._draft_timer = None
        if getattr(self, "_db_saving", False):  # a save is running (tui.dbwork.save_form): it
            self._draft_field_changed()  # drops the draft when done; a write now would undo that
            return
        self.flush_draft(background=True)

    def has_unsaved_changes(self) -> bool:
        values = self._safe_values()
        return values is not None and self._draft_baseline is not None and values != self._draft_baseline

    def flush_draft(self, background: bool = False) -> None:
        """Write the draft if the fields differ from what the form opened with: now (quit,
        SIGHUP), or on the database thread (``background``: while typing, never freezing
        the form when another Rapport holds the database)."""
        if not self.DRAFT_FORM:
            return
        values = self._safe_values()
        if values is None or self._draft_baseline is None:
            return
        key, login = self.stored_draft_key(), self._login()
        write: Callable[..., object]
        args: tuple
        if values == self._draft_baseline:
            if self._draft_saved is None:
                return
            write, args, saved = drafts.discard, (self.DRAFT_FORM, key, login), None
        elif values != self._draft_saved:
            write, args, saved = drafts.save, (self.DRAFT_FORM, key, login, values), values
        else:
            return
        self._draft_in_database = True
        if background:
            from tui.dbwork import run_db

            run_db(
                self,
                write,
                *args,
                done=lambda _: self._draft_written(saved),
                failed=lambda error: self._draft_failed(error, saved),
                busy="",
            )
            return
        if saved is not None:  # the session is ending: first a file, which never waits on the database
            self._keep_in_file(saved)
        from storage.db.database import impatient

        try:
            with impatient():  # (the file holds the text: no long wait for another's lock)
                write(*args)
            self._draft_written(saved)
        except Exception as exc:  # a locked or unreachable database must not cost the text
            self._draft_failed(exc, saved)

    def _draft_written(self, saved: dict | None) -> None:
        self._draft_saved = saved
        self._forget_file()  # the database holds the draft now (or it was dropped)

    def _draft_failed(self, error: Exception, values: dict | None = None) -> None:
        if values is not None and self._keep_in_file(values):
            message = f"Draft kept in a file until the database takes it: {error}"
        else:
            message = f"Draft not saved yet: {error}"
        self.app.notify(message, severity="warning", markup=False)

    def _keep_in_file(self, values: dict) -> bool:
        from storage.records import draft_files

        try:
            draft_files.keep(self.app.ctx.url, self.DRAFT_FORM, self.stored_draft_key(), self._login(), values)
            return True
        except OSError:
            return False

    def _forget_file(self) -> None:
        from storage.records import draft_files

        try:
            draft_files.forget(self.app.ctx.url, self.DRAFT_FORM, self.stored_draft_key(), self._login())
        except OSError:
            pass

    def close_form(self, result=None, question: str = "Discard the text you typed?") -> None:
        """Escape on a form: close at once when nothing was typed, else ask first; the draft
        is dropped only when the user chose to throw the text away."""

        def close(discard: bool | None = True) -> None:
            if discard:
                self.drop_draft()
                self.dismiss(result)

        if not self.has_unsaved_changes():
            close()
            return
        from screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question), close)

    def draft_identity(self) -> tuple[str, str, str] | None:
        """(form, key, login) of this form's draft; None for a form that keeps none."""
        return (self.DRAFT_FORM, self.stored_draft_key(), self._login()) if self.DRAFT_FORM else None

    def drop_draft(self) -> None:
        """The record was saved or the text deliberately discarded: forget the draft."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        LIVE_FORMS.discard(self)
        if self.DRAFT_FORM and self._draft_in_database:  # on the database thread, after any
            from tui.dbwork import run_db  # draft write still pending

            run_db(
                self,
                drafts.discard,
                self.DRAFT_FORM,
                self.stored_draft_key(),
                self._login(),
                failed=self._draft_failed,
                busy="",
            )
        if self.DRAFT_FORM:
            self._forget_file()
        self._draft_saved, self._draft_in_database = None, False


def flush_all() -> None:
    """Write the draft of every open form now (SIGHUP, SIGTERM, quit)."""
    for form in list(LIVE_FORMS):
        form.flush_draft()
