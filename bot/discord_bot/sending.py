"""The one way the bot puts text on Discord: limits enforced, mentions disabled, every time.

``AllowedMentions.none()`` is also set on the client; passing it on each send as well means a
message can never ping even if a future change forgets the client default.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import discord

from .limits import EmbedDict, fit_message
from .render import error_text

log = logging.getLogger("briefbot.discord")

NO_MENTIONS = discord.AllowedMentions.none()

# Work that takes longer than this is deferred so Discord's 3-second window is never missed.
DEFER_AFTER_SECONDS = 2.0

T = TypeVar("T")


def to_embeds(embeds: list[EmbedDict]) -> list[discord.Embed]:
    """Embed dicts, fitted to every message limit, as ``discord.Embed`` objects."""
    _, fitted = fit_message(None, embeds)
    return [discord.Embed.from_dict(embed) for embed in fitted]


def message_kwargs(embeds: list[EmbedDict], view: discord.ui.View | None = None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embeds": to_embeds(embeds), "allowed_mentions": NO_MENTIONS}
    if view is not None:
        kwargs["view"] = view
    return kwargs


async def run_work(interaction: discord.Interaction, work: Callable[[], T], *, ephemeral: bool) -> T:
    """Run ``work`` (a router call) off the event loop; defer first if it outlasts the window.

    Router calls are read-only on a frozen engine, so running them in a worker thread is safe and
    keeps the gateway heartbeat going however long an answer takes.
    """
    task = asyncio.ensure_future(asyncio.to_thread(work))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def send_response(
    interaction: discord.Interaction,
    embeds: list[EmbedDict],
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
) -> None:
    """Reply with ``embeds``: the initial response, or a follow-up when the reply was deferred."""
    kwargs = message_kwargs(embeds, view)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, wait=view is not None, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def send_error(interaction: discord.Interaction, message: str) -> None:
    """A short private message for the user; never raises (the log already has the detail)."""
    text = error_text(message)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not tell the user about an error: %s", exc)
