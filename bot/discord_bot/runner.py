"""``briefbot run`` and ``briefbot sync``: token, logging, endpoints, signals and clean exits.

The token is read from the environment variable named by ``discord.token_env``; it is never
printed, and a logging filter masks it should any library ever put it in a log record. Every
failure a person can fix (no token, a rejected one, an unreachable server) becomes one
:class:`BriefbotError` line from the CLI instead of a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp
import discord

from ..config import Config, DiscordSettings
from ..errors import BriefbotError
from ..feedback import FeedbackLog
from ..wording import plural
from .client import create_bot
from .delivery import TRANSIENT
from .endpoints import configure_endpoints
from .events import summary
from .instance import InstanceLock, lock_path
from .pools import RoutedConnector

log = logging.getLogger("briefbot.discord")

REDACTED = "[token hidden]"


class RedactToken(logging.Filter):
    """Masks the token in every record that passes the handler."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, REDACTED)
            record.args = None
        if record.exc_info and record.exc_info[1] is not None and self.token in str(record.exc_info[1]):
            record.exc_info = None
            record.exc_text = None
            record.msg = f"{record.msg} (exception details hidden: they contained the token)"
        return True


def read_token(settings: DiscordSettings) -> str:
    token = os.environ.get(settings.token_env, "").strip()
    if not token:
        raise BriefbotError(
            f"no Discord bot token: set the {settings.token_env} environment variable "
            "(config discord.token_env names it); see README 'Running on Discord'"
        )
    return token


def _not_about_voice(record: logging.LogRecord) -> bool:
    # discord.py warns at every start that voice libraries are missing; briefbot never uses voice.
    return "voice will NOT be supported" not in record.getMessage()


# discord.py logs these with a full traceback at ERROR, then reconnects and resumes by itself: for
# an operator they are a network blip (a WARNING line), not a failure of the bot.
_RECOVERED = ("Attempting a reconnect in", "An error occurred while stopping the gateway")
# discord.py sends autocomplete choices itself and logs any failure with a traceback; a choice list
# Discord did not take (too late, rate limited, unreachable) is replaced by the next keystroke's.
_AUTOCOMPLETE = "Ignoring exception in autocomplete"


def _recovered_as_warning(record: logging.LogRecord) -> bool:
    """A connection error discord.py recovers from, or an autocomplete response Discord did not
    take: one WARNING line with the cause, no traceback."""
    if record.levelno >= logging.ERROR and record.name.startswith("discord.") and record.exc_info:
        message = record.getMessage()
        cause = record.exc_info[1]
        sent = message.startswith(_AUTOCOMPLETE) and isinstance(cause, (discord.HTTPException, *TRANSIENT))
        if message.startswith(_RECOVERED) or sent:
            record.msg = f"{message} ({summary(cause)})" if cause is not None else message
            record.args = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
    return True


def setup_logging(settings: DiscordSettings, token: str) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(_not_about_voice)
    handler.addFilter(_recovered_as_warning)
    handler.addFilter(RedactToken(token))
    level = getattr(logging, settings.log_level)
    for name in ("discord", "briefbot"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
        logger.propagate = False
    return handler


def _build(config: Config) -> tuple[Callable[..., Any], str]:
    """The bot's factory (called with the event loop running, for its connection pool) and the token."""
    from ..reloader import LiveRouter

    settings = config.discord
    token = read_token(settings)
    setup_logging(settings, token)
    try:
        warnings = configure_endpoints(settings.api_base_url, settings.gateway_url)
    except ValueError as exc:
        raise BriefbotError(str(exc)) from None
    for warning in warnings:
        log.warning(warning)
    router = LiveRouter(config)
    for problem in router.engine.problems:  # a bad article file is skipped, not an outage
        log.warning("knowledge: %s", problem.message)
    feedback = FeedbackLog(config.feedback_file) if config.feedback_file is not None else None
    return functools.partial(create_bot, router, settings, feedback=feedback), token


def _explain(exc: BaseException, settings: DiscordSettings) -> BriefbotError | None:
    """A one-line reason for a failure a person can act on, or None for a real bug.

    discord.py can fail while handling the real cause (a first gateway connect that fails makes
    its reconnect code read ``self.ws.sequence`` of ``None``), so the causes are searched too.
    """
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        explained = _explain_one(seen, settings)
        if explained is not None:
            return explained
        seen = seen.__cause__ or seen.__context__
    return None


def _explain_one(exc: BaseException, settings: DiscordSettings) -> BriefbotError | None:
    variable = settings.token_env
    if isinstance(exc, discord.LoginFailure):
        return BriefbotError(
            f"Discord rejected the token in {variable} (401 Unauthorized); reset it in the developer portal"
        )
    if isinstance(exc, discord.ConnectionClosed) and exc.code == 4004:
        return BriefbotError(f"the gateway rejected the token in {variable} (close code 4004)")
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return BriefbotError("Discord refused the requested intents; briefbot needs no privileged intent")
    if isinstance(exc, discord.HTTPException):
        return BriefbotError(f"Discord answered HTTP {exc.status} ({settings.api_base_url}): {exc.text or exc}")
    if isinstance(exc, discord.GatewayNotFound):
        return BriefbotError(f"no Discord gateway found (api {settings.api_base_url})")
    if isinstance(exc, discord.ConnectionClosed):
        return BriefbotError(f"the gateway closed the connection (code {exc.code}): {exc.reason or 'no reason given'}")
    if isinstance(exc, (aiohttp.ClientError, OSError, asyncio.TimeoutError)):
        reason = str(exc) or type(exc).__name__
        return BriefbotError(f"cannot reach Discord at {settings.api_base_url} / {settings.gateway_url}: {reason}")
    return None


async def _serve(
    make_bot: Callable[..., Any], token: str, config: Config | None = None, on_stop: Callable[[], None] | None = None
) -> None:
    """Run the bot until a signal; ``on_stop`` is called as the shutdown begins."""
    loop = asyncio.get_running_loop()
    bot = make_bot(connector=RoutedConnector())
    grace_seconds = (config.discord if config is not None else DiscordSettings()).shutdown_grace_seconds
    watching: list[asyncio.Task[None]] = []
    reload = getattr(bot.services.router, "reload", None)
    if config is not None and config.knowledge_watch and reload is not None:
        from ..knowledge import default_knowledge_dir
        from ..reloader import watch_knowledge

        folder = config.knowledge_dir or default_knowledge_dir()
        watching.append(loop.create_task(watch_knowledge(bot.services.router, folder)))
    stopping: list[asyncio.Task[None]] = []

    def stop(name: str) -> None:
        if not stopping:
            log.info("%s received: closing the Discord connection", name)
            if on_stop is not None:
                on_stop()
            # A task, not a call: interactions discord.py has already parsed get to register as
            # in flight before the bot stops accepting.
            stopping.append(loop.create_task(bot.shutdown(grace_seconds)))

    for sig in (signal.SIGINT, signal.SIGTERM):
        # Some platforms have no signal handlers in asyncio; Ctrl-C still ends the process there.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop, sig.name)
    async with bot:
        try:
            await bot.start(token, reconnect=True)
        finally:
            for task in watching:
                task.cancel()
            await asyncio.gather(*stopping, *watching, return_exceptions=True)


def run(config: Config) -> int:
    """Connect and answer until SIGINT/SIGTERM. Returns the exit status."""
    make_bot, token = _build(config)
    lock = InstanceLock(lock_path(token, config.discord.api_base_url, config.discord.shard_ids))
    if not lock.try_acquire():
        wait = config.discord.takeover_wait_seconds
        log.warning(
            "another briefbot (pid %s) is running with this bot token: waiting up to %g s for it to stop",
            lock.holder(),
            wait,
        )
        try:
            taken = lock.acquire(wait)
        except KeyboardInterrupt:
            return 0
        if not taken:
            raise BriefbotError(
                f"another briefbot (pid {lock.holder()}) is already running with this bot token; stop it first "
                "(SIGTERM: this one then takes over), or give each process its own discord.shard_ids"
            )
        log.info("the other briefbot is stopping: taking over")
    try:
        asyncio.run(_serve(make_bot, token, config, on_stop=lock.release))
    except Exception as exc:
        explained = _explain(exc, config.discord)
        if explained is None:
            log.exception("the Discord client stopped on an unexpected error")
            raise BriefbotError(f"the Discord client stopped: {type(exc).__name__} (details in the log)") from None
        raise explained from None
    finally:
        lock.release()
    log.info("stopped")
    return 0


async def _sync(make_bot: Callable[..., Any], token: str, guild_ids: Sequence[int]) -> list[str]:
    lines = []
    bot = make_bot()
    async with bot:
        await bot.login(token)
        if guild_ids:
            for guild_id in guild_ids:
                guild = discord.Object(id=guild_id)
                bot.tree.copy_global_to(guild=guild)
                synced = await bot.tree.sync(guild=guild)
                lines.append(f"synced {plural(len(synced), 'command')} to guild {guild_id} (available now)")
        else:
            synced = await bot.tree.sync()
            lines.append(f"synced {plural(len(synced), 'command')} globally (Discord may take up to an hour to show them)")
    return lines


def sync(config: Config, guild_ids: Sequence[int] = (), global_sync: bool = False) -> int:
    """Register the slash commands with Discord: per guild (instant) or globally."""
    make_bot, token = _build(config)
    targets: Sequence[int] = () if global_sync else (guild_ids or config.discord.guilds)
    try:
        lines = asyncio.run(_sync(make_bot, token, targets))
    except Exception as exc:
        explained = _explain(exc, config.discord)
        if explained is None:
            raise
        raise explained from None
    for line in lines:
        print(line)
    return 0
