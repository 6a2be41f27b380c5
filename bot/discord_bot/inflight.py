"""What a shutdown waits for: the tasks answering an interaction or a mention."""

from __future__ import annotations

import asyncio
from typing import Any


class InFlight:
    """The tasks answering an interaction or a mention, so a shutdown can wait for them.

    Used from the event loop only.
    """

    def __init__(self) -> None:
        self.accepting = True
        self._tasks: set[asyncio.Task[Any]] = set()

    def add_current_task(self) -> None:
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float) -> int:
        """Stop accepting, wait up to ``timeout`` seconds for the tasks in flight (including ones
        that arrive meanwhile, which are refused quickly); return how many were still running."""
        self.accepting = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        me = asyncio.current_task()
        while True:
            waiting = {t for t in self._tasks if t is not me and not t.done()}
            left = deadline - loop.time()
            if not waiting or left <= 0:
                return len(waiting)
            await asyncio.wait(waiting, timeout=left)
