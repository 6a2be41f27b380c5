"""An interaction's acknowledgement counts as sent once its callback is written, not when Discord answers."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
from aiohttp import web

from bot.discord_bot.acks import SentAcks


async def test_an_acknowledgement_counts_as_sent_when_its_callback_is_written_before_discord_answers():
    answer = asyncio.Event()
    arrived: list[str] = []

    async def slow_discord(request: web.Request) -> web.Response:
        arrived.append(request.path)
        await answer.wait()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/{tail:.*}", slow_discord)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v10"
    acks = SentAcks()
    sent: list[str] = []
    acks.expect(123, lambda: sent.append("123"))
    acks.expect(456, lambda: sent.append("456"))
    try:
        async with aiohttp.ClientSession(trace_configs=[acks.trace_config()]) as session:
            follow_up = asyncio.ensure_future(session.post(f"{base}/webhooks/1/interaction-token-456", json={"a": 1}))
            callback = asyncio.ensure_future(
                session.post(f"{base}/interactions/123/tok-123/callback", json={"type": 5})
            )
            while len(arrived) < 2 or not sent:
                await asyncio.sleep(0.01)
            assert sent == ["123"] and not callback.done()  # Discord has not answered yet
            answer.set()
            for request in (callback, follow_up):
                (await request).release()
    finally:
        await runner.cleanup()
    assert sent == ["123"] and len(acks) == 1  # a follow-up is no acknowledgement
    acks.forget(456)
    assert len(acks) == 0
