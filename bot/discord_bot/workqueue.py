"""Router calls off the event loop: a bounded queue, a few worker threads, acknowledgements first.

The event loop must stay free to acknowledge every interaction within Discord's 3-second window,
however many questions are waiting. Three rules keep it so:

- questions run in a fixed pool of worker threads (the router is read-only and thread-safe), never
  on the loop;
- at most ``limit`` questions wait or run at once: past that the caller is told the bot is busy
  (a short reply now beats an interaction that expires);
- while interactions wait to be acknowledged, workers hold off before starting the next question
  (for at most :data:`ACK_PRIORITY_SECONDS`), because answering is pure Python and a busy worker
  takes the GIL from the loop that is sending the acknowledgements; and answers already computed
  wait (at most :data:`REPLY_PRIORITY_SECONDS`) before they are sent, because sending one costs
  the loop as much as an acknowledgement, and a deferred answer has 15 minutes, an
  acknowledgement 3 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

WORKERS = 2  # BM25 answers hold the GIL: more threads add switching, not throughput
QUEUE_LIMIT = 1000  # questions waiting or running; at ~200 answers/s the last waits about 5 s
ACK_PRIORITY_SECONDS = 0.5  # longest a worker waits for acknowledgements before it answers anyway
REPLY_PRIORITY_SECONDS = 2.0  # longest a finished answer waits for acknowledgements before it is sent


class QueueFull(Exception):
    """Raised by :meth:`WorkQueue.run` when ``limit`` questions are already waiting or running."""


class WorkQueue:
    """Runs blocking calls in worker threads, at most ``limit`` at a time queued or running.

    ``run`` and ``expect_ack`` are called from the event loop only; the counters they keep are
    therefore loop-local and need no lock. The acknowledgement gate is a ``threading.Event``
    because the workers read it.
    """

    def __init__(self, workers: int = WORKERS, limit: int = QUEUE_LIMIT) -> None:
        self.limit = limit
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="briefbot-answer")
        self._pending = 0  # queued or running
        self._acknowledging = 0
        self._no_acks_waiting = threading.Event()
        self._no_acks_waiting.set()
        self._acks_settled: asyncio.Event | None = None  # created on the loop, at first use

    @property
    def pending(self) -> int:
        """Calls queued or running now."""
        return self._pending

    def full(self) -> bool:
        return self._pending >= self.limit

    async def run(self, call: Callable[[], T]) -> T:
        """``call()`` in a worker thread; :class:`QueueFull` when ``limit`` calls are pending."""
        if self.full():
            raise QueueFull()
        self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, self._after_acks, call)
        finally:
            self._pending -= 1

    def _after_acks(self, call: Callable[[], T]) -> T:
        self._no_acks_waiting.wait(ACK_PRIORITY_SECONDS)
        return call()

    def expect_ack(self) -> Callable[[], None]:
        """Count one interaction as waiting for its acknowledgement (workers hold off meanwhile);
        returns the call that ends the wait, safe to call more than once."""
        self._acknowledging += 1
        self._no_acks_waiting.clear()
        ended = False

        def acknowledged() -> None:
            nonlocal ended
            if ended:
                return
            ended = True
            self._acknowledging -= 1
            if self._acknowledging == 0:
                self._no_acks_waiting.set()
                if self._acks_settled is not None:
                    self._acks_settled.set()

        return acknowledged

    async def acknowledgements_sent(self) -> None:
        """Return once no interaction waits for its acknowledgement, or after
        :data:`REPLY_PRIORITY_SECONDS`: a computed answer lets acknowledgements go first."""
        if self._acknowledging == 0:
            return
        if self._acks_settled is None:
            self._acks_settled = asyncio.Event()
        self._acks_settled.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._acks_settled.wait(), REPLY_PRIORITY_SECONDS)

    def close(self) -> None:
        """Stop the workers; calls not yet started are cancelled."""
        self._no_acks_waiting.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
