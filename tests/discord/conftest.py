"""Fixtures for the Discord tests: the real briefbot client on simcord's simulated Discord, and
`briefbot run` against the fake Discord on 127.0.0.1 (``fake``, ``running_bot``).

simcord (a test dependency) runs discord.py unmodified against an in-memory Discord: the bot's
command tree, views and HTTP calls are the real ones, and no network is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from .e2e import STARTUP_TIMEOUT, TOKEN, BotProcess, start_bot, write_config
from .fake_discord import FakeDiscord
from .helpers import FakeClock, StubRouter, build_test_bot, settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def discord_settings():
    return settings()


@pytest.fixture
def router() -> StubRouter:
    return StubRouter()


@pytest.fixture
def simcord_bot(discord_settings, clock, router):
    return build_test_bot(discord_settings, clock, router)


@dataclass
class World:
    env: Any
    guild: Any
    channel: Any
    alice: Any
    bob: Any


@pytest.fixture
async def world(simcord_env) -> World:
    # Sync in the simulation so slash commands can be invoked, as after `briefbot sync`.
    await simcord_env.bot.tree.sync()
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    bob = guild.add_member(simcord_env.create_user("bob"))
    return World(simcord_env, guild, channel, alice, bob)


# -- end to end: `briefbot run` as its own process against the fake Discord on 127.0.0.1 ------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(token=TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def running_bot(fake, tmp_path) -> AsyncIterator[BotProcess]:
    bot = await start_bot(write_config(tmp_path, fake), TOKEN)
    try:
        await asyncio.wait_for(fake.identified.wait(), STARTUP_TIMEOUT)
    except TimeoutError:
        await bot.stop()
        pytest.fail(f"the bot never identified; its log:\n{bot.stderr}")
    yield bot
    if bot.process.returncode is None:
        bot.process.kill()
        await bot.process.wait()
