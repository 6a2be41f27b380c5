"""`briefbot run` under production conditions, against the fake Discord on 127.0.0.1: bursts of
distinct questions, Discord's 3-second window enforced, malformed events in the stream, SIGTERM
during a burst. Smaller than the benchmark's sizes (benchmarks/bench_discord.py) to keep CI short."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import pytest

from .burst import distinct_questions, expected_embed, same_answer, send_burst, settle
from .e2e import REPLY_TIMEOUT, is_callback
from .fake_discord import BOT_ID, BOT_ROLE_ID, CHANNEL_ID, button_click, mention_message, slash_command

pytestmark = pytest.mark.slow


async def test_a_burst_of_distinct_questions_is_answered_in_full_each_as_when_asked_alone(fake, running_bot):
    questions = distinct_questions(150)
    ids = await send_burst(fake, questions, first_id=100_000)
    outcomes = await settle(fake, ids, timeout=60)

    assert Counter(o.kind for o in outcomes) == {"answered": 150}
    differing = [q for q, o in zip(questions, outcomes, strict=True) if not same_answer(o.embed, expected_embed(q))]
    assert differing == []
    assert fake.late == []  # every first response inside Discord's 3-second window
    assert all(len(fake.callbacks(i)) == 1 for i in ids)


async def test_a_large_burst_is_acknowledged_in_time_and_answered_or_told_busy(fake, running_bot):
    questions = distinct_questions(250)
    ids = await send_burst(fake, questions, first_id=200_000)
    outcomes = await settle(fake, ids, timeout=90)

    kinds = Counter(o.kind for o in outcomes)
    assert set(kinds) <= {"answered", "busy"} and kinds["answered"] > 0, kinds
    assert fake.late == []


def _malformed(n: int) -> object:
    good = slash_command(n, "ask", {"question": "who runs Kata'ib Hezbollah?"})
    shapes = [
        None,
        [good],
        {k: v for k, v in good.items() if k != "id"},
        {k: v for k, v in good.items() if k != "type"},
        {k: v for k, v in good.items() if k != "token"},
        good | {"id": "not-a-number"},
        good | {"member": {k: v for k, v in good["member"].items() if k != "user"}},
        good | {"application_id": None},
        button_click(n, "briefbot:more:x", {}, None) | {"data": {"component_type": 2}},
        good | {"member": good["member"] | {"user": {"id": ["1"]}}},
    ]
    return shapes[(n // 10) % len(shapes)]


async def test_malformed_events_in_a_stream_are_dropped_and_every_good_one_answered(fake, running_bot):
    questions = distinct_questions(90)
    good_ids = []
    for index in range(100):
        if index % 10 == 9:
            await fake.dispatch("INTERACTION_CREATE", _malformed(index))
        else:
            good_ids += await send_burst(fake, [questions[len(good_ids)]], first_id=300_000 + index)
    outcomes = await settle(fake, good_ids, timeout=60)

    assert Counter(o.kind for o in outcomes) == {"answered": 90}
    assert running_bot.process.returncode is None
    dropped = [line for line in running_bot.stderr.splitlines() if "dropped a malformed INTERACTION_CREATE" in line]
    assert len(dropped) == 10


async def test_options_of_the_wrong_type_get_a_specific_private_message(fake, running_bot):
    cases = {
        401: ({"question": 42}, 'The option "question" must be text, not a number.'),
        402: ({"question": None}, 'The option "question" must be text, not empty (null).'),
        403: ({"question": ["who"]}, 'The option "question" must be text, not a list.'),
        404: ({"question": "who runs it?", "private": "yes"}, 'The option "private" must be true or false, not text.'),
    }
    for interaction_id, (options, _) in cases.items():
        types = {"question": 3, "private": 5}
        await fake.dispatch("INTERACTION_CREATE", slash_command(interaction_id, "ask", options, option_types=types))
    for interaction_id, (_, message) in cases.items():
        reply = await fake.wait_for_request(is_callback(interaction_id), REPLY_TIMEOUT)
        assert reply.json["type"] == 4 and reply.json["data"]["flags"] & 64
        assert reply.json["data"]["content"] == message
    assert " ERROR " not in running_bot.stderr


async def test_the_last_more_click_is_answered_once(fake, running_bot):
    await fake.dispatch("INTERACTION_CREATE", slash_command(501, "ask", {"question": "Who runs Kata'ib Hezbollah?"}))
    reply = await fake.wait_for_request(is_callback(501), REPLY_TIMEOUT)
    more = reply.json["data"]["components"][0]["components"][0]["custom_id"]
    for click in (502, 503):  # three passages: the second click shows the last
        await fake.dispatch("INTERACTION_CREATE", button_click(click, more, reply.json["data"], reply.message_id))
        shown = await fake.wait_for_request(is_callback(click), REPLY_TIMEOUT)
        assert shown.json["type"] == 7  # the message, updated
    await asyncio.sleep(1.0)  # room for a second, wrong response to arrive

    assert [len(fake.callbacks(i)) for i in (501, 502, 503)] == [1, 1, 1]
    last = fake.callbacks(503)[0].json["data"]
    assert len(last["embeds"]) == 3 and last["components"][0]["components"][0]["disabled"] is True


async def test_a_mention_of_the_bots_managed_role_is_answered(fake, running_bot):
    await fake.dispatch(
        "MESSAGE_CREATE", mention_message(601, f"<@&{BOT_ROLE_ID}> who runs Kata'ib Hezbollah?", role=True)
    )
    reply = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages", REPLY_TIMEOUT
    )

    assert str(reply.json["message_reference"]["message_id"]) == "601"
    [embed] = reply.json["embeds"]
    assert embed["title"] == "Q: who runs Kata'ib Hezbollah?" and "Muhandis" in embed["description"]
    assert f"<@{BOT_ID}>" not in str(reply.json)


async def test_sigterm_during_a_burst_answers_what_was_received_and_exits_cleanly(fake, running_bot):
    questions = distinct_questions(80)
    ids = await send_burst(fake, questions, first_id=700_000)
    await asyncio.sleep(0.3)  # the bot has read the burst and is answering it
    code = await running_bot.stop(signal.SIGTERM)
    outcomes = await settle(fake, ids, timeout=5)

    assert code == 0
    kinds = Counter(o.kind for o in outcomes)
    # Every interaction the bot received got its one response; none was dropped by the shutdown.
    assert set(kinds) <= {"answered", "restarting"} and kinds["answered"] >= 1, kinds
    acknowledged = [o for o in outcomes if fake.callbacks(o.interaction_id)]
    assert all(o.kind == "answered" for o in acknowledged if fake.callbacks(o.interaction_id)[0].json["type"] == 5)
    log = running_bot.stderr
    assert " ERROR " not in log and "Traceback" not in log
    assert "SIGTERM received" in log
