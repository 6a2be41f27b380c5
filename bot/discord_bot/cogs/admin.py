"""/reload: the bot's owner re-reads the knowledge folder now (``briefbot run`` also watches it)."""

from __future__ import annotations

import discord
from discord import app_commands

from ..limits import fit_embed
from ..render import INFO_COLOR, escape_text
from ..sending import send_error, send_response
from .base import BriefbotCog

NOT_OWNER = "Only the bot's owner can reload the articles."
CANNOT_RELOAD = "This bot cannot reload its articles; restart it instead."


class AdminCog(BriefbotCog):
    @app_commands.command(name="reload", description="Re-read the knowledge folder now (bot owner only).")
    async def reload(self, interaction: discord.Interaction) -> None:
        # Visible to all (the owner need not be an administrator of every server); only the owner runs it.
        if not await self.bot.is_owner(interaction.user):
            await send_error(interaction, NOT_OWNER)
            return
        reload = getattr(self.router, "reload", None)
        if reload is None:
            await send_error(interaction, CANNOT_RELOAD)
            return
        report = await self.work(interaction, reload, ephemeral=True)
        embed = {"title": "Reload", "description": escape_text(report.summary()), "color": INFO_COLOR}
        await send_response(interaction, [fit_embed(embed)], ephemeral=True)
