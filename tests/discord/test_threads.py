"""Follow-ups on Discord: /ask opens a thread on its answer, and questions in the thread continue it.

First through simcord (the real client and command tree in memory), then end to end: `briefbot
run` as a process against the fake Discord on 127.0.0.1, with threads in Discord's payload shapes.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.discord_bot.render import THREAD_NAME_CHARS, thread_name
from bot.feedback import read_votes

from .e2e import REPLY_TIMEOUT, STARTUP_TIMEOUT, TOKEN, is_callback, start_bot, write_config
from .fake_discord import BOT_ID, CHANNEL_ID, mention_message, slash_command, thread_channel
from .helpers import settings

KH_QUESTION = "Who runs Kata'ib Hezbollah?"


def field(embed, name: str) -> str | None:
    return next((f.value for f in embed.fields if f.name == name), None)


@pytest.fixture
def threaded(world):
    world.env.bot.services.settings = settings(threads=True)
    return world


# -- simcord ----------------------------------------------------------------------------------------


async def test_ask_in_a_channel_opens_a_public_thread_named_after_the_question(threaded):
    world = threaded
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert not result.ephemeral
    [thread] = world.channel.threads
    assert thread.name == KH_QUESTION
    assert thread.id in world.env.bot.services.conversations


async def test_a_mention_in_the_thread_is_answered_as_a_follow_up(threaded):
    world = threaded
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    [thread] = world.channel.threads

    await world.bob.send(thread, f"{world.env.bot.user.mention} what was he accused of?")

    reply = thread.last_message
    assert reply.author.id == world.env.bot.user.id
    assert field(reply.embeds[0], "Read as") == "What was Abu Mahdi al-Muhandis accused of?"
    assert "accused of terrorist offenses" in reply.embeds[0].description


async def test_ask_inside_the_thread_continues_it_and_opens_no_other_thread(threaded):
    world = threaded
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    [thread] = world.channel.threads

    result = await world.alice.slash(thread, "ask", question="when did he serve with the IRGC?")

    assert field(result.response.embeds[0], "Read as") == "When did Abu Mahdi al-Muhandis serve with the IRGC?"
    assert len(world.channel.threads) == 1 and thread.threads == []


async def test_a_mention_outside_a_thread_stands_alone(threaded):
    world = threaded
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    await world.alice.send(world.channel, f"{world.env.bot.user.mention} what was he accused of?")

    assert field(world.channel.last_message.embeds[0], "Read as") is None


async def test_no_thread_when_threads_are_off_or_the_answer_is_private(world):
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION)  # threads: false (helpers.settings)
    world.env.bot.services.settings = settings(threads=True)
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION, private=True)

    assert world.channel.threads == []


async def test_without_permission_to_open_threads_the_answer_still_stands(threaded):
    world = threaded
    world.env.inject_error("POST", "/channels/*/messages/*/threads", status=403)

    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert "Muhandis" in result.response.embeds[0].description
    assert not world.env.errors


async def test_thread_conversations_are_bounded(threaded):
    world = threaded
    world.env.bot.services.conversations.max_size = 2
    for question in ("Who runs Kata'ib Hezbollah?", "What is ImageSat?", "Where is al-Tanf?"):
        await world.alice.slash(world.channel, "ask", question=question)

    assert len(world.channel.threads) == 3
    assert len(world.env.bot.services.conversations) == 2


async def test_anyone_may_vote_once_and_a_second_vote_replaces_the_first(threaded, tmp_path: Path):
    from bot.feedback import FeedbackLog

    world = threaded
    path = tmp_path / "votes.jsonl"
    world.env.bot.services.feedback = FeedbackLog(path)
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    message = result.response
    up, down = (_button(message, emoji) for emoji in ("👍", "👎"))

    first = await world.bob.click(message, custom_id=up)
    second = await world.bob.click(message, custom_id=down)
    await world.alice.click(message, custom_id=up)

    assert first.ephemeral and "recorded" in first.response.content
    assert "replaces" in second.response.content
    votes, _ = read_votes(path)
    by_voter = {v.voter: v.vote for v in votes}
    assert sorted(by_voter.values()) == ["bad", "good"] and len(votes) == 2
    text = path.read_text()
    assert str(world.bob.id) not in text and str(world.alice.id) not in text


def _button(message, emoji: str) -> str:
    for row in message.components:
        children = row["components"] if isinstance(row, dict) else [c.to_dict() for c in row.children]
        for component in children:
            if (component.get("emoji") or {}).get("name") == emoji:
                return component["custom_id"]
    raise AssertionError(f"no {emoji} button in {message.components}")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("  who   runs\nKH? ", "who runs KH?"),
        ("", "briefbot answer"),
        ("word " * 40, ("word " * 19).strip() + "…"),
        ("x" * 150, "x" * 99 + "…"),
    ],
)
def test_a_thread_name_is_one_line_within_discord_limit(question: str, expected: str) -> None:
    name = thread_name(question)
    assert name == expected and len(name) <= THREAD_NAME_CHARS


# -- end to end against the fake Discord ------------------------------------------------------------


@pytest.mark.slow
async def test_a_thread_opened_by_ask_follows_on_end_to_end(fake, tmp_path):
    bot = await start_bot(write_config(tmp_path, fake), TOKEN)
    try:
        await asyncio.wait_for(fake.identified.wait(), STARTUP_TIMEOUT)
        await fake.dispatch("INTERACTION_CREATE", slash_command(9501, "ask", {"question": KH_QUESTION}))
        answer = await fake.wait_for_request(is_callback(9501), REPLY_TIMEOUT)
        created = await fake.wait_for_request(lambda r: r.path.endswith("/threads"), REPLY_TIMEOUT)
        assert created.path == f"/channels/{CHANNEL_ID}/messages/{answer.message_id}/threads"
        assert created.json["name"] == KH_QUESTION

        # A mention in the thread (its id is the answer's) is a follow-up of that conversation.
        thread_id = answer.message_id
        content = f"<@{BOT_ID}> what was he accused of?"
        await fake.dispatch("MESSAGE_CREATE", mention_message(9502, content, channel_id=thread_id))
        reply = await fake.wait_for_request(
            lambda r: r.method == "POST" and r.path == f"/channels/{thread_id}/messages", REPLY_TIMEOUT
        )
        [embed] = reply.json["embeds"]
        assert {"name": "Read as", "value": "What was Abu Mahdi al-Muhandis accused of?", "inline": False} in embed[
            "fields"
        ]
        assert "accused of terrorist offenses" in embed["description"]

        # /ask inside the thread continues it too, and opens no thread of its own.
        thread = thread_channel(thread_id, KH_QUESTION)
        await fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(9503, "ask", {"question": "when did he serve with the IRGC?"}, thread=thread),
        )
        followed = (await fake.wait_for_request(is_callback(9503), REPLY_TIMEOUT)).json["data"]
        assert "When did Abu Mahdi al-Muhandis serve with the IRGC?" in json.dumps(followed["embeds"][0]["fields"])
        await asyncio.sleep(0.2)
        assert sum(1 for r in fake.requests if r.path.endswith("/threads")) == 1
    finally:
        await bot.stop()
    assert "Traceback" not in bot.stderr


def test_a_declined_follow_up_shows_how_it_was_read(tmp_path: Path) -> None:
    from bot.conversation import Conversation
    from bot.discord_bot.render import answer_pages

    from .helpers import shipped_router

    router = shipped_router()
    conversation = Conversation()
    router.ask(KH_QUESTION, conversation=conversation)
    [embed] = answer_pages(router.ask("how old is he?", conversation=conversation))
    assert embed["title"] == "Not in the article"
    assert {"name": "Read as", "value": "How old is Abu Mahdi al-Muhandis?", "inline": False} in embed["fields"]
