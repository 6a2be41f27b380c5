"""What a long-running bot keeps: nothing per answer once its views time out; in-flight work on shutdown."""

from __future__ import annotations

import asyncio
import gc

from bot.discord_bot.inflight import InFlight
from bot.discord_bot.views import OwnedView

from .helpers import settings
from .test_commands import KH_QUESTION


def live_views() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, OwnedView))


async def test_answers_leave_nothing_behind_once_their_views_time_out(world):
    before = live_views()
    for n in range(20):
        await world.alice.slash(world.channel, "ask", question=f"{KH_QUESTION} ({n})")
    assert live_views() - before == 20

    await world.env.advance_time(settings().view_timeout_seconds + 1)

    assert live_views() == before
    assert len(world.env.bot.services.in_flight) == 0
    assert world.env.bot.services.queue.pending == 0
    assert not world.env.bot.services.live._ids


async def test_drain_waits_for_work_in_flight_and_stops_accepting():
    in_flight = InFlight()
    finished: list[str] = []

    async def answering(name: str, seconds: float) -> None:
        in_flight.add_current_task()
        await asyncio.sleep(seconds)
        finished.append(name)

    tasks = [asyncio.ensure_future(answering("quick", 0.05)), asyncio.ensure_future(answering("slow", 0.2))]
    await asyncio.sleep(0)
    left = await in_flight.drain(timeout=2.0)

    assert left == 0 and finished == ["quick", "slow"] and not in_flight.accepting
    await asyncio.gather(*tasks)


async def test_drain_gives_up_after_the_grace_period():
    in_flight = InFlight()

    async def stuck() -> None:
        in_flight.add_current_task()
        await asyncio.sleep(10)

    task = asyncio.ensure_future(stuck())
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    started = loop.time()

    assert await in_flight.drain(timeout=0.1) == 1
    assert loop.time() - started < 1.0
    task.cancel()


async def test_a_straggler_sending_its_response_is_told_apart_from_one_still_computing():
    in_flight = InFlight()
    gate = asyncio.Event()

    async def answering(subject: str, sends: bool) -> None:
        in_flight.add_current_task(subject)
        if sends:
            in_flight.sending()
        await gate.wait()

    tasks = [asyncio.ensure_future(answering("computing", False)), asyncio.ensure_future(answering("sending", True))]
    await asyncio.sleep(0)

    assert [(s.subject, s.sending) for s in in_flight.stragglers()] == [("computing", False), ("sending", True)]
    gate.set()
    await asyncio.gather(*tasks)
    assert in_flight.stragglers() == [] and len(in_flight) == 0
