"""Buttons: "More" for the next passages of an answer, Previous/Next for paged lists.

Each view belongs to the person who ran the command, times out after
``discord.view_timeout_seconds`` (its buttons are then shown disabled) and registers its button
ids in :class:`LiveButtons`, so a click on a button whose view is gone gets a polite
"expired" note instead of Discord's "This interaction failed". Every click gets exactly one
response: from the view while it listens (ids live), from the client's handler after (ids gone);
a view leaves LiveButtons only when it times out, never while a click on it is being answered.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from ..feedback import BAD, GOOD, new_answer_id
from ..wording import plural
from .delivery import TRANSIENT, follow_up_deadline, http_summary, patiently, refusal
from .limits import EmbedDict
from .render import visible_window
from .sending import NO_MENTIONS, ack_deadline, respond, send_error, to_embeds

log = logging.getLogger("briefbot.discord")

CUSTOM_ID_PREFIX = "briefbot:"
EXPIRED_MESSAGE = "These buttons have expired. Run the command again for a fresh answer."
NOT_YOURS_MESSAGE = "Only the person who ran this command can use its buttons; run it yourself to get your own."

# How a view updates its message when it times out: an interaction's original response, or a
# message the bot sent as a reply.
Editor = Callable[..., Awaitable[Any]]
# Records one vote: (voter's user id, "good" or "bad").
Vote = Callable[[int, str], Awaitable[None]]


class LiveButtons:
    """Custom ids of the buttons whose views are still listening."""

    def __init__(self) -> None:
        self._ids: set[str] = set()

    def add(self, ids: Sequence[str]) -> None:
        self._ids.update(ids)

    def discard(self, ids: Sequence[str]) -> None:
        self._ids.difference_update(ids)

    def __contains__(self, custom_id: object) -> bool:
        return custom_id in self._ids


# Custom ids must be unique, not secret: a per-process random prefix and a counter, instead of a
# uuid4 per button (one os.urandom call each, measurable in a burst of 2,000 answers).
_PROCESS = secrets.token_hex(4)
_COUNTER = itertools.count(1)


def new_custom_id(kind: str) -> str:
    """``briefbot:<kind>:<process>-<n>``: unique across restarts and within the process (< 100 chars)."""
    return f"{CUSTOM_ID_PREFIX}{kind}:{_PROCESS}-{next(_COUNTER)}"


class OwnedView(discord.ui.View):
    """A view only its owner may use; disables its buttons when it times out."""

    def __init__(self, owner_id: int, timeout: float, live: LiveButtons) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.live = live
        self.editor: Editor | None = None

    def attach(self, editor: Editor) -> None:
        """Say how to edit the message this view sits on, for the timeout update."""
        self.editor = editor

    def register(self) -> None:
        self.live.add(self._custom_ids())

    def current(self) -> list[EmbedDict]:
        """The embeds the message shows now."""
        raise NotImplementedError

    def _custom_ids(self) -> list[str]:
        return [item.custom_id for item in self.children if isinstance(item, discord.ui.Button) and item.custom_id]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await respond(interaction, ephemeral=True, content=NOT_YOURS_MESSAGE, allowed_mentions=NO_MENTIONS)
        return False

    def stop(self) -> None:
        self.live.discard(self._custom_ids())
        super().stop()

    async def on_timeout(self) -> None:
        self.live.discard(self._custom_ids())
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        editor = self.editor
        if editor is None:
            return
        try:
            await patiently(
                lambda: editor(view=self), deadline=follow_up_deadline(), what="the buttons' timeout update"
            )
        except (discord.HTTPException, *TRANSIENT) as exc:
            # The message may be gone or its token expired; the buttons then answer "expired".
            log.info("could not disable buttons after timeout: %s", http_summary(exc))

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        button = getattr(item, "custom_id", item)
        refused = refusal(error)
        if refused is not None:
            log.warning("button %r (interaction %s) %s", button, interaction.id, refused)
            return
        if isinstance(error, (discord.HTTPException, *TRANSIENT)):
            log.warning(
                "button %r (interaction %s): could not respond: %s", button, interaction.id, http_summary(error)
            )
        else:
            log.error("button %r failed", button, exc_info=error)
        await send_error(interaction, "That button failed; the error was logged. Try the command again.")


async def update_message(interaction: discord.Interaction, view: OwnedView) -> None:
    """Show ``view``'s current embeds and buttons on the message it sits on (the click's response)."""
    await patiently(
        lambda: interaction.response.edit_message(
            embeds=to_embeds(view.current()), view=view, allowed_mentions=NO_MENTIONS
        ),
        deadline=ack_deadline(interaction),
        what=f"the update for click {interaction.id}",
    )


class MoreView(OwnedView):
    """An answer's buttons: "More" adds the next passage until all are shown (its asker only, and
    only when there is more than one passage); with ``vote``, 👍 and 👎 that anyone may press."""

    def __init__(
        self,
        pages: Sequence[EmbedDict],
        owner_id: int,
        timeout: float,
        live: LiveButtons,
        vote: Vote | None = None,
    ) -> None:
        super().__init__(owner_id, timeout, live)
        self.pages = list(pages)
        self.shown = 1
        self.more: discord.ui.Button[MoreView] | None = None
        if len(self.pages) > 1:
            self.more = discord.ui.Button(
                label=self._label(), style=discord.ButtonStyle.primary, custom_id=new_custom_id("more")
            )
            self.more.callback = self._on_more  # type: ignore[method-assign]
            self.add_item(self.more)
        self.vote = vote
        self.votes: dict[int, str] = {}  # voter id -> their vote on this answer
        self.public_ids: set[str] = set()
        if vote is not None:
            for value, emoji in ((GOOD, "👍"), (BAD, "👎")):
                button: discord.ui.Button[MoreView] = discord.ui.Button(
                    emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=new_custom_id(f"vote-{value}")
                )
                button.callback = functools.partial(self._on_vote, value)  # type: ignore[method-assign]
                self.add_item(button)
                self.public_ids.add(str(button.custom_id))
        self.register()

    def _label(self) -> str:
        left = len(self.pages) - self.shown
        return f"More ({plural(left, 'more passage')})" if left else "All passages shown"

    def current(self) -> list[EmbedDict]:
        return visible_window(self.pages, self.shown)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Votes are anyone's: the answer is in a channel for everyone to judge.
        if _custom_id(interaction) in self.public_ids:
            return True
        return await super().interaction_check(interaction)

    async def _on_more(self, interaction: discord.Interaction) -> None:
        assert self.more is not None
        self.shown = min(self.shown + 1, len(self.pages))
        self.more.label = self._label()
        # The view keeps listening after the last passage (its button disabled) until it times out:
        # stopping it would drop its ids from LiveButtons while this click is still being answered,
        # and the client's expired-button handler would answer the same click a second time.
        self.more.disabled = self.shown >= len(self.pages)
        await update_message(interaction, self)

    async def _on_vote(self, value: str, interaction: discord.Interaction) -> None:
        assert self.vote is not None
        user = interaction.user.id
        before = self.votes.get(user)
        self.votes[user] = value
        await self.vote(user, value)
        emoji = "👍" if value == GOOD else "👎"
        if before is None:
            text = f"Thanks: your {emoji} is recorded."
        elif before == value:
            text = f"You already voted {emoji} on this answer."
        else:
            text = f"Your vote is now {emoji}; it replaces your earlier one."
        await respond(interaction, ephemeral=True, content=text, allowed_mentions=NO_MENTIONS)


class PagerView(OwnedView):
    """Previous/Next over pages of one embed each."""

    def __init__(self, pages: Sequence[EmbedDict], owner_id: int, timeout: float, live: LiveButtons) -> None:
        super().__init__(owner_id, timeout, live)
        self.pages = list(pages)
        self.index = 0
        self.previous: discord.ui.Button[PagerView] = discord.ui.Button(
            label="Previous", style=discord.ButtonStyle.secondary, custom_id=new_custom_id("prev")
        )
        self.next: discord.ui.Button[PagerView] = discord.ui.Button(
            label="Next", style=discord.ButtonStyle.primary, custom_id=new_custom_id("next")
        )
        self.previous.callback = self._on_previous  # type: ignore[method-assign]
        self.next.callback = self._on_next  # type: ignore[method-assign]
        self.add_item(self.previous)
        self.add_item(self.next)
        self._update_buttons()
        self.register()

    def current(self) -> list[EmbedDict]:
        return [self.pages[self.index]]

    # Not `_refresh`: discord.py's View._refresh(components) runs on every message update.
    def _update_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._update_buttons()
        await update_message(interaction, self)

    async def _on_previous(self, interaction: discord.Interaction) -> None:
        await self._turn(interaction, -1)

    async def _on_next(self, interaction: discord.Interaction) -> None:
        await self._turn(interaction, 1)


def view_for_pages(
    pages: Sequence[EmbedDict], owner_id: int, timeout: float, live: LiveButtons, *, more: bool
) -> OwnedView | None:
    """The buttons for ``pages``: none for a single page, "More" for an answer's passages, else Previous/Next."""
    if len(pages) <= 1:
        return None
    kind = MoreView if more else PagerView
    return kind(pages, owner_id, timeout, live)


def answer_view(services: Any, pages: Sequence[EmbedDict], owner_id: int, answer: Any) -> OwnedView | None:
    """The buttons under an answer: "More" when it has several passages, 👍/👎 when feedback is on.

    ``services`` is the client's BotServices; a vote is written to its FeedbackLog off the event
    loop (one appended line), keyed by an id drawn for this answer.
    """
    timeout = services.settings.view_timeout_seconds
    feedback = services.feedback
    if feedback is None:
        return view_for_pages(pages, owner_id, timeout, services.live, more=True)
    answer_id = new_answer_id()

    async def vote(user_id: int, value: str) -> None:
        await asyncio.to_thread(feedback.record, answer_id, answer, value, user_id)

    return MoreView(pages, owner_id, timeout, services.live, vote=vote)


def _custom_id(interaction: discord.Interaction) -> str:
    data = interaction.data
    value = data.get("custom_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""
