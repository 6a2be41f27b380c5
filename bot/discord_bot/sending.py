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
from discord import app_commands

from .limits import EmbedDict, fit_message
from .render import error_text
from .workqueue import QueueFull, WorkQueue

log = logging.getLogger("briefbot.discord")

NO_MENTIONS = discord.AllowedMentions.none()

# An answer not ready after this long is deferred, so Discord's 3-second window is never missed.
DEFER_AFTER_SECONDS = 1.5
# ``interaction.extras`` key of the call that tells the work queue the interaction is acknowledged.
ACK_KEY = "briefbot.acknowledged"

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


class BusyError(app_commands.CheckFailure):
    """The work queue is full: the user is told to try again in a moment."""


async def run_work(interaction: discord.Interaction, queue: WorkQueue, work: Callable[[], T], *, ephemeral: bool) -> T:
    """Run ``work`` (a router call) in the work queue's threads and acknowledge in time.

    With questions already waiting, the interaction is deferred at once, on the event loop, so its
    acknowledgement never queues behind them; otherwise it is deferred only if the answer is not
    ready after :data:`DEFER_AFTER_SECONDS`. Raises :class:`BusyError` when the queue is full.
    """
    acknowledged: Callable[[], None] = interaction.extras.get(ACK_KEY) or (lambda: None)
    if queue.full():
        raise BusyError()
    if queue.pending:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    # From here this interaction's acknowledgement no longer holds the workers back: it is sent, or
    # it is the answer that a worker is about to compute.
    acknowledged()
    task = asyncio.ensure_future(queue.run(work))
    try:
        if not interaction.response.is_done():
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
            if not done and not interaction.response.is_done():
                await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        result = await task
        if interaction.response.is_done():  # a deferred answer: acknowledgements go first
            await queue.acknowledgements_sent()
        return result
    except QueueFull:
        raise BusyError() from None
    finally:
        if not task.done():
            task.cancel()


async def send_response(
    interaction: discord.Interaction,
    embeds: list[EmbedDict],
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
    wait: bool = False,
) -> int | None:
    """Reply with ``embeds``: the initial response, or a follow-up when the reply was deferred.

    Returns the id of the message sent when Discord says it (always for an initial response; for a
    follow-up when ``wait`` or a ``view`` made it wait for the message), else None.
    """
    kwargs = message_kwargs(embeds, view)
    if interaction.response.is_done():
        sent = await interaction.followup.send(ephemeral=ephemeral, wait=wait or view is not None, **kwargs)
        return sent.id if sent is not None else None
    callback = await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
    message_id = getattr(callback, "message_id", None)
    return message_id if isinstance(message_id, int) else None


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
