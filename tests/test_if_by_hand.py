"""docs/data.md#the-conversation-form: ticking I.F. by hand on a new conversation offers the customer's open follow-ups;
the one chosen is linked ("follows") and completed on saving, as logging a follow-up does."""

from __future__ import annotations

from screens.conversation_form import ConversationForm
from screens.follow_up_picker import FollowUpPicker
from storage.db.models import Conversation
from tests import factories as f
from tests.conftest import TODAY
from tests.tui_helpers import wait_until
from tui import dbwork


async def wait_for(pilot, condition) -> None:
    await dbwork.wait_idle()
    await wait_until(pilot, condition)


async def test_tick_if_choose_and_save(app):
    acme = f.customer("Acme")
    first = f.conversation(acme, "2026-03-01", follow_up="2026-03-05", note="[b]first[/b]")
    second = f.conversation(acme, "2026-03-02", follow_up="2026-03-10", note="second")
    f.conversation(acme, "2026-03-03", follow_up="2026-03-11", note="done", completed=True, completed_on="2026-03-04")
    f.conversation(f.customer("Other"), "2026-03-01", follow_up="2026-03-05", note="not theirs")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await pilot.pause()
        form = app.screen
        await pilot.press(*"called back")
        form.query_one("#is_follow_up").focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpPicker))
        options = app.screen.query_one("OptionList")
        assert options.option_count == 2  # the customer's open ones only
        assert "[b]first[/b]" in str(options.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.form.follows_id == second.id
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
    new = Conversation.select().order_by(Conversation.id.desc()).get()
    assert (new.note, new.follows_id, new.is_follow_up) == ("called back", second.id, True)
    second = Conversation.get_by_id(second.id)
    assert (second.completed, second.completed_on) == (True, TODAY)
    assert not Conversation.get_by_id(first.id).completed


async def test_escape_links_nothing_and_untick_drops_the_link(app):
    acme = f.customer("Acme")
    open_one = f.conversation(acme, "2026-03-01", follow_up="2026-03-05", note="open")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await pilot.pause()
        form = app.screen
        await pilot.press(*"note")
        form.query_one("#is_follow_up").focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpPicker))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.form.follows_id == open_one.id
        await pilot.press("space")  # untick: no link
        await pilot.pause()
        assert form.form.follows_id is None
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpPicker))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.form.follows_id is None
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
    assert not Conversation.get_by_id(open_one.id).completed
    new = Conversation.select().order_by(Conversation.id.desc()).get()
    assert (new.is_follow_up, new.follows_id) == (True, None)
