"""What a shutdown waits for: the tasks answering an interaction or a mention."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Straggler:
    """A task still answering when the shutdown grace ran out: the interaction or message it
    answers (``subject``), and whether it is already sending its response (then it is let finish)."""

    task: asyncio.Task[Any]
    subject: Any
    sending: bool


class InFlight:
    """The tasks answering an interaction or a mention, so a shutdown can wait for them.

    Used from the event loop only.
    """

    def __init__(self) -> None:
        self.accepting = True
        self._tasks: dict[asyncio.Task[Any], Any] = {}  # task -> the interaction or message it answers
        self._sending: set[asyncio.Task[Any]] = set()

    def add_current_task(self, subject: Any = None) -> None:
        """Count the current task as in flight, answering ``subject`` (an interaction or a message)."""
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks[task] = subject
            task.add_done_callback(self._forget)

    def sending(self) -> None:
        """The current task is sending its response: a shutdown lets it finish instead of
        interrupting it (and sending "restarting" over an answer that got through)."""
        task = asyncio.current_task()
        if task is not None and task in self._tasks:
            self._sending.add(task)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(task, None)
        self._sending.discard(task)

    def __len__(self) -> int:
        return len(self._tasks)

    def stragglers(self) -> list[Straggler]:
        """The tasks still running, oldest first (the caller's own task left out)."""
        me = asyncio.current_task()
        return [
            Straggler(task, subject, task in self._sending)
            for task, subject in self._tasks.items()
            if task is not me and not task.done()
        ]

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
