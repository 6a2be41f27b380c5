"""/timeline [year] [actor]"""

from __future__ import annotations

import discord
from discord import app_commands

from ..render import timeline_pages
from .base import BriefbotCog, choices_for


class TimelineCog(BriefbotCog):
    @app_commands.command(name="timeline", description="The article's dated events in order, with quotes.")
    @app_commands.describe(
        year="A year (2019) or a range of years (2014-2016)",
        actor="Only events involving this actor (any of its names)",
    )
    async def timeline(
        self, interaction: discord.Interaction, year: str | None = None, actor: str | None = None
    ) -> None:
        ephemeral = self.private()
        result = await self.work(
            interaction, lambda: self.router.timeline(years=year, actor=actor), ephemeral=ephemeral
        )
        await self.reply_pages(interaction, timeline_pages(result, year, actor), ephemeral=ephemeral)

    @timeline.autocomplete("actor")
    async def actor_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.offer(interaction, lambda: choices_for(current, self.router.actor_names()))
