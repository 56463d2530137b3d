"""TabStrip: one line of tabs drawn by a single widget, for forms that must open quickly.

Textual's TabbedContent builds some fourteen widgets for four tabs (a tab bar, an underline,
one widget per tab and per pane) and about 20 ms of an opening customer form went to them.
TabStrip draws the titles itself; the panes are plain containers in a ContentSwitcher, and the
screen keeps the two in step::

    yield TabStrip([("tab-general", "1 General"), ("tab-contacts", "2 Contacts")], id="tabs")
    with ContentSwitcher(initial="tab-general"):
        yield TabBody("1 General", id="tab-general")
        ...

    strip.active = "tab-contacts"      # posts TabStrip.Changed(strip, "tab-contacts")
    strip.disable("tab-contacts")      # shown dimmed, skipped by left/right and clicks

Keys when focused: left/right (and the mouse) switch tabs. The active tab is drawn reversed and
bold, so it shows without colours (NO_COLOR) too.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

GAP = " "


class TabBody(Vertical):
    """A tab's content; ``tab_title`` says where its keys apply (F1 help)."""

    DEFAULT_CSS = "TabBody { height: 1fr; }"

    def __init__(self, tab_title: str, *children: Widget, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self.tab_title = tab_title


class TabStrip(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-1)", "Previous tab", id="tab_strip.previous", show=False),
        Binding("right", "move(1)", "Next tab", id="tab_strip.next", show=False),
    ]
    COMPONENT_CLASSES = {"tab-strip--active", "tab-strip--disabled"}
    DEFAULT_CSS = """
    TabStrip {
        height: 1;
        background: $panel;
        & > .tab-strip--active { text-style: bold reverse; }
        &:focus > .tab-strip--active { text-style: bold reverse underline; }
        & > .tab-strip--disabled { color: $text-disabled; }
    }
    """

    active: reactive[str] = reactive("", init=False)

    class Changed(Message):
        """Another tab became the active one."""

        def __init__(self, strip: TabStrip, tab: str) -> None:
            super().__init__()
            self.strip = strip
            self.tab = tab

        @property
        def control(self) -> TabStrip:
            return self.strip

    def __init__(self, tabs: list[tuple[str, str]], active: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.tabs = list(tabs)
        self.disabled_tabs: set[str] = set()
        self.set_reactive(TabStrip.active, active or tabs[0][0])

    def _spans(self) -> list[tuple[str, int, int]]:
        """(tab, first cell, last cell + 1) of each title as drawn."""
        spans, x = [], len(GAP)
        for tab, title in self.tabs:
            width = len(title) + 2
            spans.append((tab, x, x + width))
            x += width + len(GAP)
        return spans

    def render(self) -> Text:
        text = Text(GAP, no_wrap=True, overflow="ellipsis")
        for tab, title in self.tabs:
            style: str | Style = ""
            if tab == self.active:
                style = self.get_component_rich_style("tab-strip--active", partial=True)
            elif tab in self.disabled_tabs:
                style = self.get_component_rich_style("tab-strip--disabled", partial=True)
            text.append(f" {title} ", style)
            text.append(GAP)
        return text

    def watch_active(self, tab: str) -> None:
        self.refresh()
        self.post_message(self.Changed(self, tab))

    def disable(self, tab: str) -> None:
        self.disabled_tabs.add(tab)
        self.refresh()

    def enable(self, tab: str) -> None:
        self.disabled_tabs.discard(tab)
        self.refresh()

    def action_move(self, step: int) -> None:
        order = [tab for tab, _ in self.tabs]
        index = order.index(self.active)
        for _ in order:
            index = (index + step) % len(order)
            if order[index] not in self.disabled_tabs:
                self.active = order[index]
                return

    def on_click(self, event: events.Click) -> None:
        for tab, first, end in self._spans():
            if first <= event.x < end and tab not in self.disabled_tabs:
                self.active = tab
                return
