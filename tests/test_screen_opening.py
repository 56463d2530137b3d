"""What keeps opening a screen or a form quick (docs/performance.md) without changing what it
shows: a screen is not restyled whole when shown (tui/styled_screen.py) yet follows a theme
change made while it was hidden; the footer's keys look as Textual's own (tui/widgets/footer.py);
a form field's error line appears only with an error (tui/widgets/form_field.py)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets import Input, Static

from tests.tui_helpers import screen_text, wait_until
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.form_field import FormField


class Card(StyledScreen, Screen):
    CSS = "Card Static { color: $primary; }"

    def compose(self) -> ComposeResult:
        yield Static("one", id="one")
        yield Static("two")


class Plain(Screen):
    def compose(self) -> ComposeResult:
        yield Static("plain")


class Host(App):
    MODES = {"plain": Plain, "card": Card}
    DEFAULT_MODE = "plain"


def _count_restyles(app) -> list:
    restyled: list = []
    original = app.stylesheet.update_nodes

    def update_nodes(nodes, animate=False):
        nodes = list(nodes)
        restyled.extend(nodes)
        original(nodes, animate=animate)

    app.stylesheet.update_nodes = update_nodes
    return restyled


async def test_a_pushed_styled_screen_is_not_restyled_whole_but_a_plain_one_is():
    app = Host()
    async with app.run_test() as pilot:
        restyled = _count_restyles(app)
        await app.push_screen(Card())
        await pilot.pause()
        assert not any(isinstance(node, Card) for node in restyled)
        await app.pop_screen()
        await pilot.pause()
        restyled.clear()
        await app.push_screen(Plain())  # (Textual's own: the test can tell the difference)
        await pilot.pause()
        assert any(isinstance(node, Plain) for node in restyled)


async def test_a_hidden_styled_screen_follows_a_theme_change_when_shown_again():
    app = Host()
    async with app.run_test() as pilot:
        await app.switch_mode("card")
        await pilot.pause()
        await app.switch_mode("plain")
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        await app.switch_mode("card")
        await pilot.pause()
        primary = app.current_theme.primary
        assert app.screen.query_one("#one").styles.color.hex.lower() == primary.lower()


class FooterHost(App):
    BINDINGS = [("ctrl+o", "bell", "Open"), ("ctrl+k", "bell", "Keep")]

    def __init__(self, footer) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield Input()
        yield self.footer


async def _footer_line(footer) -> str:
    app = FooterHost(footer)
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        await pilot.pause()
        return screen_text(app).splitlines()[-1]


async def test_the_footer_looks_as_textuals_compact_or_not():
    for compact in (False, True):
        ours = await _footer_line(Footer(compact=compact))
        assert "Open" in ours and "palette" in ours
        assert ours == await _footer_line(TextualFooter(compact=compact))


class FieldHost(App):
    def compose(self) -> ComposeResult:
        yield FormField("Name", Input(id="name"), id="field")


async def test_a_form_fields_error_line_appears_with_an_error_and_goes_with_it():
    app = FieldHost()
    async with app.run_test(size=(60, 8)) as pilot:
        field = app.query_one(FormField)
        assert field.error == "" and not field.query(".field-error")
        field.error = "Name is [b]required[/b]."
        await wait_until(pilot, lambda: "Name is [b]required[/b]." in screen_text(app), "the error shown")
        assert field.error == "Name is [b]required[/b]."
        field.error = ""
        await wait_until(pilot, lambda: "required" not in screen_text(app), "the error hidden")
        assert field.error == ""
