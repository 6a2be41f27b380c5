"""`briefbot run` against the fake Discord when Discord misbehaves: the gateway reconnects, resumes,
replays and goes quiet; REST answers 429, 5xx, 404 10062, 400 40060 or slowly; payloads come from
DMs, threads and stale clients. Every question asked gets exactly one answer, none is lost, and the
log has no ERROR line or traceback. Sizes stay small (the benchmark, bench_discord.py, does bursts).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.discord_bot.client import RESTARTING_MESSAGE

from .burst import distinct_questions, send_burst, settle
from .e2e import REPLY_TIMEOUT, STARTUP_TIMEOUT, TOKEN, BotProcess, start_bot, write_config
from .fake_discord import (
    BOT_ID,
    FakeDiscord,
    Recorded,
    autocomplete,
    bare_command,
    button_click,
    dm_command,
    mention_message,
    rate_limited,
    request_kind,
    slash_command,
    thread_channel,
)

pytestmark = pytest.mark.slow

QUESTION = "Who runs Kata'ib Hezbollah?"


@asynccontextmanager
async def serving(fake: FakeDiscord, tmp_path: Path, **config: object) -> AsyncIterator[BotProcess]:
    """`briefbot run` connected to ``fake``; stopped (SIGTERM) on the way out."""
    bot = await start_bot(write_config(tmp_path, fake, **config), TOKEN)
    try:
        await asyncio.wait_for(fake.identified.wait(), STARTUP_TIMEOUT)
    except TimeoutError:
        await bot.stop()
        pytest.fail(f"the bot never identified; its log:\n{bot.stderr}")
    try:
        yield bot
    finally:
        if bot.process.returncode is None:
            await bot.stop()
        await bot.stderr_read


def answers(fake: FakeDiscord, interaction_id: str) -> list[Recorded]:
    """The accepted messages that answered an interaction: its callback when it carried the answer,
    else the follow-ups and edits of the original response after a defer."""
    callbacks = [r for r in fake.callbacks(interaction_id) if r.accepted]
    if not callbacks:
        return []
    if callbacks[0].json.get("type") != 5:
        return callbacks
    later = fake.followups(interaction_id) + fake.edits(interaction_id)
    return [r for r in later if r.accepted and (r.json or {}).get("embeds")]


async def answered_once(
    fake: FakeDiscord, ids: Iterable[str], timeout: float = 30.0, *, late_ok: bool = False
) -> dict[str, int]:
    """Wait until every interaction has an answer (or ``timeout`` s pass) and a moment more for any
    second one; return the interactions not answered exactly once (id -> answers). With
    ``late_ok``, an interaction the bot could only acknowledge past Discord's window (it was sent
    while the gateway was down for seconds: Discord refuses it, 10062) counts as settled."""
    ids = list(ids)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    def settled(i: str) -> bool:
        return bool(answers(fake, i)) or (late_ok and i in fake.late)

    while loop.time() < deadline and not all(settled(i) for i in ids):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    counts = {i: len(answers(fake, i)) for i in ids}
    return {i: n for i, n in counts.items() if n != 1 and not (late_ok and n == 0 and i in fake.late)}


def clean(log: str) -> list[str]:
    """ERROR lines and tracebacks in a bot's log."""
    return [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]


# -- gateway ------------------------------------------------------------------------------------------


async def test_gateway_faults_mid_burst_lose_no_question_and_answer_none_twice(fake, tmp_path):
    # Each fault in turn, with questions sent while the bot is away (Discord keeps them for the
    # session and replays them on RESUME) and every RESUME replaying 10 events the bot had read.
    fake.replay_overlap = 10
    questions = distinct_questions(140, repeat=True)
    ids: list[str] = []

    async def down_then_drop() -> None:
        fake.refuse_gateway = 2
        await fake.close_socket(None)

    faults = {
        "op 7 Reconnect": lambda: fake.send_op(7),
        "op 9 Invalid Session, resumable": lambda: fake.send_op(9, True),
        "close 4000": lambda: fake.close_socket(4000),
        "TCP dropped (1006)": lambda: fake.close_socket(None),
        "dropped, then the gateway down twice": down_then_drop,
    }

    async with serving(fake, tmp_path) as bot:
        for n, (name, fault) in enumerate(faults.items()):
            first = 2_000_000 + 100 * n
            fake.resumed.clear()
            ids += await send_burst(fake, questions[20 * n : 20 * n + 10], first_id=first)
            await fake.dispatch("MESSAGE_CREATE", mention_message(first + 50, f"<@{BOT_ID}> {questions[20 * n]}"))
            await fault()
            ids += await send_burst(fake, questions[20 * n + 10 : 20 * n + 20], first_id=first + 10)
            await asyncio.wait_for(fake.resumed.wait(), REPLY_TIMEOUT), name
        assert (fake.resumes, fake.identifies) == (5, 1)
        # Not resumable: questions already received are still answered (discord.py identifies
        # anew after its documented 5 s wait, not awaited here).
        ids += await send_burst(fake, questions[120:130], first_id=2_000_900)
        await fake.send_op(9, False)
        # Questions sent while the gateway refused connections may reach the bot past Discord's
        # 3-second window (its reconnect backs off): Discord then refuses them, and nothing else.
        wrong = await answered_once(fake, ids, late_ok=True)
    assert wrong == {}
    # No 40060 for a replayed interaction; only questions sent while the gateway was down came late.
    assert [r.path for r in fake.requests if not r.accepted and r.path.split("/")[2] not in fake.late] == []
    assert set(fake.late) <= {str(2_000_400 + k) for k in range(10, 20)}
    replies = [r.json["message_reference"]["message_id"] for r in fake.requests if r.path.endswith("/messages")]
    assert sorted(map(str, replies)) == [str(2_000_050 + 100 * n) for n in range(len(faults))]  # one per mention
    assert clean(bot.stderr) == [], bot.stderr[-4000:]
    assert bot.stderr.count("dropped a replayed INTERACTION_CREATE") >= 10
    assert "WARNING discord.client: Attempting a reconnect" in bot.stderr  # the gateway was down: one line


async def test_a_zombied_connection_is_resumed_and_an_unavailable_guild_answered(fake, tmp_path):
    fake.heartbeat_interval_ms = 250
    fake.send_guild_create = False  # READY lists the guild as unavailable, and it stays so
    async with serving(fake, tmp_path) as bot:
        ids = await send_burst(fake, distinct_questions(5), first_id=2_100_000)
        assert await answered_once(fake, ids) == {}
        fake.ack_heartbeats = False  # Discord's side is gone; the TCP connection is not
        ids += await send_burst(fake, distinct_questions(10)[5:], first_id=2_100_005)
        await asyncio.wait_for(fake.resumed.wait(), 10.0)
        fake.ack_heartbeats = True
        ids += await send_burst(fake, distinct_questions(15)[10:], first_id=2_100_010)
        wrong = await answered_once(fake, ids)
    assert wrong == {}
    assert "zombied" in bot.stderr
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


async def test_a_frame_that_is_not_a_json_object_costs_a_new_session_not_the_bot(fake, tmp_path):
    async with serving(fake, tmp_path) as bot:
        for n, frame in enumerate(['{"op": 0, "t": "INTERACTION_CREATE", "s": 9, "d": {', "[1, 2]"]):
            identified = fake.identifies
            await fake.send_raw(frame)
            await _until(lambda i=identified: fake.identifies == i + 1)
            await fake.wait_connected()
            ids = await send_burst(fake, distinct_questions(5), first_id=2_150_000 + 10 * n)
            assert await answered_once(fake, ids) == {}, frame
        assert bot.process.returncode is None
    assert bot.stderr.count("the gateway sent a frame discord.py could not read") == 2
    assert clean(bot.stderr) == []


# -- REST ---------------------------------------------------------------------------------------------


async def test_rate_limits_are_waited_out_on_callbacks_follow_ups_and_replies(fake, tmp_path):
    async with serving(fake, tmp_path) as bot:
        for scope, first in (("user", 2_200_000), ("global", 2_200_100)):
            fake.inject("callback", *rate_limited(0.4, scope=scope), times=2)
            ids = await send_burst(fake, distinct_questions(3), first_id=first)
            assert await answered_once(fake, ids) == {}, scope
        # Bursts make the bot defer, so answers go out as follow-ups.
        limited = fake.inject("followup", *rate_limited(0.3), times=3)
        for burst in range(5):
            ids = await send_burst(fake, distinct_questions(30), first_id=2_200_200 + 100 * burst)
            assert await answered_once(fake, ids) == {}
            if limited.hits == limited.times:
                break
        fake.inject("channel_message", *rate_limited(0.3), times=1)
        await fake.dispatch("MESSAGE_CREATE", mention_message(2_200_900, f"<@{BOT_ID}> {QUESTION}"))
        reply = await fake.wait_for_request(lambda r: r.path.endswith("/messages") and r.accepted, REPLY_TIMEOUT)
    assert sum(not r.accepted for r in fake.requests) == 2 + 2 + 3 + 1  # each 429 answered once
    assert fake.late == []
    assert reply.json["embeds"] and clean(bot.stderr) == []


async def test_rate_limited_autocomplete_choices_and_edits_when_buttons_time_out_are_sent_again(fake, tmp_path):
    async with serving(fake, tmp_path, view_timeout_seconds=1) as bot:
        fake.inject("callback", *rate_limited(0.3), times=1)
        await fake.dispatch("INTERACTION_CREATE", autocomplete(2_310_000, "actor", "name", "Muh"))
        choices = await fake.wait_for_request(lambda r: "/2310000/" in r.path and r.accepted)
        assert choices.json["type"] == 8 and choices.json["data"]["choices"]
        # Both kinds of message a view sits on: an interaction's original response, a reply to a mention.
        fake.inject("edit_original", *rate_limited(0.3), times=2)
        fake.inject("channel_edit", *rate_limited(0.3, scope="shared"), times=2)
        await fake.dispatch("INTERACTION_CREATE", slash_command(2_310_001, "ask", {"question": QUESTION}))
        await fake.dispatch("MESSAGE_CREATE", mention_message(2_310_002, f"<@{BOT_ID}> {QUESTION}"))
        edits = [
            await fake.wait_for_request(lambda r, k=kind: request_kind(r.method, r.path) == k and r.accepted)
            for kind in ("edit_original", "channel_edit")
        ]
    for edit in edits:
        [row] = edit.json["components"]
        assert row["components"] and all(button["disabled"] for button in row["components"])
    assert sum(r.status == 429 for r in fake.requests) == 1 + 2 + 2
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


async def test_a_server_error_on_a_follow_up_is_retried_and_answers_once(fake, tmp_path):
    async with serving(fake, tmp_path) as bot:
        fake.inject("followup", 503, {"message": "Service Unavailable", "code": 0}, times=1)
        ids = await send_burst(fake, distinct_questions(20), first_id=2_300_000)
        wrong = await answered_once(fake, ids)
    assert any(fake.callbacks(i)[0].json["type"] == 5 for i in ids)  # some were deferred
    assert sum(r.status == 503 for r in fake.requests) == 1
    assert wrong == {}
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


async def test_a_callback_discord_refuses_is_one_warning_and_never_retried(fake, tmp_path):
    refusals = {
        "2400001": (404, {"message": "Unknown interaction", "code": 10062}),
        "2400002": (400, {"message": "Interaction has already been acknowledged.", "code": 40060}),
    }
    async with serving(fake, tmp_path) as bot:
        for interaction_id, (status, body) in refusals.items():
            fake.inject("callback", status, body)
            await fake.dispatch("INTERACTION_CREATE", slash_command(int(interaction_id), "ask", {"question": QUESTION}))
            await fake.wait_for_request(lambda r, i=interaction_id: f"/{i}/" in r.path, REPLY_TIMEOUT)
        ids = await send_burst(fake, distinct_questions(3), first_id=2_400_010)
        wrong = await answered_once(fake, ids)
    assert wrong == {}
    for interaction_id in refusals:
        assert len([r for r in fake.requests if interaction_id in r.path]) == 1  # nothing after a refusal
        assert len([line for line in bot.stderr.splitlines() if interaction_id in line and "WARNING" in line]) == 1
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


async def test_slow_responses_from_discord_lose_no_question(fake, tmp_path):
    async with serving(fake, tmp_path) as bot:
        fake.inject("callback", None, delay=0.6, times=1000)
        fake.inject("followup", None, delay=1.0, times=1000)
        ids = await send_burst(fake, distinct_questions(40), first_id=2_500_000)
        wrong = await answered_once(fake, ids, timeout=60)
    assert wrong == {}
    assert fake.late == []
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


# -- payloads -----------------------------------------------------------------------------------------


async def test_interactions_of_every_shape_get_one_response_within_discords_limits(fake, tmp_path):
    old_view = button_click(0, "briefbot:more:0badc0de-7", {}, None)
    modal = slash_command(0, "", {}) | {"type": 5, "data": {"custom_id": "briefbot:form:1", "components": []}}
    stale = slash_command(0, "ask", {"question": QUESTION})
    stale["data"]["id"] = "1600000000000000999"  # a command id from before a deploy
    injection = (
        "@everyone @here <@&1800000000000000008> <@1400000000000000004> ```py\nx``` **who** runs Kata'ib Hezbollah?"
    )
    thread = thread_channel("1550000000000000001", "a thread briefbot did not open")
    plain = slash_command(0, "ask", {"question": QUESTION})
    bare_user = {"id": "1400000000000000077", "username": "bare"}  # no discriminator, avatar or global_name
    bare_member = {"user": bare_user, "joined_at": plain["member"]["joined_at"]}  # no roles, flags or nick
    number_typed = autocomplete(0, "actor", "name", "")
    number_typed["data"]["options"][0]["value"] = 12
    select = button_click(0, "briefbot:more:0badc0de-8", {}, None)
    select["data"] = {"custom_id": "briefbot:more:0badc0de-8", "component_type": 3, "values": ["a"]}
    unknown_component = button_click(0, "v2-thing", {"components": [{"type": 17, "components": [{"type": 10}]}]}, None)
    unknown_component["data"] = {"custom_id": "v2-thing", "component_type": 99, "id": 7}
    group_dm = dm_command(0, "ask", {"question": QUESTION})
    group_dm |= {"context": 2, "channel": group_dm["channel"] | {"type": 3, "name": None, "owner_id": BOT_ID}}
    other_guild = "1250000000000000009"  # a user-installed app used in a server the bot is not in
    in_other_guild = plain | {"guild_id": other_guild, "guild": {"id": other_guild, "locale": "en-US", "features": []}}
    in_other_guild |= {
        "channel": plain["channel"] | {"guild_id": other_guild},
        "authorizing_integration_owners": {"1": "1"},
    }
    cases: dict[str, tuple[dict[str, Any], str]] = {
        "DM": (dm_command(0, "ask", {"question": QUESTION}), "answer"),
        "DM timeline": (dm_command(0, "timeline", {}), "embeds"),
        "thread": (slash_command(0, "ask", {"question": QUESTION}, thread=thread), "answer"),
        "only required keys": (bare_command(0, "ask", {"question": QUESTION}), "answer"),
        "stale command id": (stale, "answer"),
        "unknown command": (slash_command(0, "summarise", {"text": "x"}), "private"),
        "6,000-character question": (slash_command(0, "ask", {"question": "who " * 1500 + "runs it?"}), "embeds"),
        "mentions and markdown": (slash_command(0, "ask", {"question": injection}), "embeds"),
        "old button": (old_view, "private"),
        "foreign button": (button_click(0, "v1-more-42", {}, None), "private"),
        "form submit": (modal, "private"),
        "autocomplete, empty": (autocomplete(0, "actor", "name", ""), "choices"),
        "autocomplete, huge": (autocomplete(0, "actor", "name", "x" * 6000), "choices"),
        "autocomplete, odd Unicode": (autocomplete(0, "timeline", "actor", "\u202e\u0000🙂\u0301ǅ\ufeff"), "choices"),
        "autocomplete, stale command": (autocomplete(0, "summarise", "text", "x"), "choices"),
        "autocomplete, option without choices": (autocomplete(0, "ask", "question", "who"), "choices"),
        "wrong option type": (slash_command(0, "actor", {"name": 7}, option_types={"name": 3}), "private"),
        "user without discriminator or avatar": (
            dm_command(0, "ask", {"question": QUESTION}) | {"user": bare_user},
            "answer",
        ),
        "member without roles or flags": (plain | {"member": bare_member}, "answer"),
        "autocomplete, a number typed": (number_typed, "choices"),
        "select menu of an old message": (select, "private"),
        "component of an unknown type": (unknown_component, "private"),
        "group DM": (group_dm, "answer"),
        "server without the bot": (in_other_guild, "answer"),
        "unknown locale and context": (plain | {"locale": "xx-YY", "guild_locale": "zz", "context": 42}, "answer"),
    }
    async with serving(fake, tmp_path) as bot:
        for n, (payload, _) in enumerate(cases.values()):
            interaction_id = str(2_600_000 + n)
            payload = payload | {"id": interaction_id, "token": f"interaction-token-{interaction_id}"}
            await fake.dispatch("INTERACTION_CREATE", payload)
        await asyncio.sleep(1.0)
        for n in range(len(cases)):
            await fake.wait_for_request(lambda r, i=2_600_000 + n: f"/{i}/" in r.path, REPLY_TIMEOUT)
        await asyncio.sleep(0.5)
    for n, (name, (_, expected)) in enumerate(cases.items()):
        [response] = fake.callbacks(2_600_000 + n)
        assert response.accepted, name
        data = response.json.get("data") or {}
        if response.json["type"] == 5:  # deferred: the message is the follow-up
            [followup] = fake.followups(2_600_000 + n)
            data = followup.json
        if expected == "choices":
            assert response.json["type"] == 8 and len(data["choices"]) <= 25, name
        elif expected == "private":
            assert data["flags"] & 64 and data["content"], name
        else:
            assert data["embeds"] and data["allowed_mentions"] == {"parse": []}, name
            if expected == "answer":
                assert "Muhandis" in data["embeds"][0]["description"], name
    shown = str([r.json for r in fake.callbacks(2_600_007) + fake.followups(2_600_007)])
    assert "@everyone" not in shown and "@here" not in shown and "<@&" not in shown and "<@1" not in shown
    assert fake.refused == []  # every message within Discord's limits
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


# -- restarts -----------------------------------------------------------------------------------------


async def _until(condition, timeout: float = REPLY_TIMEOUT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_second_start_waits_and_takes_over_when_the_first_stops(fake, tmp_path):
    config = write_config(tmp_path, fake)
    async with serving(fake, tmp_path) as first:
        second = await start_bot(config, TOKEN)
        try:
            await _until(lambda: "is running with this bot token: waiting" in second.stderr, STARTUP_TIMEOUT)
            ids = await send_burst(fake, distinct_questions(20), first_id=2_700_000)
            assert fake.identifies == 1  # only the first is connected: nothing is answered twice
            await first.stop()
            await _until(lambda: fake.identifies == 2)
            await fake.wait_connected()
            ids += await send_burst(fake, distinct_questions(30)[20:], first_id=2_700_020)
            wrong = await answered_once(fake, ids)
            assert await second.stop() == 0
        finally:
            if second.process.returncode is None:
                second.process.kill()
            await second.exited()
    assert wrong == {}
    assert first.process.returncode == 0
    assert "taking over" in second.stderr
    assert clean(first.stderr) == [] and clean(second.stderr) == []


async def test_a_second_start_alongside_a_running_one_exits_with_one_line(fake, tmp_path):
    async with serving(fake, tmp_path):
        second = await start_bot(write_config(tmp_path, fake, takeover_wait_seconds=0.5), TOKEN)
        code = await asyncio.wait_for(second.exited(), STARTUP_TIMEOUT)
    assert code == 1
    last = second.stderr.strip().splitlines()[-1]
    assert last.startswith("briefbot: error: another briefbot (pid ") and "stop it first" in last
    assert "Traceback" not in second.stderr and fake.identifies == 1


# -- load against a slow Discord ----------------------------------------------------------------------


async def test_a_burst_against_a_slow_discord_is_acknowledged_within_the_window(fake, tmp_path):
    # Every callback takes Discord 1 s: a pool shared with follow-ups (or too small) makes the
    # acknowledgements queue behind each other and the later ones miss the 3-second window (with
    # one pool of 64, about 64 a second got through). The benchmark runs 800 at 0.3 s each.
    fake.inject("callback", None, delay=1.0, times=10_000)
    async with serving(fake, tmp_path) as bot:
        ids = await send_burst(fake, distinct_questions(300, repeat=True), first_id=2_800_000)
        outcomes = await settle(fake, ids, timeout=120)
    assert fake.late == []
    assert Counter(o.kind for o in outcomes) == {"answered": 300}
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


async def test_a_gateway_reconnect_during_a_burst_of_slow_follow_ups_resumes_at_once(fake, tmp_path):
    # Follow-ups take Discord 5 s each, so the REST pool is full and requests queue for it; the
    # gateway's new connection must not queue with them, or the events Discord holds for the
    # session (these 20 interactions) reach the bot past their 3-second window.
    slow = fake.inject("followup", None, delay=5.0, times=10_000)
    async with serving(fake, tmp_path) as bot:
        ids = await send_burst(fake, distinct_questions(150), first_id=2_900_000)
        await _until(lambda: slow.hits >= 60)  # about as many follow-ups as the pool holds are at Discord
        await asyncio.sleep(0.5)  # and more wait for a connection
        fake.resumed.clear()
        await fake.send_op(7)
        after = await send_burst(fake, distinct_questions(20), first_id=2_900_500)
        await asyncio.wait_for(fake.resumed.wait(), REPLY_TIMEOUT)
        await _until(lambda: all(fake.callbacks(i) for i in after))
        acknowledged_late = list(fake.late)
        fake.faults.remove(slow)
        wrong = await answered_once(fake, ids + after, timeout=60)
    assert acknowledged_late == [] and wrong == {}
    assert clean(bot.stderr) == [], bot.stderr[-4000:]


# -- shutdown -----------------------------------------------------------------------------------------


async def test_answers_still_in_flight_after_the_shutdown_grace_are_told_to_ask_again(fake, tmp_path):
    # A short grace and a burst the bot cannot finish in it: every interaction it acknowledged
    # ("thinking...") ends with its answer or a note that briefbot is restarting, never "thinking..."
    async with serving(fake, tmp_path, shutdown_grace_seconds=0.3) as bot:
        ids = await send_burst(fake, distinct_questions(400, repeat=True), first_id=3_000_000)
        await fake.dispatch("MESSAGE_CREATE", mention_message(3_000_900, f"<@{BOT_ID}> {QUESTION}"))
        await _until(lambda: sum(bool(fake.callbacks(i)) for i in ids) >= 100)
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await bot.stop() == 0
        stopped_in = loop.time() - started
    thinking, told = [], 0
    for interaction_id in ids:
        callbacks = [r for r in fake.callbacks(interaction_id) if r.accepted]
        if not callbacks or callbacks[0].json["type"] != 5:
            continue
        if answers(fake, interaction_id):
            continue
        notes = [
            r
            for r in fake.edits(interaction_id)
            if r.accepted and RESTARTING_MESSAGE in (r.json or {}).get("content", "")
        ]
        if notes:
            told += 1
            assert notes[0].json["embeds"] == [] and notes[0].json["components"] == []
        else:
            thinking.append(interaction_id)
    assert thinking == [] and told > 0, bot.stderr[-3000:]
    [reply] = [r for r in fake.requests if r.path.endswith("/messages") and r.method == "POST"]
    assert reply.json.get("embeds") or reply.json["content"] == RESTARTING_MESSAGE, reply.json
    assert stopped_in < 0.3 + 5.0 + 3.0  # the grace, the notes' bound, closing
    assert clean(bot.stderr) == [], bot.stderr[-4000:]
