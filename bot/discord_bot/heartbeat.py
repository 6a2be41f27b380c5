"""A zombied gateway connection is closed and resumed, as Discord asks of every client.

Discord's gateway documentation: "If a client does not receive a heartbeat ACK between its
attempts at sending heartbeats, this may be due to a failed or 'zombied' connection. The client
should immediately terminate the connection with any close code besides 1000 or 1001, then
reconnect and attempt to Resume." discord.py (2.7) only restarts a connection on which nothing at
all was received for ``heartbeat_timeout`` (60 s): a connection that still delivers events but no
longer acknowledges heartbeats is never restarted, and a silent one takes a minute whatever the
heartbeat interval. :func:`watch_heartbeats` applies Discord's rule.

It reads discord.py's private heartbeat state, because discord.py exposes no public signal of a
missing ACK: ``Client.ws`` (the current DiscordWebSocket) and its ``_keep_alive`` handler's
``interval``, ``_last_ack`` (``time.perf_counter`` seconds) and ``latency`` (infinite until the
first ACK: the rule applies once the server has acknowledged a heartbeat). It then does what discord.py's own
handler does for a silent connection, ``await ws.close(4000)``, after which discord.py's connect
loop resumes the session. Should a future discord.py rename these attributes, the watchdog finds
nothing to watch and discord.py's own 60-second rule still applies.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

log = logging.getLogger("briefbot.discord")

GRACE_SECONDS = 2.0  # on top of two heartbeat intervals: a busy event loop reads ACKs late
MAX_CHECK_SECONDS = 1.0  # the watchdog looks at least this often


def zombied(keep_alive: Any, now: float) -> float | None:
    """Seconds since the last heartbeat ACK when the connection counts as zombied, else None.

    A heartbeat goes out every ``interval``; the ACK of one normally arrives before the next. No
    ACK for two intervals (plus :data:`GRACE_SECONDS`) means a heartbeat went unanswered until the
    next one was due.
    """
    interval = getattr(keep_alive, "interval", None)
    last_ack = getattr(keep_alive, "_last_ack", None)
    if not isinstance(interval, int | float) or not isinstance(last_ack, float) or interval <= 0:
        return None
    if getattr(keep_alive, "latency", None) == float("inf"):
        # No ACK yet on this connection: a server that never acknowledges (some Discord-compatible
        # ones) is not zombied; discord.py's own 60 s silence rule still applies.
        return None
    silent = now - last_ack
    return silent if silent > 2 * interval + GRACE_SECONDS else None


def _websockets(client: Any) -> list[Any]:
    """The client's gateway connections: one, or one per shard (``Client.shards`` when sharded)."""
    shards = getattr(client, "shards", None)
    if isinstance(shards, dict):
        return [getattr(getattr(info, "_parent", None), "ws", None) for info in shards.values()]
    return [getattr(client, "ws", None)]


async def watch_heartbeats(client: Any) -> None:
    """Until ``client`` closes: close (code 4000) any of its gateway connections that stopped
    acknowledging heartbeats, so discord.py reconnects and resumes it."""
    closed: list[Any] = []  # the last connections closed here (discord.py makes a new one each time)
    while not client.is_closed():
        pause = MAX_CHECK_SECONDS
        for ws in _websockets(client):
            keep_alive = getattr(ws, "_keep_alive", None)
            if ws is None or keep_alive is None or any(ws is old for old in closed):
                continue
            interval = getattr(keep_alive, "interval", None)
            if isinstance(interval, int | float) and interval > 0:
                pause = min(pause, interval / 2)
            silent = zombied(keep_alive, time.perf_counter())
            if silent is None:
                continue
            log.warning(
                "no heartbeat ACK from the gateway for %.1f s (heartbeat every %.1f s): the connection is "
                "zombied; closing it to resume the session",
                silent,
                interval,
            )
            closed[:] = [*closed[-7:], ws]
            try:
                await ws.close(4000)
            except Exception as exc:  # the socket may already be gone; discord.py reconnects either way
                log.info("closing the zombied connection: %s", exc)
        await asyncio.sleep(pause)
