"""Who may ask where and how often: the per-user cooldown and the allowed-channel list.

Plain Python with an injectable clock, so the rules are tested without Discord or real waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

# Questions a user may ask back to back before the cooldown applies: a person who asks a couple of
# follow-ups at once is not a flood, and several quick commands in a row must not be refused.
COOLDOWN_BURST = 10


class Cooldowns:
    """One shared per-user limit across every command and mention: a token bucket that holds
    :data:`COOLDOWN_BURST` uses and regains one every ``seconds`` (the same shape as discord.py's
    ``app_commands.checks.cooldown(rate, per)``)."""

    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, burst: int = COOLDOWN_BURST
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self.burst = max(1, burst)
        # user id -> (uses left, time they were counted)
        self._buckets: dict[int, tuple[float, float]] = {}

    def retry_after(self, user_id: int) -> float:
        """Seconds until ``user_id`` may ask again; 0 records this use and lets them through."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        left, since = self._buckets.get(user_id, (float(self.burst), now))
        left = min(float(self.burst), left + (now - since) / self.seconds)
        if left < 1.0:
            self._buckets[user_id] = (left, now)
            return (1.0 - left) * self.seconds
        self._buckets[user_id] = (left - 1.0, now)
        if len(self._buckets) > 10_000:  # forget users whose bucket has refilled
            horizon = self.seconds * self.burst
            self._buckets = {uid: b for uid, b in self._buckets.items() if now - b[1] < horizon}
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
