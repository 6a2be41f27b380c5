"""The per-user cooldown and the channel list, with a hand-moved clock."""

from __future__ import annotations

import pytest

from bot.discord_bot.guards import COOLDOWN_BURST, ChannelPolicy, Cooldowns

from .helpers import FakeClock


def test_a_burst_passes_then_one_use_per_period():
    clock = FakeClock()
    cooldowns = Cooldowns(3.0, clock)

    assert [cooldowns.retry_after(1) for _ in range(COOLDOWN_BURST)] == [0.0] * COOLDOWN_BURST
    assert cooldowns.retry_after(1) == 3.0
    clock.advance(1.0)
    assert cooldowns.retry_after(1) == pytest.approx(2.0)
    clock.advance(2.0)
    assert cooldowns.retry_after(1) == 0.0
    assert cooldowns.retry_after(1) == 3.0


def test_users_have_separate_buckets_and_zero_disables():
    clock = FakeClock()
    cooldowns = Cooldowns(10.0, clock, burst=1)
    assert cooldowns.retry_after(1) == 0.0
    assert cooldowns.retry_after(2) == 0.0
    assert cooldowns.retry_after(1) == 10.0
    assert all(Cooldowns(0.0, clock, burst=1).retry_after(1) == 0.0 for _ in range(10))


def test_channel_policy_allows_listed_channels_and_their_threads():
    assert ChannelPolicy([]).permits(5)
    policy = ChannelPolicy([5])
    assert policy.permits(5) and policy.permits(99, parent_id=5)
    assert not policy.permits(6) and not policy.permits(None)
