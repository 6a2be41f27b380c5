"""Exactly one response per interaction, on every path: commands, buttons, errors, refusals."""

from __future__ import annotations

import re
from collections import Counter

from bot.discord_bot.client import BUSY_MESSAGE, RESTARTING_MESSAGE
from bot.discord_bot.views import EXPIRED_MESSAGE, NOT_YOURS_MESSAGE
from bot.discord_bot.workqueue import WorkQueue

from .helpers import settings, stub_events
from .test_commands import KH_QUESTION, button, press

_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback")


def responses_per_interaction(env) -> Counter:
    """How many initial responses (interaction callbacks) the bot sent for each interaction id."""
    return Counter(m.group(1) for r in env.http_requests if r.method == "POST" and (m := _CALLBACK.search(r.path)))


def assert_one_response_each(env) -> None:
    counts = responses_per_interaction(env)
    assert counts and set(counts.values()) == {1}, counts


async def test_every_more_click_through_the_last_passage_gets_one_response(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    message = result.response
    for _ in range(2):  # 3 passages: two clicks reach the last one
        await press(world.alice, message, "More")
        message = world.channel.last_message

    assert button(message, "All passages shown")["disabled"] is True
    assert_one_response_each(world.env)
    assert EXPIRED_MESSAGE not in str([r.json for r in world.env.http_requests])
    assert not world.env.errors


async def test_a_click_by_another_user_gets_one_response(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    more_id = button(result.response, "More")["custom_id"]
    await world.alice.click(result.response, custom_id=more_id)
    not_yours = await world.bob.click(world.channel.last_message, custom_id=more_id)
    await world.alice.click(world.channel.last_message, custom_id=more_id)

    assert not_yours.ephemeral and not_yours.response.content == NOT_YOURS_MESSAGE
    assert_one_response_each(world.env)


async def test_an_expired_view_answers_each_click_once(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    world.env.inject_error("PATCH", "/webhooks/*", status=404)  # the buttons stay enabled on screen
    await world.env.advance_time(settings().view_timeout_seconds + 1)
    more_id = button(result.response, "More")["custom_id"]

    click = await world.alice.click(result.response, custom_id=more_id)

    assert click.response.content == EXPIRED_MESSAGE
    assert_one_response_each(world.env)


async def test_pager_next_to_the_last_page_and_back_gets_one_response_each(world, router):
    router.events = stub_events(20)
    result = await world.alice.slash(world.channel, "timeline")
    message = result.response
    while not button(message, "Next")["disabled"]:
        await press(world.alice, message, "Next")
        message = world.channel.last_message
    await press(world.alice, message, "Previous")

    assert_one_response_each(world.env)
    assert not world.env.errors


async def test_a_failing_button_gets_one_error_response(world, monkeypatch):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    from bot.discord_bot import views

    def explode(*args, **kwargs):
        raise RuntimeError("render exploded")

    monkeypatch.setattr(views, "to_embeds", explode)
    click = await press(world.alice, result.response, "More")

    assert click.ephemeral and "button failed" in click.response.content
    assert_one_response_each(world.env)
    assert [str(e) for e in world.env.errors] == ["render exploded"]


async def test_a_full_queue_is_one_busy_reply(world):
    world.env.bot.services.queue = WorkQueue(limit=0)
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert result.ephemeral and result.response.content == BUSY_MESSAGE
    assert_one_response_each(world.env)
    assert [type(getattr(e, "original", e)).__name__ for e in world.env.errors] == ["BusyError"]


async def test_after_shutdown_began_a_command_is_one_restarting_reply(world):
    world.env.bot.services.in_flight.accepting = False
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert result.ephemeral and result.response.content == RESTARTING_MESSAGE
    assert_one_response_each(world.env)
    assert [type(e).__name__ for e in world.env.errors] == ["Restarting"]
