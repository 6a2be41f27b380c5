"""Who may ask where and how often: the per-user cooldown and the allowed-channel list.

Plain Python with an injectable clock, so the rules are tested without Discord or real waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


class Cooldowns:
    """One shared cooldown per user across every command and mention."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """Seconds until ``user_id`` may ask again; 0 records this use and lets them through."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        if len(self._last) > 10_000:  # forget users whose cooldown ended long ago
            self._last = {uid: t for uid, t in self._last.items() if now - t < self.seconds}
        return 0.0


class ChannelPolicy:
    """The channels the bot answers in; empty means every channel."""

    def __init__(self, allowed: Iterable[int]) -> None:
        self.allowed = frozenset(int(c) for c in allowed)

    def permits(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        # A thread inherits its parent channel's permission.
        if not self.allowed:
            return True
        return channel_id in self.allowed or (parent_id is not None and parent_id in self.allowed)
