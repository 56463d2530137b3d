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
"""

from __future__ import annotations

import importlib.metadata

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
