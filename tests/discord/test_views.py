"""Buttons survive what discord.py does to a view behind the scenes."""

from __future__ import annotations

from discord.ui.view import ViewStore

from bot.discord_bot.views import LiveButtons, PagerView


async def test_a_pager_survives_discord_refreshing_its_message():
    # discord.py calls view._refresh(components) when a MESSAGE_UPDATE arrives for a message that
    # carries a view; a view method of that name taking other arguments would crash the gateway.
    view = PagerView([{"title": "one"}, {"title": "two"}], owner_id=1, timeout=60, live=LiveButtons())
    store = ViewStore(None)  # type: ignore[arg-type]
    store.add_view(view, message_id=42)

    store.update_from_message(42, view.to_components())

    assert (view.previous.disabled, view.next.disabled) == (True, False)
