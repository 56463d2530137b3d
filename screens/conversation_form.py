"""The conversation form: every field of docs/data.md#the-conversation-form in the original's order.

- The first character typed into a new Note fills in Employee (the current employee), Date
  (today) and Time Begin (now, to the minute) when they are empty.
- About starts at the employee's default topic.
- ``ctrl+s`` saves: the rules live in ``storage.records.conversations.save``; a bad field gets its
  message right under it, every typed character stays, nothing is written until all is valid.
  A locked or unreachable database is retried (``storage.db.retry``, with a notification), and
  if it stays so the form stays open with every character and says "press ctrl+s to try again".
- If someone else saved the conversation since the form loaded it, ``ctrl+s`` writes nothing
  and asks: keep mine (save over theirs) or reload theirs (``screens.changed_meanwhile``).
- ``escape`` cancels, asking first when text was typed. Unsaved text is kept as a draft.

Dismisses with the saved conversation's id, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from screens.changed_meanwhile import ChangedMeanwhileScreen
from storage.errors import ValidationError
from storage.parsing import format_date, format_time
from storage.records import conversation_choices, conversation_list, conversations
from storage.records.conversation_choices import Choices, Loaded
from storage.records.conversations import ConversationInput
from tui.dbwork import read_db, save_form
from tui.forms import SpareForm, open_drafted, open_form
from tui.styled_screen import StyledScreen
from tui.widgets.date_input import DateInput
from tui.widgets.draft_keeper import DraftKeeper, draft_opener
from tui.widgets.footer import Footer
from tui.widgets.note_area import NoteArea
from tui.widgets.paged_table import visible_text

if TYPE_CHECKING:
    from tui.app import RapportApp

TEXT_FIELDS = ("date", "follow_up", "with_whom", "time_begin", "time_end", "duration")
SELECT_FIELDS = {
    "employee": "employee_id",
    "topic": "topic_id",
    "method": "method_id",
    "pipeline_stage": "pipeline_stage_id",
}
CHECK_FIELDS = ("completed", "is_follow_up")
FIELD_ORDER = (
    "employee",
    "date",
    "follow_up",
    "note",
    "with_whom",
    "topic",
    "method",
    "completed",
    "is_follow_up",
    "pipeline_stage",
    "time_begin",
    "time_end",
    "duration",
)


class YesNo(Checkbox):
    """A compact checkbox whose mark is visible without colour (NO_COLOR): ▐X▌ or ▐ ▌."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's class attribute, per value here
        return "X" if self.value else " "


def _options(offered: tuple[tuple[str, int], ...]) -> list[tuple[Text, int]]:
    """Select options; names are user data, so they are Text, never markup."""
    return [(Text(label), value) for label, value in offered]


class SuggestingInput(Input):
    """An input whose shown suggestion tab takes, as in shells and browsers (right still
    does); without one, tab goes on to the next field."""

    BINDINGS = [Binding("tab", "accept_or_next", "Accept", id="form.accept_suggestion", show=False)]

    def action_accept_or_next(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value) and self.cursor_at_end:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


class ConversationForm(SpareForm, StyledScreen, DraftKeeper, ModalScreen[int | None]):
    AUTO_FOCUS = ""  # on_mount sets the focus; Textual's would first focus a container, restyling it all
    """New, edit or follow-up conversation for one customer."""
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used

    DRAFT_FORM = "conversation"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    SPARE = "conversation"  # tui.app keeps one built (``spare``), which ``adopt`` fills
    _default_topic: int | None = None  # About as the employee's default set it (not the user)

    def __init__(
        self, form: ConversationInput, conversation_id: int | None = None, choices: Choices | None = None
    ) -> None:
        super().__init__()
        self.form = form
        self.conversation_id = conversation_id
        self.choices = choices  # None: read when composed (a form opened without ``open_conversation_form``)
        self._autofilled = conversation_id is not None
        self._logged_follow_up = form.follows_id is not None  # opened as "log follow-up"

    @property
    def customer_id(self) -> int:
        """The customer this form is for (quick add on top of it is for them too)."""
        return self.form.customer_id

    # -- ways to open it ------------------------------------------------------------------
    # The keys that open it use ``open_conversation_form`` (below): it reads on the database
    # thread and fills the spare. These read where they are called (tests).
    @classmethod
    def new(cls, customer_id: int) -> ConversationForm:
        return cls(ConversationInput(customer_id))

    @classmethod
    def edit(cls, conversation_id: int) -> ConversationForm:
        return cls(conversations.input_for(conversation_id), conversation_id)

    @classmethod
    def spare(cls) -> ConversationForm:
        """A form for no conversation yet, built ahead (tui.app SPARES): it offers nothing
        until it ``adopt``s what a key opens it for."""
        return cls(ConversationInput(0), choices=Choices())

    @classmethod
    def from_loaded(cls, loaded: Loaded) -> ConversationForm:
        return cls(loaded.form, loaded.conversation_id, loaded.choices)

    def adopt(self, loaded: Loaded) -> None:
        """Show ``loaded`` in this form built ahead or used before: every field, line and
        choice it shows is set anew."""
        form, choices = loaded.form, loaded.choices
        self.form, self.conversation_id = form, loaded.conversation_id
        self._autofilled = loaded.conversation_id is not None
        self._logged_follow_up = form.follows_id is not None
        if choices.options != (self.choices.options if self.choices else None):
            for name, offered in choices.options.items():
                self.query_one(f"#{name}", Select).set_options(_options(offered))
        self.choices = choices
        self.query_one("#form-title", Static).update(self._title())
        self._fill(form)
        _show_errors(self.query(".error").results(Static), {})
        self._show_link()
        self._default_topic = None
        self._apply_default_topic(choices.default_topic)
        self.query_one("#with_whom", Input).suggester = None
        self._suggest_with_whom()
        self.query_one("#form-body").scroll_home(animate=False)
        self.query_one("#note", TextArea).focus()
        self.begin_again()

    # -- layout ---------------------------------------------------------------------------
    def _title(self) -> Text:
        kind = "Edit" if self.conversation_id else ("Follow-up" if self.form.follows_id else "New")
        title = Text(f"{kind} conversation — ")
        name = self.choices.customer_name if self.choices else ""
        return title.append(visible_text(name or "?"))

    def compose(self) -> ComposeResult:
        form = self.form
        if self.choices is None:
            me = self.app.ctx.employee().id  # created on first use, so it is always choosable
            self.choices = conversation_choices.choices_for(form, me, self.conversation_id is None)
        options = self.choices.options
        with Vertical(id="conversation-box"):
            yield Static(self._title(), id="form-title")
            with VerticalScroll(id="form-body"):
                with Horizontal(classes="row"):
                    yield Label("Employee & Date", classes="label")
                    yield Select(
                        _options(options.get("employee", ())),
                        value=form.employee_id or Select.NULL,
                        prompt="employee",
                        compact=True,
                        id="employee",
                    )
                    yield DateInput(form.date, placeholder="YYYY-MM-DD", compact=True, id="date")
                yield self._error("employee")
                yield self._error("date")
                yield from self._input_row("Follow Up", "follow_up", form.follow_up, "+7, fri, eom", DateInput)
                yield Label("Note", classes="label")
                yield NoteArea(form.note, compact=True, id="note")
                yield self._error("note")
                yield from self._input_row("With Whom", "with_whom", form.with_whom, "name", SuggestingInput)
                yield from self._select_row("About", "topic", form.topic_id)
                yield from self._select_row("How", "method", form.method_id)
                with Horizontal(classes="row"):
                    yield Label("Completed", classes="label")
                    yield YesNo("", form.completed, compact=True, id="completed")
                    yield Label("I.F.", classes="label short")
                    yield YesNo("", form.is_follow_up, compact=True, id="is_follow_up")
                yield self._error("is_follow_up")  # also says which follow-up it follows
                yield from self._select_row("Pipeline Position", "pipeline_stage", form.pipeline_stage_id)
                with Horizontal(classes="row"):
                    yield Label("Time Begin", classes="label")
                    yield Input(form.time_begin, placeholder="HH:MM", compact=True, id="time_begin")
                    yield Label("End", classes="label short")
                    yield Input(form.time_end, placeholder="HH:MM", compact=True, id="time_end")
                    yield Label("Minutes", classes="label short")
                    yield Input(form.duration, placeholder="auto", compact=True, id="duration")
                for name in ("time_begin", "time_end", "duration", "customer"):
                    yield self._error(name)
            yield Static(
                "Dates YYYY-MM-DD, +3, +2w, fri, eom · times HH:MM · tab next · enter lists",
                markup=False,
                id="form-hint",
            )
        yield Footer()

    def _error(self, name: str) -> Static:
        return Static("", markup=False, id=f"error-{name}", classes="error")

    def _input_row(self, label: str, name: str, value: str, placeholder: str, kind=Input):
        with Horizontal(classes="row"):
            yield Label(label, classes="label")
            yield kind(value, placeholder=placeholder, compact=True, id=name)
        yield self._error(name)

    def _select_row(self, label: str, name: str, current: int | None):
        options = _options(self.choices.options.get(name, ()) if self.choices else ())
        with Horizontal(classes="row"):
            yield Label(label, classes="label")
            yield Select(
                options, value=current if current is not None else Select.NULL, prompt="—", compact=True, id=name
            )
        yield self._error(name)

    def on_mount(self) -> None:
        self._default_topic = None
        self._apply_default_topic(self.choices.default_topic if self.choices else None)
        self.query_one("#note", TextArea).focus()
        self._suggest_with_whom()
        self._fit_drop_downs()

    def _fit_drop_downs(self) -> None:
        """A select's list opens inside the form's body: never over the hint, the border or
        the footer (Pipeline Position, near the bottom at 80x24, has 6 lines; it scrolls)."""
        for select in self.query(Select):
            self.watch(select, "expanded", self._fitter(select), init=False)

    def _fitter(self, select: Select):
        def fit(expanded: bool) -> None:
            if expanded:
                from textual.widgets._select import SelectOverlay

                room = self.query_one("#form-body").region.bottom - select.region.bottom
                select.query_one(SelectOverlay).styles.max_height = max(3, min(12, room))

        return fit

    def _suggest_with_whom(self) -> None:
        """With Whom's suggestions read the customer's whole history (18 ms for one with 45,000
        conversations): on the database thread, long before anyone reaches that field."""
        if not self.form.customer_id:
            return
        customer_id = self.form.customer_id

        def suggest(names: list[str]) -> None:
            if names and self.form.customer_id == customer_id:
                self.query_one("#with_whom", Input).suggester = SuggestFromList(names, case_sensitive=False)

        read_db(self, conversation_list.with_whom_suggestions, customer_id, done=suggest, failed=lambda _error: None)

    def _apply_default_topic(self, default: int | None) -> None:
        """About follows the employee's default topic until the user picks one (docs/data.md#the-conversation-form)."""
        topic = self.query_one("#topic", Select)
        current = None if topic.value is Select.NULL else topic.value
        if current != self._default_topic:
            return  # chosen by the user: keep it
        if default is not None and self.choices and default in self.choices.active.get("topic", ()):
            topic.value = default
            self._default_topic = default

    # -- I.F. ticked by hand (docs/data.md#the-conversation-form) -----------------------------------------------------
    @on(Checkbox.Changed, "#is_follow_up")
    def _is_follow_up_changed(self, event: Checkbox.Changed) -> None:
        """On a new conversation, ticking I.F. offers the customer's open follow-ups to link;
        unticking it drops a link chosen that way."""
        if self.conversation_id is not None or self._logged_follow_up:
            return
        if not event.value:
            self.form.follows_id = None
            self._show_link()
            return
        read_db(self, conversation_list.open_follow_ups, self.form.customer_id, done=self._offer_follow_ups)

    def _offer_follow_ups(self, rows: list[tuple]) -> None:
        if not rows:
            self.notify("This customer has no open follow-up to link.", markup=False)
            return
        from screens.follow_up_picker import FollowUpPicker

        def picked(conversation_id: int | None) -> None:
            self.form.follows_id = conversation_id
            self._show_link(next((r for r in rows if r[0] == conversation_id), None))

        self.app.push_screen(FollowUpPicker(rows), picked)

    def _show_link(self, row: tuple | None = None) -> None:
        error = self.query_one("#error-is_follow_up", Static)
        error.update(f"Follows the follow-up of {row[2]} (logged {row[1]}); saving completes it." if row else "")
        error.set_class(bool(row), "shown")

    @on(Select.Changed, "#employee")
    def _employee_changed(self, event: Select.Changed) -> None:
        if self.conversation_id is None and isinstance(event.value, int):  # an employee, not Select.NULL
            read_db(
                self,
                conversation_list.default_topic_id,
                event.value,
                done=self._apply_default_topic,
                failed=lambda _error: None,  # About stays as it is
            )

    # -- auto-fill (docs/data.md#the-conversation-form) --------------------------------------------------------------
    @on(TextArea.Changed, "#note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        if self._autofilled or not event.text_area.text:
            return
        self._autofilled = True
        ctx = self.app.ctx
        employee = self.query_one("#employee", Select)
        if employee.value is Select.NULL:
            employee.value = ctx.employee().id
        for name, value in (("date", format_date(ctx.today())), ("time_begin", format_time(ctx.now().time()))):
            field = self.query_one(f"#{name}", Input)
            if not field.value.strip():
                field.value = value

    # -- reading the fields ---------------------------------------------------------------
    def current_input(self) -> ConversationInput:
        values: dict[str, Any] = {name: self.query_one(f"#{name}", Input).value for name in TEXT_FIELDS}
        for name, attr in SELECT_FIELDS.items():
            value = self.query_one(f"#{name}", Select).value
            values[attr] = None if value is Select.NULL else value
        for name in CHECK_FIELDS:
            values[name] = self.query_one(f"#{name}", Checkbox).value
        values["note"] = self.query_one("#note", TextArea).text
        typed = self.form.duration_typed or values["duration"].strip() != self.form.duration
        return ConversationInput(
            customer_id=self.form.customer_id,
            follows_id=self.form.follows_id,
            duration_typed=typed,
            sequence=self.form.sequence,
            **values,
        )

    def draft_key(self) -> str:
        if self.conversation_id:
            return str(self.conversation_id)
        return f"customer:{self.form.customer_id}"

    def draft_values(self) -> dict:
        values = vars(self.current_input()).copy()
        values["conversation_id"] = self.conversation_id
        return values

    # -- actions --------------------------------------------------------------------------
    def action_save(self, overwrite: bool = False) -> None:
        """Save off the UI thread (tui.dbwork): a locked database says "trying again…" and
        never freezes the form; any fault is one line and the text stays. If someone else
        saved this conversation since it was loaded, nothing is written and the user chooses."""
        ctx, typed, now, conversation_id = self.app.ctx, self.current_input(), self.app.ctx.now(), self.conversation_id

        def save() -> int:  # on the database thread: even reading who I am may meet a fault
            return conversations.save(typed, now, ctx.employee().id, conversation_id, overwrite)

        save_form(self, save, done=self._saved, invalid=self.show_errors, changed=self._changed_meanwhile)

    def _saved(self, saved: int) -> None:
        self.drop_draft()
        self.dismiss(saved)

    def _changed_meanwhile(self, error) -> None:
        self.flush_draft()  # the text is safe whatever comes next
        self.app.push_screen(ChangedMeanwhileScreen("conversation"), self._choice)

    def _choice(self, choice: str | None) -> None:
        if choice == "keep":
            self.action_save(overwrite=True)
        elif choice == "reload":
            read_db(self, conversations.input_for, self.conversation_id, done=self._reloaded)

    def _reloaded(self, form: ConversationInput) -> None:
        self.form = form
        self._fill(form)
        self.reset_draft_baseline()
        self.notify("Reloaded the saved version.")

    def _fill(self, form: ConversationInput) -> None:
        """Put a stored conversation's values into the fields (reload after ChangedMeanwhile)."""
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(form, name)
        offered = self.choices.options if self.choices else {}
        for name, attr in SELECT_FIELDS.items():
            select, value = self.query_one(f"#{name}", Select), getattr(form, attr)
            ids = {row_id for _, row_id in offered.get(name, ())}
            select.value = value if value is not None and value in ids else Select.NULL
        for name in CHECK_FIELDS:
            self.query_one(f"#{name}", Checkbox).value = getattr(form, name)
        self.query_one("#note", NoteArea).put(form.note)

    def show_errors(self, errors: dict[str, str]) -> None:
        _show_errors(self.query(".error").results(Static), errors)
        first = next((name for name in FIELD_ORDER if name in errors), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
        self.notify("Not saved: " + "; ".join(errors.values()), severity="error", markup=False)

    @on(Input.Changed)
    @on(Select.Changed)
    def _recheck_errors(self) -> None:
        """An inline error goes as soon as its field is corrected, and says what is wrong now
        while it is not; fields without one get none while the user types."""
        if not self.query(".error.shown"):
            return
        ctx = self.app.ctx

        def show(errors: dict[str, str]) -> None:
            _show_errors(list(self.query(".error.shown").results(Static)), errors)

        def failed(error) -> None:  # a busy database: the messages stay until the next save
            if isinstance(error, ValidationError):
                show(error.errors)

        read_db(
            self,
            conversations.validate,
            self.current_input(),
            ctx.now(),
            ctx.employee().id,
            done=lambda _fields: show({}),
            failed=failed,
        )

    def action_cancel(self) -> None:
        self.close_form(None)


_LABELS = {
    "employee": "Employee",
    "date": "Date",
    "follow_up": "Follow Up",
    "note": "Note",
    "with_whom": "With Whom",
    "topic": "About",
    "method": "How",
    "pipeline_stage": "Pipeline Position",
    "time_begin": "Time Begin",
    "time_end": "Time End",
    "duration": "Duration",
    "customer": "Customer",
}


def _show_errors(lines, errors: dict[str, str]) -> None:
    """Each error line under its field says its field's message, or is empty and hidden."""
    for error in lines:
        name = error.id.removeprefix("error-")
        message = errors.get(name, "")
        error.update(f"{_LABELS.get(name, name)}: {message}" if message else "")
        error.set_class(bool(message), "shown")


def open_conversation_form(node, how: str, record_id: int, then: Callable | None = None, **opening) -> None:
    """A key that opens the conversation form (tui.forms): ``how`` is "new" (``record_id`` is
    the customer), "edit" (the conversation) or "follow_up" (the conversation it follows up).
    What it shows is read on the database thread; keys typed meanwhile reach the form."""
    me = node.app.ctx.employee

    def read() -> Loaded:
        form: dict[str, Callable[[int], ConversationInput]] = {
            "new": ConversationInput,
            "edit": conversations.input_for,
            "follow_up": conversations.follow_up_input,
        }
        return conversation_choices.load(form[how](record_id), record_id if how == "edit" else None, me().id)

    open_form(node, ConversationForm, read, then=then, **opening)  # (after_save: tui.forms.open_form)


@draft_opener("conversation")
def open_draft(app, draft) -> None:
    """Reopen a conversation form from a draft left by an earlier session (tui.drafts)."""
    values = dict(draft.values)
    drafted_id = values.pop("conversation_id", None)
    known = set(ConversationInput.__dataclass_fields__)
    form = ConversationInput(**{k: v for k, v in values.items() if k in known})
    me = app.ctx.employee

    def read() -> Loaded:
        conversation_id = drafted_id if drafted_id and conversation_list.row(drafted_id) is not None else None
        return conversation_choices.load(form, conversation_id, me().id)

    def build(loaded: Loaded) -> ConversationForm:
        screen = ConversationForm.from_loaded(loaded)
        screen.mark_restored()
        return screen

    open_drafted(app, read, build=build)
