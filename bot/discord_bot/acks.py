"""When an acknowledgement has left: the work queue's priority follows the bytes, not Discord's reply.

Workers hold off, and finished answers wait, while interactions wait for their acknowledgement
(workqueue.py): answering takes the GIL, and the event loop needs it to send acknowledgements in
Discord's 3-second window. That wait is for the loop's work, which ends when the callback request is
written; counting it until Discord answers made a slow Discord stall the answers: with callbacks
taking 1 s and a question every 50 ms, some acknowledgement was always pending, each worker waited
its full hold-off before every question and each answer its full wait before it was sent (answers
took a median 5.6 s instead of about 1).

:class:`SentAcks` is an ``aiohttp.TraceConfig`` source (discord.py's documented
``Client(http_trace=...)``, passed on to its ``ClientSession``): when the body of an interaction
callback (``POST /interactions/{id}/{token}/callback``) has been written, the interaction's
acknowledgement counts as sent :data:`SETTLE_SECONDS` later (about a round trip to Discord, which
is how long it counted against a fast one).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp

from .pools import is_callback

SETTLE_SECONDS = 0.1  # about one round trip to Discord


class SentAcks:
    """Interaction id -> the call that tells the work queue its acknowledgement has left.

    Used from the event loop only. An entry is removed when its callback is written or, failing
    that, when the interaction's task ends (:meth:`forget`), so it never grows.
    """

    def __init__(self) -> None:
        self._waiting: dict[str, Callable[[], None]] = {}

    def expect(self, interaction_id: int | str, acknowledged: Callable[[], None]) -> None:
        self._waiting[str(interaction_id)] = acknowledged

    def forget(self, interaction_id: int | str) -> None:
        self._waiting.pop(str(interaction_id), None)

    def __len__(self) -> int:
        return len(self._waiting)

    def sent(self, url: Any) -> None:
        """A request body to ``url`` (a ``yarl.URL``) was written: if it is a callback, its
        interaction's acknowledgement has left (counted :data:`SETTLE_SECONDS` later)."""
        if not is_callback(url):
            return
        parts = url.path.split("/")
        acknowledged = self._waiting.pop(parts[-3], None) if len(parts) >= 4 else None
        if acknowledged is not None:
            # Counted a round trip later, as Discord's reply would have been: in a burst the next
            # interactions arrive meanwhile and keep the workers off the loop while it reads them.
            asyncio.get_running_loop().call_later(SETTLE_SECONDS, acknowledged)

    def trace_config(self) -> aiohttp.TraceConfig:
        """The trace to give discord.py (``Client(http_trace=...)``)."""

        async def on_chunk_sent(_session: Any, _context: Any, params: aiohttp.TraceRequestChunkSentParams) -> None:
            self.sent(params.url)

        trace = aiohttp.TraceConfig()
        trace.on_request_chunk_sent.append(on_chunk_sent)
        return trace
