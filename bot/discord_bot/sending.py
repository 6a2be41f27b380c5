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

from .delivery import TRANSIENT, follow_up_deadline, http_summary, patiently, rate_limited
from .limits import EmbedDict, fit_message
from .render import error_text
from .workqueue import QueueFull, WorkQueue

log = logging.getLogger("briefbot.discord")

NO_MENTIONS = discord.AllowedMentions.none()

# An answer not ready after this long is deferred, so Discord's 3-second window is never missed.
DEFER_AFTER_SECONDS = 1.5
# ``interaction.extras`` key of the call that tells the work queue the interaction is acknowledged.
ACK_KEY = "briefbot.acknowledged"
# ``interaction.extras`` key of the event-loop time by which its initial response must be sent.
ACK_BY_KEY = "briefbot.ack_by"
# ``interaction.extras`` key of the call that marks the interaction's task as sending its response
# (InFlight.sending: a shutdown then lets it finish).
SENDING_KEY = "briefbot.sending"
ACK_WINDOW_SECONDS = 3.0  # Discord's, from the interaction's creation to its initial response
# Without a recorded arrival, an initial response may wait this long for a rate limit to pass.
ACK_PATIENCE_SECONDS = 2.0
# An interaction token is valid for 15 minutes after the interaction was created (Discord's
# "Receiving and Responding" documentation); counted here from when the bot read it, less a margin.
TOKEN_LIFETIME_SECONDS = 15 * 60 - 10

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
        await defer(interaction, ephemeral=ephemeral)
    # From here this interaction's acknowledgement no longer holds the workers back: it is sent, or
    # it is the answer that a worker is about to compute.
    acknowledged()
    task = asyncio.ensure_future(queue.run(work))
    try:
        if not interaction.response.is_done():
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
            if not done and not interaction.response.is_done():
                await defer(interaction, ephemeral=ephemeral)
        result = await task
        if interaction.response.is_done():  # a deferred answer: acknowledgements go first
            await queue.acknowledgements_sent()
        return result
    except QueueFull:
        raise BusyError() from None
    finally:
        if not task.done():
            task.cancel()


def ack_deadline(interaction: discord.Interaction) -> float:
    """The event-loop time by which ``interaction``'s initial response must be sent."""
    deadline = interaction.extras.get(ACK_BY_KEY)
    if isinstance(deadline, float):
        return deadline
    return asyncio.get_running_loop().time() + ACK_PATIENCE_SECONDS


def token_deadline(interaction: discord.Interaction) -> float:
    """The event-loop time until which ``interaction``'s token can still send or edit messages.

    Counted from the interaction's arrival (its acknowledgement deadline, which is set from it),
    not from its snowflake: a host clock that is off, or a Discord-compatible server's ids, would
    otherwise make a valid token look expired.
    """
    ack_by = interaction.extras.get(ACK_BY_KEY)
    if isinstance(ack_by, float):
        return ack_by - ACK_WINDOW_SECONDS + TOKEN_LIFETIME_SECONDS
    left = (interaction.expires_at - discord.utils.utcnow()).total_seconds()
    return asyncio.get_running_loop().time() + left


async def defer(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """Acknowledge now ("briefbot is thinking…"); the answer follows as a follow-up."""
    await patiently(
        lambda: interaction.response.defer(ephemeral=ephemeral, thinking=True),
        deadline=ack_deadline(interaction),
        what=f"the acknowledgement of interaction {interaction.id}",
    )


async def respond(interaction: discord.Interaction, *, ephemeral: bool, **kwargs: Any) -> int | None:
    """The one response to ``interaction``: its initial response, or after a defer the message that
    replaces "thinking…". Returns the id of the message sent when Discord says it.

    After a defer the message goes as a follow-up (``kwargs`` as for ``followup.send``; ``wait``
    defaults to False). Should the follow-up fail on Discord's side (5xx after discord.py's own
    retries, a rate limit longer than :data:`~.delivery.FOLLOW_UP_PATIENCE_SECONDS`, a lost
    connection), the original response is edited to carry it instead, so the user is never left
    with "thinking…". Only one of the two can reach the user: Discord shows the first follow-up
    after a defer in place of the original response.
    """
    what = f"the response to interaction {interaction.id}"
    sending = interaction.extras.get(SENDING_KEY)
    if callable(sending):
        sending()
    if not interaction.response.is_done():
        callback = await patiently(
            lambda: interaction.response.send_message(ephemeral=ephemeral, **kwargs),
            deadline=ack_deadline(interaction),
            what=what,
        )
        message_id = getattr(callback, "message_id", None)
        return message_id if isinstance(message_id, int) else None
    deadline = follow_up_deadline()
    try:
        sent = await patiently(
            lambda: interaction.followup.send(ephemeral=ephemeral, **kwargs), deadline=deadline, what=what
        )
        return sent.id if sent is not None else None
    except (discord.HTTPException, *TRANSIENT) as exc:
        if not (isinstance(exc, TRANSIENT) or rate_limited(exc)):
            raise
        log.warning("%s: the follow-up failed (%s); editing the original response instead", what, http_summary(exc))
    edit = {k: v for k, v in kwargs.items() if k in ("content", "embeds", "view", "allowed_mentions")}
    edited = await patiently(lambda: interaction.edit_original_response(**edit), deadline=deadline, what=what)
    return edited.id


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
        kwargs["wait"] = wait or view is not None
    return await respond(interaction, ephemeral=ephemeral, **kwargs)


async def send_choices(interaction: discord.Interaction, choices: list[app_commands.Choice[str]]) -> None:
    """The autocomplete response (at most 25 ``choices``), sent again after a 429 while Discord's
    window is open; never raises (a response Discord did not take is one log line: the next
    keystroke asks again)."""
    try:
        await patiently(
            lambda: interaction.response.autocomplete(choices),
            deadline=ack_deadline(interaction),
            what=f"the choices for interaction {interaction.id}",
        )
    except (discord.HTTPException, *TRANSIENT) as exc:
        log.warning("autocomplete %s: no choices sent: %s", interaction.id, http_summary(exc))


async def send_error(interaction: discord.Interaction, message: str) -> None:
    """A short private message for the user; never raises (the log already has the detail)."""
    text = error_text(message)
    try:
        await respond(interaction, ephemeral=True, content=text, allowed_mentions=NO_MENTIONS)
    except (discord.HTTPException, *TRANSIENT) as exc:
        log.warning("could not tell the user about an error (interaction %s): %s", interaction.id, http_summary(exc))
