"""/actors [type] and /actor name"""

from __future__ import annotations

import discord
from discord import app_commands

from ..render import actor_embed, actor_list_pages
from .base import BriefbotCog, choices_for


class ActorsCog(BriefbotCog):
    @app_commands.command(name="actors", description="The people, groups, states and organisations the article names.")
    @app_commands.describe(type="Only actors of this type (e.g. person, armed group, state)")
    async def actors(self, interaction: discord.Interaction, type: str | None = None) -> None:
        ephemeral = self.private()
        result = await self.work(interaction, lambda: self.router.actors(type=type), ephemeral=ephemeral)
        await self.reply_pages(interaction, actor_list_pages(result, type), ephemeral=ephemeral)

    @actors.autocomplete("type")
    async def type_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.offer(interaction, lambda: choices_for(current, self.router.actor_types()))

    @app_commands.command(name="actor", description="One actor: role, names, mentions and quotes from the article.")
    @app_commands.describe(name="The actor's name or any alias (e.g. IRGC, Muhandis, ISIS)")
    async def actor(self, interaction: discord.Interaction, name: str) -> None:
        ephemeral = self.private()
        lookup = await self.work(interaction, lambda: self.router.actor(name), ephemeral=ephemeral)
        await self.reply_pages(interaction, [actor_embed(lookup)], ephemeral=ephemeral)

    @actor.autocomplete("name")
    async def name_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.offer(interaction, lambda: choices_for(current, self.router.actor_names()))
