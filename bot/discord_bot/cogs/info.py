"""/help and /source"""

from __future__ import annotations

import discord
from discord import app_commands

from ..render import help_embed, source_embed
from .base import BriefbotCog


def command_usage(command: app_commands.Command) -> str:  # type: ignore[type-arg]
    options = [p.name if p.required else f"[{p.name}]" for p in command.parameters]
    return " ".join([f"/{command.name}", *options])


class InfoCog(BriefbotCog):
    @app_commands.command(name="help", description="What briefbot can do and how to ask.")
    async def help(self, interaction: discord.Interaction) -> None:
        info = self.router.help()
        commands = [
            (command_usage(c), c.description)
            for c in self.bot.tree.get_commands()
            if isinstance(c, app_commands.Command)
        ]
        await self.reply_pages(interaction, [help_embed(commands, info.mode)], ephemeral=True)

    @app_commands.command(name="source", description="The loaded article(s): title, date and how they were split.")
    async def source(self, interaction: discord.Interaction) -> None:
        ephemeral = self.private()
        info = await self.work(interaction, self.router.source, ephemeral=ephemeral)
        await self.reply_pages(interaction, [source_embed(info)], ephemeral=ephemeral)
