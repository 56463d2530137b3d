"""One test per private Textual attribute that Rapport's production code still uses, so that a
Textual release that changes one fails here, loudly and by name, instead of somewhere deep in
a screen. pyproject pins textual to the major version these pass on.

- ``Strip._render_cache`` (tui/terminal_safety.py): Strip.render caches its text there; the
  control-character filter fills the cache with the cleaned text.
- ``Widget._bindings`` (screens/help.py): a widget's merged bindings (its class's and its
  bases'), read by F1 for widgets that are not focused (``Screen.active_bindings`` only has
  the focused chain).
- ``App._screen_stacks``, ``App._init_mode``, ``App._modes``, ``App._replace_screen``,
  ``Screen._result_callbacks`` and ``Screen._pop_result_callback`` (tui/app.py): main screens
  prepared in the background, and an F-key closing the drill-downs of a mode not shown.
- ``MessagePump._dispatch_message`` (tui/crash.py): checked by tests/test_crash_report.py.
- ``App._css_update_count`` and ``Screen._css_update_count`` (tui/app.py, tui/styled_screen.py):
  a screen styled as it mounted is marked current, so showing it does not restyle it all.
- ``Screen._refresh_layout`` and ``Screen._compositor.render_update`` (tui/app.py): a prepared
  main screen laid out and rendered while hidden; checked by tests/test_prepared_modes.py.
- ``DOMNode.__watchers``, ``MessagePump._closed`` and ``Screen._dirty_widgets`` (tui/heap.py,
  tui/app.py): what Textual keeps of closed widgets, dropped.
- ``textual.widgets._footer.FooterKey`` (tui/widgets/footer.py): the footer's keys, built in
  their final look; checked by tests/test_screen_opening.py.
- ``Footer._bindings_ready`` and ``Footer.bindings_changed`` (tui/widgets/footer.py): the footer
  rebuilds its keys only when they change, in Textual's place.
- ``WrappedDocument``'s ``wrap``/``wrap_range``/``height`` and its four per-line lists,
  ``Document._lines`` and ``get_size``, ``TextArea._set_document``, and ``textual._wrap`` /
  ``textual._cells`` (tui/widgets/note_area.py): a 1 MB note opens without going over every line.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence

from rich.console import Console
from rich.segment import Segment
from textual.binding import Binding, BindingsMap
from textual.strip import Strip
from textual.widget import Widget


def test_textual_is_the_pinned_major_version():
    assert importlib.metadata.version("textual").split(".")[0] == "8"


def test_strip_render_fills_the_private_render_cache():
    strip = Strip([Segment("abc")], 3)
    assert strip._render_cache is None
    text = strip.render(Console())  # Textual's own, or the filter over it (tui.terminal_safety)
    assert strip._render_cache == text and "abc" in text


def test_terminal_safety_drops_control_characters_through_the_cache():
    from tui import terminal_safety

    terminal_safety.install()
    strip = Strip([Segment("a\x1b]0;pwned\x07b")], 2)
    text = strip.render(Console())
    assert "\x1b]0" not in text and "\x07" not in text and "a]0;pwnedb" in text
    assert strip._render_cache == text and strip.render(Console()) is text


def test_a_widget_keeps_its_merged_bindings_in_the_private_bindings_map():
    class Base(Widget):
        BINDINGS = [Binding("a", "one", "One", id="probe.one")]

    class Probe(Base):
        BINDINGS = [Binding("b", "two", "Two", id="probe.two")]

    bindings = Probe()._bindings
    assert isinstance(bindings, BindingsMap)
    ids = {b.id for group in bindings.key_to_bindings.values() for b in group}
    assert {"probe.one", "probe.two"} <= ids


async def test_the_screen_stack_internals_that_closing_a_hidden_modes_screens_uses():
    """RapportApp._close_pushed (an F-key closes drill-downs in a mode not shown) and the
    background preparation of main screens read a mode's stack, a screen's result callbacks and
    replace a screen through these private names."""
    from textual.app import App
    from textual.screen import Screen

    results = []

    class Pushed(Screen):
        pass

    class Host(App):
        MODES = {"a": Screen, "b": Screen}

    app = Host()
    async with app.run_test() as pilot:
        assert app._modes == Host.MODES  # the factories _init_mode calls (tui/app.py _init_styled)
        await app.switch_mode("a")
        app.push_screen(Pushed(), results.append)
        await pilot.pause()
        stack = app._screen_stacks["a"]
        assert isinstance(stack[-1], Pushed)
        pushed = stack[-1]
        assert callable(pushed._result_callbacks[-1])
        pushed._result_callbacks[-1](None)
        pushed._pop_result_callback()
        await pilot.pause()
        assert results == [None]
        assert callable(app._replace_screen) and callable(app._init_mode)


async def test_the_stylesheet_generation_that_marks_a_screen_styled():
    """A screen shown after a theme change must be restyled: Textual compares these counts."""
    from textual.app import App
    from textual.events import ScreenResume
    from textual.screen import Screen

    assert ScreenResume().refresh_styles is True

    class Host(App):
        pass

    app = Host()
    async with app.run_test() as pilot:
        before = app._css_update_count
        assert app.screen._css_update_count in (before, -1)
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        assert app._css_update_count > before
        assert isinstance(Screen()._css_update_count, int)


async def test_the_footer_builds_its_keys_once_its_bindings_are_ready():
    """tui/widgets/footer.py replaces ``Footer.bindings_changed``: Textual's sets
    ``_bindings_ready`` (compose yields no key before it) and recomposes the footer after a refresh."""
    import inspect

    from textual.app import App, ComposeResult
    from textual.widgets import Footer

    source = inspect.getsource(Footer.bindings_changed)
    assert "self._bindings_ready = True" in source and "self.call_after_refresh(self.recompose)" in source
    assert "if not self._bindings_ready" in inspect.getsource(Footer.compose)

    class Host(App):
        BINDINGS = [("x", "bell", "Ring")]

        def compose(self) -> ComposeResult:
            yield Footer()

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        assert footer._bindings_ready is True
        assert inspect.signature(footer.bindings_changed).parameters.keys() == {"screen"}


async def test_the_watchers_and_dirty_widgets_that_keep_closed_widgets_alive():
    """tui.heap.forget_closed_watchers and RapportApp._forget_closed_watchers: a widget that
    watches another is listed in its ``__watchers`` as (widget, callback) until the watched
    attribute changes; a closed widget has ``_closed``; a screen keeps the widgets it is to
    redraw in ``_dirty_widgets``."""
    from textual.app import App
    from textual.widgets import Header

    from tui.heap import forget_closed_watchers

    app = App()
    async with app.run_test() as pilot:
        header = Header()
        await app.screen.mount(header)
        watchers = getattr(app, "__watchers")["title"]
        assert any(node is header for node, _ in watchers)
        assert isinstance(app.screen._dirty_widgets, set)
        await header.remove()
        await pilot.pause()
        assert header._closed and any(node is header for node, _ in watchers)  # (still listed)
        forget_closed_watchers(app)
        assert not any(node is header for node, _ in getattr(app, "__watchers")["title"])


NOTES = [
    "",
    "one line",
    "\n\n",
    "a\tb\n\tc\t\n",
    "x" * 200 + "\n" + "wörd " * 40 + "\n日本語" * 50,
    "  lead\n trailing   \n" + "a b " * 30,
    "Ünïcödé \u05e9\u05dc\u05d5\u05dd [b]x[/b] 100% " * 10 + "\n\n\t\t",
    "emoji 👍🏽 family 👨\u200d👩\u200d👧 " * 8 + "\ncontrol\x1b[0m\x07 nbsp\xa0 soft\xad € “quoted”\r\nend",
]


def _wrapping(wrapped) -> dict:
    """A wrapped document's state, each per-line list as a list (NoteWrapping's may be views)."""
    return {
        name: list(value) if isinstance(value, Sequence) else value
        for name, value in vars(wrapped).items()
        if name not in ("document", "_wrapped_as")
    }


def test_note_wrapping_wraps_as_textual_does_and_keeps_it_through_edits():
    """NoteWrapping gives WrappedDocument's own private lists (the same names, the same values),
    row by row, wrapped or not, and after the same edits; NoteDocument measures and joins its
    lines as Document does."""
    from textual.widgets.text_area import Document, WrappedDocument

    from tui.widgets.note_area import NoteDocument, NoteWrapping

    edits = [
        ((0, 0), (0, 0), "new\tfirst "),
        ((1, 2), (2, 1), ""),
        ((0, 3), (0, 3), "\nsplit\n\n"),
        ((0, 0), (0, 0), "x" * 90),
        ((0, 0), (1, 0), ""),  # the widest line goes
        ((2, 0), (2, 1), "日本"),
    ]
    for note in NOTES:
        for width, tab in ((0, 4), (0, 8), (1, 4), (3, 8), (10, 4), (40, 8), (80, 4)):
            theirs_doc, ours_doc = Document(note), NoteDocument(note)
            theirs, ours = WrappedDocument(theirs_doc, width, tab), NoteWrapping(ours_doc, width, tab)
            for start, end, text in [((0, 0), (0, 0), "")] + edits:
                for doc, wrapped in ((theirs_doc, theirs), (ours_doc, ours)):
                    bottom = (min(end[0], doc.line_count - 1), end[1])
                    result = doc.replace_range(start, bottom, text)
                    wrapped.wrap_range(start, bottom, result.end_location)
                assert _wrapping(ours) == _wrapping(theirs), (note, width, tab, text)
                assert ours.height == theirs.height and ours.wrapped == theirs.wrapped
                assert ours_doc.get_size(tab) == theirs_doc.get_size(tab) and ours_doc.text == theirs_doc.text
            for y in range(-1, theirs.height + 2):
                assert ours.offset_to_location((5, y)) == theirs.offset_to_location((5, y))
            for line in range(theirs_doc.line_count):
                assert ours.location_to_offset((line, 2)) == theirs.location_to_offset((line, 2))
            ours.wrap(width + 1, tab)
            theirs.wrap(width + 1, tab)
            assert _wrapping(ours) == _wrapping(theirs)


def test_text_area_sets_a_document_in_the_steps_note_area_repeats():
    """NoteArea._set_document is TextArea's for plain text with its own document classes: the
    original must still take these steps, in this order."""
    import inspect

    from textual.widgets import TextArea

    source = inspect.getsource(TextArea._set_document)
    steps = [
        "self._highlight_query = None",
        "document = Document(text)",
        "self.document = document",
        "self.wrapped_document = WrappedDocument(document, tab_width=self.indent_width)",
        "self.navigator = DocumentNavigator(self.wrapped_document)",
        "self._build_highlight_map()",
        "self.move_cursor((0, 0))",
        "self._rewrap_and_refresh_virtual_size()",
    ]
    at = [source.rfind(step) for step in steps]
    assert -1 not in at and at[1:] == sorted(at[1:]), dict(zip(steps, at, strict=True))
    assert source.rstrip().endswith(steps[-1])


async def test_a_note_area_holds_what_a_text_area_holds():
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    from tui.widgets.note_area import NoteArea, NoteWrapping

    note = "\n".join(f"line {i} of the note\twith a tab" for i in range(4000))  # over WRAP_UP_TO

    class Host(App):
        def compose(self) -> ComposeResult:
            yield TextArea(note, soft_wrap=False, id="theirs")
            yield NoteArea(note, id="ours")

    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        theirs, ours = app.query_one("#theirs", TextArea), app.query_one("#ours", NoteArea)
        for area in (theirs, ours):
            area.focus()
            await pilot.press("pagedown", "pagedown", "end", "enter", *"new", "up", "home", "backspace", "x")
        await pilot.pause()
        assert (
            isinstance(ours.wrapped_document, NoteWrapping)
            and ours.navigator._wrapped_document is ours.wrapped_document
        )
        assert ours.text == theirs.text and not ours.soft_wrap
        assert (ours.cursor_location, ours.scroll_offset, ours.virtual_size) == (
            theirs.cursor_location,
            theirs.scroll_offset,
            theirs.virtual_size,
        )
        assert _wrapping(ours.wrapped_document) == _wrapping(theirs.wrapped_document)
        assert ours._highlight_query is None and ours.history.undo_stack
