"""The Discord client: slash commands from the cogs, the @mention handler, checks and errors.

``create_bot`` picks ``commands.Bot`` or, when config sets sharding, ``commands.AutoShardedBot``
(discord.py's own sharding). Commands are never synced here; ``briefbot sync`` does that.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from ..config import DiscordSettings
from ..errors import BriefbotError
from .compat import (
    install_json_reader,
    install_webhook_adapter,
    tolerate_sparse_interactions,
    tolerate_sparse_login,
)
from .guards import ChannelPolicy, Cooldowns
from .render import answer_pages, error_text
from .sending import NO_MENTIONS, message_kwargs, send_error
from .views import CUSTOM_ID_PREFIX, EXPIRED_MESSAGE, LiveButtons, view_for_pages

log = logging.getLogger("briefbot.discord")

# Private, static replies that cost nothing: never refused by the cooldown.
COOLDOWN_FREE = frozenset({"help"})
GENERIC_ERROR = "Something went wrong answering that; the error was logged. Please try again."
MENTION_HINT = "Ask me a question after the mention, e.g. `@briefbot who runs Kata'ib Hezbollah?` (or use /help)."


@dataclass
class BotServices:
    """What the command handlers need: the router and the Discord settings, plus live state."""

    router: Any  # bot.router.Router; typed loosely so tests can pass a stand-in
    settings: DiscordSettings
    cooldowns: Cooldowns
    channels: ChannelPolicy
    live: LiveButtons = field(default_factory=LiveButtons)


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("I only answer in the channels this server set up for me.")


class CoolingDown(app_commands.CheckFailure):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"Please wait {math.ceil(retry_after)} s before your next question.")


class BriefbotTree(app_commands.CommandTree):
    """The command tree with briefbot's channel and cooldown checks and its error reply."""

    @property
    def services(self) -> BotServices:
        return self.client.services  # type: ignore[attr-defined, no-any-return]

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.type is discord.InteractionType.autocomplete:
            return True  # typing in an option must stay responsive and not spend the cooldown
        channel = interaction.channel
        parent_id = getattr(channel, "parent_id", None)
        if not self.services.channels.permits(interaction.channel_id, parent_id):
            raise ChannelNotAllowed()
        if _payload_text(interaction, "name") in COOLDOWN_FREE:
            return True
        retry = self.services.cooldowns.retry_after(interaction.user.id)
        if retry > 0:
            raise CoolingDown(retry)
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        original = getattr(error, "original", error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(original, (ChannelNotAllowed, CoolingDown)):
            log.info("/%s refused for user %s: %s", command, interaction.user.id, original)
            message = str(original)
        elif isinstance(original, BriefbotError):
            log.info("/%s: %s", command, original)
            message = str(original)
        elif isinstance(original, app_commands.TransformerError):
            log.info("/%s: bad option: %s", command, original)
            message = f"I could not read the option {original.value!r}."
        else:
            log.error("/%s failed (user %s)", command, interaction.user.id, exc_info=original)
            message = GENERIC_ERROR
        await send_error(interaction, message)


class _Briefbot:
    """Behaviour shared by the plain and the sharded bot classes."""

    services: BotServices
    user: discord.ClientUser | None
    tree: BriefbotTree
    _connection: Any
    http: Any

    def _init_briefbot(self, services: BotServices) -> None:
        self.services = services
        tolerate_sparse_interactions(self._connection)
        tolerate_sparse_login(self.http)

    @property
    def router(self) -> Any:
        return self.services.router

    async def setup_hook(self) -> None:
        install_webhook_adapter()
        from .cogs import load_cogs

        await load_cogs(self)  # type: ignore[arg-type]

    async def application_info(self) -> Any:
        """Discord's application info, or a stand-in built from the bot user when a
        Discord-compatible server does not serve ``GET /oauth2/applications/@me``."""
        try:
            return await super().application_info()  # type: ignore[misc]
        except (discord.HTTPException, KeyError, TypeError, ValueError) as exc:
            user_id = self.user.id if self.user else 0
            log.warning("application info unavailable (%s); using the bot user id %s as application id", exc, user_id)
            return _FallbackAppInfo(user_id)

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "connected as %s (id %s); %d commands loaded", user, user.id if user else "?", len(self.tree.get_commands())
        )

    async def on_app_command_completion(self, interaction: discord.Interaction, command: Any) -> None:
        # One line per answered command, without its content: enough to see who uses what, where.
        log.info("/%s for user %s in channel %s", command.qualified_name, interaction.user.id, interaction.channel_id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer clicks on briefbot buttons whose view is gone (timed out or bot restarted)."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = _payload_text(interaction, "custom_id")
        if not custom_id.startswith(CUSTOM_ID_PREFIX) or custom_id in self.services.live:
            return
        if not interaction.response.is_done():
            try:
                await interaction.response.send_message(EXPIRED_MESSAGE, ephemeral=True, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException as exc:
                log.debug("could not answer an expired button: %s", exc)

    async def on_message(self, message: discord.Message) -> None:
        """ "@briefbot QUESTION" in a channel: answer in a reply (mentions carry content without
        the privileged message-content intent)."""
        me = self.user
        if me is None or message.author.bot or me.id not in message.raw_mentions:
            return
        channel = message.channel
        if not self.services.channels.permits(channel.id, getattr(channel, "parent_id", None)):
            return
        question = strip_mentions(message.content, me.id)
        try:
            if not question:
                await message.reply(MENTION_HINT, allowed_mentions=NO_MENTIONS, mention_author=False)
                return
            retry = self.services.cooldowns.retry_after(message.author.id)
            if retry > 0:
                await message.reply(
                    str(CoolingDown(retry)), allowed_mentions=NO_MENTIONS, mention_author=False, delete_after=10
                )
                return
            answer = await asyncio.to_thread(self.router.ask, question)
            pages = answer_pages(answer)
            view = view_for_pages(
                pages, message.author.id, self.services.settings.view_timeout_seconds, self.services.live, more=True
            )
            shown = view.current() if view else pages
            sent = await message.reply(mention_author=False, **message_kwargs(shown, view))
            if view is not None:
                view.attach(sent.edit)
        except BriefbotError as exc:
            await _reply_quietly(message, str(exc))
        except Exception:
            log.exception("answering a mention failed (channel %s, user %s)", channel.id, message.author.id)
            await _reply_quietly(message, GENERIC_ERROR)


def _payload_text(interaction: discord.Interaction, key: str) -> str:
    """A top-level key of the interaction's raw payload as text ("" when absent)."""
    data: dict[str, Any] = dict(interaction.data or {})
    return str(data.get(key) or "")


async def _reply_quietly(message: discord.Message, text: str) -> None:
    try:
        await message.reply(error_text(text), allowed_mentions=NO_MENTIONS, mention_author=False)
    except discord.HTTPException as exc:
        log.warning("could not reply to a mention: %s", exc)


@dataclass
class _FallbackAppInfo:
    """The three things ``Client.login`` reads from application info."""

    id: int
    interactions_endpoint_url: None = None
    flags: discord.ApplicationFlags = field(default_factory=discord.ApplicationFlags)


_MENTION_OF = "<@!?{id}>"


def strip_mentions(content: str, user_id: int) -> str:
    """The question in "@briefbot QUESTION": the bot's own mention removed, whitespace tidied."""
    without = re.sub(_MENTION_OF.format(id=user_id), " ", content or "")
    return " ".join(without.split())


class BriefBot(_Briefbot, commands.Bot):
    def __init__(self, services: BotServices, **options: Any) -> None:
        commands.Bot.__init__(self, **options)
        self._init_briefbot(services)


class ShardedBriefBot(_Briefbot, commands.AutoShardedBot):
    def __init__(self, services: BotServices, **options: Any) -> None:
        commands.AutoShardedBot.__init__(self, **options)
        self._init_briefbot(services)


def intents() -> discord.Intents:
    """Guilds (channel cache) and messages (to see mentions); nothing privileged."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    return wanted


def create_bot(
    router: Any, settings: DiscordSettings, *, clock: Callable[[], float] = time.monotonic
) -> BriefBot | ShardedBriefBot:
    """The configured client. No network until ``start``/``login``."""
    install_json_reader()
    services = BotServices(
        router=router,
        settings=settings,
        cooldowns=Cooldowns(settings.cooldown_seconds, clock),
        channels=ChannelPolicy(settings.allowed_channels),
    )
    options: dict[str, Any] = {
        # Prefix commands are not used; mentions are handled in on_message.
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": intents(),
        "allowed_mentions": NO_MENTIONS,
        "tree_cls": BriefbotTree,
    }
    if settings.shard_ids is not None and settings.shard_count is None:
        raise BriefbotError("config discord.shard_ids needs discord.shard_count (the total number of shards)")
    if settings.shard_count is not None:
        options["shard_count"] = settings.shard_count
        if settings.shard_ids is not None:
            bad = [s for s in settings.shard_ids if not 0 <= s < settings.shard_count]
            if bad:
                raise BriefbotError(f"config discord.shard_ids: {bad} outside 0..{settings.shard_count - 1}")
            options["shard_ids"] = list(settings.shard_ids)
        return ShardedBriefBot(services, **options)
    return BriefBot(services, **options)
