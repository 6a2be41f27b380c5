"""/ask question [private]"""

from __future__ import annotations

import discord
from discord import app_commands

from ..render import answer_pages
from .base import BriefbotCog


class AskCog(BriefbotCog):
    @app_commands.command(name="ask", description="Answer a question with quoted, cited passages from the article.")
    @app_commands.describe(
        question="What you want to know, e.g. who runs Kata'ib Hezbollah?",
        private="Only you see the answer (default: the server's setting)",
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool | None = None) -> None:
        ephemeral = self.private(private)
        answer = await self.work(interaction, lambda: self.router.ask(question), ephemeral=ephemeral)
        await self.reply_pages(interaction, answer_pages(answer), ephemeral=ephemeral, more=True)
