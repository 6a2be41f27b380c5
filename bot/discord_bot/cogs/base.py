"""What every cog shares: the services, privacy and paged replies."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import discord
from discord.ext import commands

from ...textnorm import fold, strip_accents
from ..limits import EmbedDict
from ..sending import run_work, send_choices, send_response
from ..views import view_for_pages

T = TypeVar("T")

log = logging.getLogger("briefbot.discord")

# Discord shows at most 25 autocomplete choices of at most 100 characters.
MAX_CHOICES = 25
MAX_CHOICE_CHARS = 100


class BriefbotCog(commands.Cog):
    def __init__(self, bot: Any) -> None:
        self.bot = bot

    @property
    def router(self) -> Any:
        return self.bot.services.router

    @property
    def settings(self) -> Any:
        return self.bot.services.settings

    def private(self, choice: bool | None = None) -> bool:
        return self.settings.private_by_default if choice is None else choice

    async def work(self, interaction: discord.Interaction, call: Callable[[], T], *, ephemeral: bool) -> T:
        return await run_work(interaction, self.bot.services.queue, call, ephemeral=ephemeral)

    async def offer(
        self, interaction: discord.Interaction, choose: Callable[[], list[discord.app_commands.Choice[str]]]
    ) -> list[discord.app_commands.Choice[str]]:
        """Send the autocomplete choices ``choose()`` makes through :func:`~..sending.send_choices`
        (429s waited out); returns them for discord.py, which sends nothing once the response is done.
        Should ``choose`` fail, the error is logged and the user gets no choices rather than no response."""
        try:
            choices = choose()
        except Exception:
            log.exception("autocomplete %s: making the choices failed", interaction.id)
            choices = []
        await send_choices(interaction, choices)
        return choices

    async def reply_pages(
        self, interaction: discord.Interaction, pages: Sequence[EmbedDict], *, ephemeral: bool, more: bool = False
    ) -> None:
        """Send ``pages``: one at a time behind Previous/Next (or "More" for answers) when there
        are several, so every message stays within Discord's limits."""
        view = view_for_pages(
            pages, interaction.user.id, self.settings.view_timeout_seconds, self.bot.services.live, more=more
        )
        await send_response(interaction, view.current() if view else list(pages), ephemeral=ephemeral, view=view)
        if view is not None:
            view.attach(interaction.edit_original_response)


def _typed_text(current: Any) -> str:
    if isinstance(current, str):
        return current
    if isinstance(current, int | float) and not isinstance(current, bool):
        return str(current)
    return ""


@lru_cache(maxsize=1 << 17)  # every name's key is computed once, not at every keystroke
def _key(text: str) -> str:
    # "kataib", "Kata’ib" and "KATA'IB" all find Kata'ib Hezbollah.
    return strip_accents(fold(text)).casefold().replace("'", "").replace("-", " ")


def choices_for(current: Any, names: Sequence[str]) -> list[discord.app_commands.Choice[str]]:
    """Autocomplete: names starting with what was typed first, then names containing it.

    ``current`` is the focused option's value as Discord sent it: text, but a stale or odd client
    may send a number (read as its digits) or anything else (read as nothing typed).
    """
    typed = _key(_typed_text(current)).strip()
    starts, contains = [], []
    seen: set[str] = set()
    for name in names:
        key = _key(name)
        if name in seen:
            continue
        seen.add(name)
        if not typed or key.startswith(typed):
            starts.append(name)
        elif typed in key:
            contains.append(name)
    picked = (starts + contains)[:MAX_CHOICES]
    return [discord.app_commands.Choice(name=n[:MAX_CHOICE_CHARS], value=n[:MAX_CHOICE_CHARS]) for n in picked]
