"""/reload: the owner re-reads the knowledge folder; anyone else is refused."""

from __future__ import annotations

from typing import Any

import pytest

from bot.discord_bot.cogs.admin import NOT_OWNER
from bot.reloader import ReloadReport

from .helpers import StubRouter


class ReloadingRouter(StubRouter):
    def __init__(self) -> None:
        super().__init__()
        self.reloads = 0

    def reload(self) -> ReloadReport:
        self.reloads += 1
        return ReloadReport(added=("new-article",), articles=2, passages=40, seconds=0.5)


@pytest.fixture
def router() -> Any:
    return ReloadingRouter()


async def test_the_owner_reloads_and_sees_what_changed(world, router) -> None:
    world.env.bot.owner_id = world.alice.id
    result = await world.alice.slash(world.channel, "reload")
    assert result.ephemeral and router.reloads == 1
    [embed] = [e.to_dict() for e in result.response.embeds]
    assert "1 added (new-article)" in embed["description"] and "2 articles, 40 passages" in embed["description"]


async def test_anyone_else_is_refused_and_nothing_reloads(world, router) -> None:
    world.env.bot.owner_id = world.alice.id
    result = await world.bob.slash(world.channel, "reload")
    assert result.ephemeral and result.response.content.endswith(NOT_OWNER) and router.reloads == 0
