"""After the shutdown grace: what is still being answered is told to ask again, never left "thinking…".

A deferred interaction shows "briefbot is thinking…" until its answer arrives; a process that
closes with the answer unsent leaves it so (Discord shows "The application did not respond" only
15 minutes later, when the interaction token expires). :func:`tell_restarting` ends the tasks
still computing an answer and, within a bounded time, gives each its last message: the deferred
response edited to say briefbot is restarting (while the interaction token is valid), an interaction
not yet acknowledged a private note (while Discord's 3-second window is open), a mention a reply.
A task already sending its response is let finish instead.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from .delivery import ALREADY_ACKNOWLEDGED, TRANSIENT, http_summary, patiently, refusal
from .inflight import InFlight, Straggler
from .sending import NO_MENTIONS, ack_deadline, token_deadline

log = logging.getLogger("briefbot.discord")

RESTART_NOTE_SECONDS = 5.0  # the whole notes phase, sends and 429 waits included
UNWIND_SECONDS = 0.5  # for interrupted tasks to leave their pending requests


async def tell_restarting(in_flight: InFlight, text: str, *, seconds: float = RESTART_NOTE_SECONDS) -> int:
    """Interrupt the tasks in ``in_flight`` still computing, send ``text`` for each of their
    interactions or mentions, and let those already sending finish; all within ``seconds``.

    Returns how many notes Discord took. Never raises; a note Discord refuses is one log line.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    stragglers = in_flight.stragglers()
    interrupted = [s for s in stragglers if not s.sending]
    for straggler in interrupted:
        straggler.task.cancel()
    if interrupted:
        await asyncio.wait([s.task for s in interrupted], timeout=UNWIND_SECONDS)
    notes = [asyncio.ensure_future(_note(s, text, deadline)) for s in interrupted if s.subject is not None]
    waiting: list[asyncio.Future[Any]] = [*notes, *(s.task for s in stragglers if s.sending)]
    if waiting:
        _, pending = await asyncio.wait(waiting, timeout=max(0.0, deadline - loop.time()))
        for future in pending:
            future.cancel()
        if pending:
            log.warning("%d response(s) or note(s) still unsent after %g s: closing anyway", len(pending), seconds)
    return sum(1 for note in notes if note.done() and not note.cancelled() and note.result())


async def _note(straggler: Straggler, text: str, deadline: float) -> bool:
    """Send ``text`` for the straggler's interaction or mention; True when Discord took it."""
    subject = straggler.subject
    try:
        if isinstance(subject, discord.Interaction):
            return await _note_interaction(subject, text, deadline)
        if isinstance(subject, discord.Message):
            await patiently(
                lambda: subject.reply(content=text, allowed_mentions=NO_MENTIONS, mention_author=False),
                deadline=deadline,
                what=f"the restart note for mention {subject.id}",
            )
            return True
    except (discord.HTTPException, *TRANSIENT) as exc:
        which = getattr(subject, "id", "?")
        log.warning("restart note for %s not sent: %s", which, refusal(exc) or http_summary(exc))
    return False


async def _note_interaction(interaction: discord.Interaction, text: str, deadline: float) -> bool:
    loop = asyncio.get_running_loop()
    what = f"the restart note for interaction {interaction.id}"
    if not interaction.response.is_done():
        # Not acknowledged as far as discord.py knows: a private note as the initial response, if
        # the window is still open. A task interrupted after Discord took its defer but before
        # discord.py read the reply looks the same: Discord then answers 40060, and the note
        # becomes an edit of the deferred response below.
        window = ack_deadline(interaction)
        if loop.time() >= window:
            return False
        try:
            await patiently(
                lambda: interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS),
                deadline=min(deadline, window),
                what=what,
            )
            return True
        except discord.HTTPException as exc:
            if exc.code != ALREADY_ACKNOWLEDGED:
                raise
    # Deferred: the "thinking…" response becomes the note while the token is valid (15 minutes).
    token_valid_until = token_deadline(interaction)
    if loop.time() >= token_valid_until:
        return False
    await patiently(
        lambda: interaction.edit_original_response(content=text, embeds=[], view=None, allowed_mentions=NO_MENTIONS),
        deadline=min(deadline, token_valid_until),
        what=what,
    )
    return True
