"""Connections to Discord in three pools, so no kind of request waits behind another.

discord.py sends everything (REST, interaction callbacks, follow-ups and edits through its webhook
adapter, and the gateway websocket) through one ``aiohttp.ClientSession``, built in
``HTTPClient.static_login`` on the connector given as ``Client(connector=...)`` (without one,
``aiohttp.TCPConnector(limit=0)``: unbounded). One bounded pool had two faults, both seen against
a slow Discord:

- an interaction callback (the initial response, due within Discord's 3 seconds) queued behind
  other callbacks and behind follow-ups that have 15 minutes: with 64 connections and 0.3 s per
  callback, a burst of 800 had 291 callbacks past the window;
- the gateway's websocket, when it reconnects, queued for a connection behind every request
  waiting, so events stayed at Discord until the pool drained.

:class:`RoutedConnector` is an ``aiohttp.BaseConnector`` whose ``connect`` (the method
``ClientSession`` calls for every request, and aiohttp's documented connector API) hands each
request to one of three ``TCPConnector`` pools by its URL:

- ``POST /interactions/{id}/{token}/callback`` -> :data:`CALLBACK_CONNECTIONS` connections. These
  routes are not under the bot's rate limits (Discord's rate-limit documentation: interaction
  endpoints are not bound to the bot's global limit), and every one is due within 3 s, so a
  callback should never wait: the pool is as large as the process can afford (file descriptors);
- the gateway (``ws://``/``wss://``) -> its own unbounded pool (one connection per shard);
- everything else (REST, follow-ups, edits) -> :data:`REST_CONNECTIONS`, kept-alive connections
  shared in order, so a burst of 2,000 answers does not cost 2,000 TCP connects.

A ``Connection`` remembers the pool it came from and is released there.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

try:
    import resource
except ImportError:  # Windows: no RLIMIT_NOFILE to respect
    resource = None  # type: ignore[assignment]

REST_CONNECTIONS = 64
CALLBACK_CONNECTIONS = 512
# File descriptors kept for everything else (log files, the knowledge folder, the REST pool).
RESERVED_DESCRIPTORS = 256


def callback_connections(limit: int = CALLBACK_CONNECTIONS) -> int:
    """Connections for interaction callbacks: ``limit``, or fewer when the process may open fewer
    files (``RLIMIT_NOFILE`` soft limit, minus :data:`RESERVED_DESCRIPTORS`), never below 64."""
    if resource is None:
        return limit
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        return limit
    if soft == resource.RLIM_INFINITY:
        return limit
    return max(REST_CONNECTIONS, min(limit, soft - RESERVED_DESCRIPTORS))


def is_callback(url: Any) -> bool:
    """True for Discord's ``/interactions/{id}/{token}/callback`` route (any API base)."""
    path = url.path
    return path.endswith("/callback") and "/interactions/" in path


class RoutedConnector(aiohttp.BaseConnector):
    """Interaction callbacks, the gateway and the rest in separate pools (see the module doc).

    Create it with the event loop running (as every aiohttp connector).
    """

    def __init__(self, rest: int = REST_CONNECTIONS, callbacks: int | None = None) -> None:
        super().__init__(limit=0)
        self.rest = aiohttp.TCPConnector(limit=rest)
        self.callbacks = aiohttp.TCPConnector(limit=callbacks if callbacks is not None else callback_connections())
        self.gateway = aiohttp.TCPConnector(limit=0)

    def pool_for(self, url: Any) -> aiohttp.TCPConnector:
        """The pool a request to ``url`` (a ``yarl.URL``) is sent through."""
        if url.scheme in ("ws", "wss"):
            return self.gateway
        return self.callbacks if is_callback(url) else self.rest

    async def connect(self, req: Any, traces: Any, timeout: Any) -> aiohttp.connector.Connection:
        return await self.pool_for(req.url).connect(req, traces, timeout)

    async def close(self, *, abort_ssl: bool = False) -> None:  # type: ignore[override]
        pools = (self.rest, self.callbacks, self.gateway)
        await asyncio.gather(*(pool.close(abort_ssl=abort_ssl) for pool in pools), return_exceptions=True)
        await super().close(abort_ssl=abort_ssl)
