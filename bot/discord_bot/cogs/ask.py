"""/ask question [private]: in a channel, the answer opens a thread for follow-ups; in a thread, it continues it."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from ...conversation import Conversation
from ..delivery import follow_up_deadline, patiently
from ..render import answer_pages, thread_name
from ..sending import send_response
from ..views import answer_view
from .base import BriefbotCog

log = logging.getLogger("briefbot.discord")


class AskCog(BriefbotCog):
    @app_commands.command(name="ask", description="Answer a question with quoted, cited passages from the article.")
    @app_commands.describe(
        question="What you want to know, e.g. who runs Kata'ib Hezbollah?",
        private="Only you see the answer (default: the server's setting)",
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool | None = None) -> None:
        ephemeral = self.private(private)
        services = self.bot.services
        channel = interaction.channel
        conversation = services.conversation_for(channel) if channel is not None else None
        # A public answer in a text channel opens a thread; its conversation starts with this question.
        opens_thread = (
            conversation is None
            and self.settings.threads
            and not ephemeral
            and isinstance(channel, discord.TextChannel)
        )
        asked = conversation if conversation is not None else Conversation()
        answer = await self.work(
            interaction, lambda: self.router.ask(question, conversation=asked), ephemeral=ephemeral
        )
        pages = answer_pages(answer)
        view = answer_view(services, pages, interaction.user.id, answer)
        message_id = await send_response(
            interaction, view.current() if view else pages, ephemeral=ephemeral, view=view, wait=opens_thread
        )
        if view is not None:
            view.attach(interaction.edit_original_response)
        if opens_thread and message_id is not None and isinstance(channel, discord.TextChannel):
            await self._open_thread(channel, message_id, question, asked)

    async def _open_thread(
        self, channel: discord.TextChannel, message_id: int, question: str, conversation: Conversation
    ) -> None:
        """A public thread on the answer, named after the question; questions in it are follow-ups."""
        try:
            thread = await patiently(
                lambda: channel.create_thread(name=thread_name(question), message=discord.Object(id=message_id)),
                deadline=follow_up_deadline(),
                what=f"the thread on answer {message_id}",
            )
        except (discord.HTTPException, ValueError) as exc:
            # Most often the bot lacks "Create Public Threads" here: the answer stands, without a thread.
            log.info("no thread on answer %s in channel %s: %s", message_id, channel.id, exc)
            return
        self.bot.services.conversations.put(thread.id, conversation)
