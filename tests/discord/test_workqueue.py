"""The work queue and run_work: acknowledge in time whatever the backlog; past the bound, busy."""

from __future__ import annotations

import asyncio
import threading
from unittest import mock

import discord
import pytest

from bot.discord_bot import sending
from bot.discord_bot.sending import ACK_KEY, BusyError, run_work
from bot.discord_bot.workqueue import QueueFull, WorkQueue


def interaction_double() -> tuple[mock.Mock, list[dict]]:
    """A discord.Interaction double with the real attributes (spec_set), and a response that
    records defers the way discord.py's InteractionResponse does (is_done after one)."""
    interaction = mock.create_autospec(discord.Interaction, instance=True, spec_set=True)
    response = mock.create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
    deferred: list[dict] = []

    async def defer(**kwargs) -> None:
        deferred.append(kwargs)

    response.defer.side_effect = defer
    response.is_done.side_effect = lambda: bool(deferred)
    interaction.response = response
    interaction.extras = {}
    return interaction, deferred


@pytest.fixture
async def queue():
    work = WorkQueue(workers=2, limit=3)
    yield work
    work.close()


async def test_slow_work_is_deferred_before_discords_window_closes(monkeypatch, queue):
    monkeypatch.setattr(sending, "DEFER_AFTER_SECONDS", 0.01)
    interaction, deferred = interaction_double()
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "done"

    task = asyncio.ensure_future(run_work(interaction, queue, slow, ephemeral=True))
    while not deferred:
        await asyncio.sleep(0.005)
    release.set()

    assert await task == "done"
    assert deferred == [{"ephemeral": True, "thinking": True}]


async def test_fast_work_on_an_empty_queue_is_not_deferred(queue):
    interaction, deferred = interaction_double()
    assert await run_work(interaction, queue, lambda: 42, ephemeral=False) == 42
    assert deferred == []


async def test_with_a_backlog_the_interaction_is_deferred_before_its_work_starts(queue):
    release = threading.Event()
    blocker = asyncio.ensure_future(queue.run(lambda: release.wait(5)))
    await asyncio.sleep(0.01)
    started: list[bool] = []
    interaction, deferred = interaction_double()

    def work() -> str:
        started.append(bool(deferred))
        return "answer"

    task = asyncio.ensure_future(run_work(interaction, queue, work, ephemeral=False))
    while not deferred:
        await asyncio.sleep(0.005)
    release.set()

    assert await task == "answer"
    assert started == [True]  # acknowledged on the loop, not behind the queue
    assert deferred == [{"ephemeral": False, "thinking": True}]
    await blocker


async def test_past_the_bound_the_user_is_told_busy_without_work_or_defer(queue):
    release = threading.Event()
    blockers = [asyncio.ensure_future(queue.run(lambda: release.wait(5))) for _ in range(3)]
    await asyncio.sleep(0.01)
    interaction, deferred = interaction_double()
    ran: list[int] = []

    with pytest.raises(BusyError):
        await run_work(interaction, queue, lambda: ran.append(1), ephemeral=False)
    with pytest.raises(QueueFull):
        await queue.run(lambda: None)

    assert ran == [] and deferred == []
    release.set()
    await asyncio.gather(*blockers)
    assert queue.pending == 0


async def test_workers_wait_for_pending_acknowledgements_then_answer(queue):
    acknowledged = queue.expect_ack()
    loop = asyncio.get_running_loop()
    started = loop.time()
    task = asyncio.ensure_future(queue.run(loop.time))
    await asyncio.sleep(0.1)
    assert not task.done()  # held while an interaction waits for its acknowledgement
    acknowledged()
    acknowledged()  # ending the wait twice is harmless
    ran_at = await task
    assert 0.09 <= ran_at - started < 0.5


async def test_the_acknowledgement_is_reported_to_the_queue(queue):
    interaction, deferred = interaction_double()
    calls: list[int] = []
    interaction.extras[ACK_KEY] = lambda: calls.append(1)
    release = threading.Event()
    blocker = asyncio.ensure_future(queue.run(lambda: release.wait(5)))
    await asyncio.sleep(0.01)
    task = asyncio.ensure_future(run_work(interaction, queue, lambda: 1, ephemeral=False))
    while not calls:
        await asyncio.sleep(0.005)
    release.set()
    assert await task == 1 and calls == [1]
    await blocker


async def test_a_lone_question_is_not_held_back_by_its_own_acknowledgement(queue):
    interaction, deferred = interaction_double()
    interaction.extras[ACK_KEY] = queue.expect_ack()  # as interaction_check registers it
    loop = asyncio.get_running_loop()
    started = loop.time()

    assert await run_work(interaction, queue, lambda: "answer", ephemeral=False) == "answer"
    assert loop.time() - started < 0.2  # not the workers' acknowledgement wait (0.5 s)
    assert deferred == []


async def test_a_deferred_answer_waits_for_other_acknowledgements_before_it_is_sent(queue):
    release = threading.Event()
    blocker = asyncio.ensure_future(queue.run(lambda: release.wait(5)))
    await asyncio.sleep(0.01)
    other = queue.expect_ack()  # another interaction still waiting for its acknowledgement
    interaction, deferred = interaction_double()
    task = asyncio.ensure_future(run_work(interaction, queue, lambda: "answer", ephemeral=False))
    release.set()
    await asyncio.sleep(0.7)  # the work is done (past the workers' 0.5 s wait) but not handed back

    assert deferred and not task.done()
    other()
    assert await task == "answer"
    await blocker


def test_arrivals_give_each_interactions_age_once_and_stay_bounded():
    from bot.discord_bot.events import Arrivals

    now = [100.0]
    arrivals = Arrivals(clock=lambda: now[0], keep=3)
    for n in range(5):
        arrivals.stamp({"id": str(n)})
    arrivals.stamp(None)  # a malformed event is not stamped
    now[0] = 102.5

    assert arrivals.age("4") == 2.5 and arrivals.age(4) is None  # forgotten once read
    assert arrivals.age("0") is None  # only the newest 3 are kept
    assert arrivals.age(3) == 2.5


async def test_an_interaction_read_past_discords_window_is_dropped_without_a_response(world, caplog):
    import logging

    from bot.discord_bot.client import ACK_DEADLINE_SECONDS

    bot = world.env.bot
    ticks = iter([0.0, ACK_DEADLINE_SECONDS + 1.0])
    bot.arrivals._clock = lambda: next(ticks)  # stamped at 0, checked past the deadline

    with caplog.at_level(logging.WARNING, logger="briefbot.discord"):
        result = await world.alice.slash(world.channel, "ask", question="who runs Kata'ib Hezbollah?")

    assert not result.acknowledged
    assert not [r for r in world.env.http_requests if "/callback" in r.path]
    assert any("past Discord's window, dropped" in r.getMessage() for r in caplog.records)
