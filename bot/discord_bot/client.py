"""The Discord client: slash commands from the cogs, the @mention handler, checks and errors.

``create_bot`` picks ``commands.Bot`` or, when config sets sharding, ``commands.AutoShardedBot``
(discord.py's own sharding). Commands are never synced here; ``briefbot sync`` does that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from ..config import DiscordSettings
from ..conversation import Conversation, ConversationStore
from ..errors import BriefbotError
from ..feedback import FeedbackLog
from ..router import Router
from .acks import SentAcks
from .delivery import TRANSIENT, follow_up_deadline, http_summary, patiently, refusal
from .events import (
    INTERACTION_DEFAULTS,
    INTERACTION_NESTED_DEFAULTS,
    MESSAGE_NESTED_DEFAULTS,
    Arrivals,
    Seen,
    drop_malformed_events,
    once,
    stamped,
    summary,
    with_defaults,
)
from .guards import ChannelPolicy, Cooldowns
from .heartbeat import watch_heartbeats
from .inflight import InFlight
from .payload import BadPayload, OptionSpec, check_command_data
from .render import answer_pages, error_text
from .restart_notes import tell_restarting
from .sending import (
    ACK_BY_KEY,
    ACK_KEY,
    NO_MENTIONS,
    SENDING_KEY,
    BusyError,
    message_kwargs,
    send_choices,
    send_error,
)
from .views import CUSTOM_ID_PREFIX, EXPIRED_MESSAGE, LiveButtons, answer_view
from .workqueue import QueueFull, WorkQueue

if TYPE_CHECKING:
    from ..reloader import LiveRouter

log = logging.getLogger("briefbot.discord")

# Private, static replies that cost nothing: never refused by the cooldown.
COOLDOWN_FREE = frozenset({"help"})
GENERIC_ERROR = "Something went wrong answering that; the error was logged. Please try again."
MENTION_HINT = "Ask me a question after the mention, e.g. `@briefbot who runs Kata'ib Hezbollah?` (or use /help)."
BUSY_MESSAGE = "I'm busy answering other questions; try again in a moment."
RESTARTING_MESSAGE = "briefbot is restarting; ask again in a moment."
ACK_DEADLINE_SECONDS = 2.8  # Discord's window is 3 s; an acknowledgement needs a little time to travel
# What discord.py raises on a gateway frame it cannot decode (not JSON, or not an object).
UNREADABLE_FRAME = (ValueError, TypeError, AttributeError, KeyError)
UNREADABLE_FRAME_PAUSE_SECONDS = 1.0  # before connecting again: a server sending garbage is not hammered
REIDENTIFY_WAIT_SECONDS = 5.0  # discord.py's default wait before identifying again
FORM_EXPIRED_MESSAGE = "This form has expired. Run the command again."
OUT_OF_DATE_MESSAGE = "That command has changed since Discord last loaded it; try again in a minute."


@dataclass
class BotServices:
    """What the command handlers need: the router and the Discord settings, plus live state."""

    router: Router | LiveRouter  # a LiveRouter under `briefbot run` (reloads swap its engine)
    settings: DiscordSettings
    cooldowns: Cooldowns
    channels: ChannelPolicy
    live: LiveButtons = field(default_factory=LiveButtons)
    queue: WorkQueue = field(default_factory=WorkQueue)
    in_flight: InFlight = field(default_factory=InFlight)
    # Acknowledgements count as sent when their callback is written (discord.py's http_trace).
    acks: SentAcks = field(default_factory=SentAcks)
    # Follow-up conversations by thread id, bounded and expiring (discord.conversations_*).
    conversations: ConversationStore = field(default_factory=ConversationStore)
    feedback: FeedbackLog | None = None  # 👍/👎 votes; None when config feedback_file is unset

    def conversation_for(self, channel: Any) -> Conversation | None:
        """The conversation a question in ``channel`` continues: its thread's, else None (a new one)."""
        known = self.conversations.get(channel.id, create=False)
        if known is not None or not isinstance(channel, discord.Thread):
            return known
        return self.conversations.get(channel.id)  # a thread briefbot did not open, or from before a restart


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("I only answer in the channels this server set up for me.")


class CoolingDown(app_commands.CheckFailure):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"Please wait {math.ceil(retry_after)} s before your next question.")


class Restarting(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(RESTARTING_MESSAGE)


class BadOptions(app_commands.CheckFailure):
    """An option of the wrong type or shape: ``str()`` is for the user, ``detail`` for the log."""

    def __init__(self, problem: BadPayload) -> None:
        super().__init__(problem.message)
        self.detail = problem.detail


class BriefbotTree(app_commands.CommandTree):
    """The command tree with briefbot's channel and cooldown checks and its error reply."""

    @property
    def services(self) -> BotServices:
        return self.client.services  # type: ignore[attr-defined, no-any-return]

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Runs first, on the event loop, as soon as discord.py has parsed the interaction."""
        services = self.services
        autocomplete = interaction.type is discord.InteractionType.autocomplete
        options = self._declared_options(interaction)
        if autocomplete:
            # Typing in an option must stay responsive: no cooldown, no queue; a malformed payload
            # gets no choices rather than no response.
            try:
                if options is None:
                    raise BadPayload("", f"no command {_command_name(interaction)!r} (a client from before a deploy?)")
                check_command_data(_command_name(interaction), interaction.data, options, autocomplete=True)
                focused = _focused_option(interaction)
                if focused not in {spec.name for spec in options if spec.autocomplete}:
                    raise BadPayload("", f"option {focused!r} has no autocomplete")
            except BadPayload as problem:
                log.info("autocomplete %s: %s", interaction.id, problem.detail)
                await send_choices(interaction, [])
                return False
            return True
        age = self.client.arrivals.age(interaction.id)  # type: ignore[attr-defined]
        if age is not None and age > ACK_DEADLINE_SECONDS:
            # Discord rejects an acknowledgement this late: sending one would only take the loop's
            # time from the interactions behind it that can still make their window.
            log.warning("interaction %s waited %.1f s to be read: past Discord's window, dropped", interaction.id, age)
            return False
        services.in_flight.add_current_task(interaction)
        interaction.extras[SENDING_KEY] = services.in_flight.sending
        interaction.extras[ACK_BY_KEY] = asyncio.get_running_loop().time() + ACK_DEADLINE_SECONDS - (age or 0.0)
        acknowledged = services.queue.expect_ack()
        interaction.extras[ACK_KEY] = acknowledged
        services.acks.expect(interaction.id, acknowledged)
        task = asyncio.current_task()
        if task is not None:
            task.add_done_callback(lambda _: (acknowledged(), services.acks.forget(interaction.id)))
        if not services.in_flight.accepting:
            raise Restarting()
        channel = interaction.channel
        if not services.channels.permits(interaction.channel_id, getattr(channel, "parent_id", None)):
            raise ChannelNotAllowed()
        if options is not None:
            try:
                check_command_data(_command_name(interaction), interaction.data, options)
            except BadPayload as problem:
                raise BadOptions(problem) from None
        if _command_name(interaction) in COOLDOWN_FREE:
            return True
        retry = services.cooldowns.retry_after(interaction.user.id)
        if retry > 0:
            raise CoolingDown(retry)
        return True

    def _declared_options(self, interaction: discord.Interaction) -> list[OptionSpec] | None:
        """The options the invoked command declares; None when briefbot has no such command (then
        discord.py reports it as CommandNotFound)."""
        name = _command_name(interaction)
        command = self.get_command(name) if name else None
        if command is None and interaction.guild_id is not None and name:
            command = self.get_command(name, guild=discord.Object(id=interaction.guild_id))
        if not isinstance(command, app_commands.Command):
            return None
        return [OptionSpec(p.name, p.type.value, p.required, p.autocomplete) for p in command.parameters]

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        original = getattr(error, "original", error)
        command = _command_name(interaction) or "?"
        where = f"/{command} (interaction {interaction.id}, user {interaction.user.id})"
        refused = refusal(original)
        if refused is not None:
            # Nothing more can be sent for it: one line, no traceback (formatting thousands of them
            # would cost the loop the next acknowledgements).
            log.warning("%s %s", where, refused)
            return
        if isinstance(original, (discord.HTTPException, *TRANSIENT)):
            # Discord did not take the response (after discord.py's retries and ours): its fault,
            # not briefbot's, so one line; the user is still told, if a message gets through.
            log.warning("%s: could not send the response: %s", where, http_summary(original))
            message = GENERIC_ERROR
        elif isinstance(original, (ChannelNotAllowed, CoolingDown, Restarting)):
            log.info("%s refused: %s", where, original)
            message = str(original)
        elif isinstance(original, BadOptions):
            log.info("%s: bad options: %s", where, original.detail)
            message = str(original)
        elif isinstance(original, (BusyError, QueueFull)):
            log.warning("%s: the answer queue is full (%d waiting)", where, self.services.queue.pending)
            message = BUSY_MESSAGE
        elif isinstance(original, BriefbotError):
            log.info("%s: %s", where, original)
            message = str(original)
        elif isinstance(original, app_commands.TransformerError):
            log.info("%s: bad option: %s", where, original)
            message = f"I could not read the option {original.value!r}."
        elif isinstance(original, (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)):
            log.warning("%s: %s", where, summary(original))
            message = OUT_OF_DATE_MESSAGE
        else:
            log.error("%s failed", where, exc_info=original)
            message = GENERIC_ERROR
        await send_error(interaction, message)


class _Briefbot:
    """Behaviour shared by the plain and the sharded bot classes."""

    services: BotServices
    arrivals: Arrivals
    user: discord.ClientUser | None
    tree: BriefbotTree

    def _init_briefbot(self, services: BotServices) -> None:
        self.services = services

    def _get_state(self, **options: Any) -> Any:
        # discord.py's factory for the ConnectionState whose parsers read gateway events; see events.py.
        state = super()._get_state(**options)  # type: ignore[misc]
        drop_malformed_events(state.parsers)
        self.arrivals = Arrivals()
        interactions = with_defaults(
            state.parsers["INTERACTION_CREATE"], INTERACTION_DEFAULTS, INTERACTION_NESTED_DEFAULTS
        )
        state.parsers["INTERACTION_CREATE"] = once("INTERACTION_CREATE", stamped(interactions, self.arrivals), Seen())
        messages = with_defaults(state.parsers["MESSAGE_CREATE"], {}, MESSAGE_NESTED_DEFAULTS)
        state.parsers["MESSAGE_CREATE"] = once("MESSAGE_CREATE", messages, Seen())
        return state

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """An event handler failed: one line (with the interaction or message id), and serve on."""
        error = sys.exc_info()[1]
        subject = args[0] if args else None
        which = f" (interaction {subject.id})" if isinstance(subject, discord.Interaction) else ""
        if isinstance(subject, discord.Message):
            which = f" (message {subject.id})"
        log.error("%s failed%s: %s", event_method, which, summary(error) if error else "unknown error")
        log.debug("%s traceback", event_method, exc_info=error)

    async def close(self) -> None:
        # discord.py 2.7 leaves running the task that fires on_ready (ConnectionState._ready_task,
        # and per shard _ready_tasks) when the client closes within guild_ready_timeout of a READY,
        # e.g. a SIGTERM while it identifies again after op 9: the task then dispatches into the
        # closed client (its loop is MISSING) and asyncio prints a traceback. No public API reaches
        # it, so it is cancelled here, before discord.py's own close.
        state = getattr(self, "_connection", None)
        tasks = [getattr(state, "_ready_task", None), *(getattr(state, "_ready_tasks", None) or {}).values()]
        for task in tasks:
            if isinstance(task, asyncio.Task) and not task.done():
                task.cancel()
        await super().close()  # type: ignore[misc]

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py's documented hook: wait 5 s before identifying again (Discord asks for 1-5 s
        after an invalid session), as discord.py does, but stop waiting when the client closes, so
        a shutdown meanwhile is not held up."""
        if initial:
            return
        loop = asyncio.get_running_loop()
        until = loop.time() + REIDENTIFY_WAIT_SECONDS
        while not self.is_closed() and loop.time() < until:  # type: ignore[attr-defined]
            await asyncio.sleep(0.1)

    async def shutdown(self, grace_seconds: float) -> None:
        """Stop accepting questions, give those in flight up to ``grace_seconds``, tell those still
        unanswered that briefbot is restarting (see restart_notes.py), then close."""
        waiting = len(self.services.in_flight)
        log.info("answering %d question(s) in flight (up to %g s), then closing", waiting, grace_seconds)
        left = await self.services.in_flight.drain(grace_seconds)
        if left:
            log.warning(
                "%d question(s) were still being answered after %g s: telling them briefbot is restarting",
                left,
                grace_seconds,
            )
            told = await tell_restarting(self.services.in_flight, RESTARTING_MESSAGE)
            log.info("%d restart note(s) sent", told)
        self.services.queue.close()
        await self.close()  # type: ignore[attr-defined]

    @property
    def router(self) -> Router | LiveRouter:
        return self.services.router

    async def setup_hook(self) -> None:
        from .cogs import load_cogs

        await load_cogs(self)  # type: ignore[arg-type]

    async def connect(self, *, reconnect: bool = True) -> None:
        """discord.py's gateway loop, with a watchdog for zombied connections (see heartbeat.py),
        started again on a new session after a frame discord.py could not read.

        discord.py decodes each gateway frame outside its parsers (events.py guards those): a frame
        that is not JSON, or not a JSON object, raises out of ``Client.connect`` and would stop
        the bot with every question in flight. That is one WARNING line and a new connection.
        """
        watchdog = asyncio.get_running_loop().create_task(watch_heartbeats(self))
        try:
            while True:
                try:
                    await super().connect(reconnect=reconnect)  # type: ignore[misc]
                    return
                except UNREADABLE_FRAME as exc:
                    if self.is_closed() or not reconnect:  # type: ignore[attr-defined]
                        raise
                    log.warning(
                        "the gateway sent a frame discord.py could not read (%s): connecting again", summary(exc)
                    )
                    ws = getattr(self, "ws", None)
                    if ws is not None:
                        with contextlib.suppress(Exception):
                            await ws.close(4000)
                    await asyncio.sleep(UNREADABLE_FRAME_PAUSE_SECONDS)
        finally:
            watchdog.cancel()

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "connected as %s (id %s); %d commands loaded", user, user.id if user else "?", len(self.tree.get_commands())
        )

    async def on_app_command_completion(self, interaction: discord.Interaction, command: Any) -> None:
        # One line per answered command, without its content: enough to see who uses what, where.
        log.info("/%s for user %s in channel %s", command.qualified_name, interaction.user.id, interaction.channel_id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer clicks on buttons whose view is gone (timed out, or from before a restart or a
        deploy, whatever their custom id) and submits of forms briefbot no longer shows."""
        if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            return
        custom_id = _payload_text(interaction, "custom_id")
        if custom_id in self.services.live:
            return
        if not custom_id.startswith(CUSTOM_ID_PREFIX):
            log.info("interaction %s: a component or form briefbot does not know (%r)", interaction.id, custom_id[:100])
        if not interaction.response.is_done():
            form = interaction.type is discord.InteractionType.modal_submit
            await send_error(interaction, FORM_EXPIRED_MESSAGE if form else EXPIRED_MESSAGE)

    async def on_message(self, message: discord.Message) -> None:
        """ "@briefbot QUESTION" (the bot's user or its managed role) in a channel: answer in a reply
        (mentions carry content without the privileged message-content intent)."""
        me = self.user
        if me is None or message.author.bot or not mentions_me(message, me.id):
            return
        channel = message.channel
        if not self.services.channels.permits(channel.id, getattr(channel, "parent_id", None)):
            return
        services = self.services
        services.in_flight.add_current_task(message)
        role = _self_role_id(message)
        question = strip_mentions(message.content, me.id, role)
        try:
            if not services.in_flight.accepting:
                await _reply_quietly(message, RESTARTING_MESSAGE)
                return
            if not question:
                await _reply_quietly(message, MENTION_HINT, escape=False)
                return
            retry = services.cooldowns.retry_after(message.author.id)
            if retry > 0:
                await _reply_quietly(message, str(CoolingDown(retry)), escape=False, delete_after=10)
                return
            # In a thread the question follows on from the thread's conversation; elsewhere it stands alone.
            conversation = services.conversation_for(channel)
            answer = await services.queue.run(lambda: self.router.ask(question, conversation=conversation))
            pages = answer_pages(answer)
            view = answer_view(services, pages, message.author.id, answer)
            shown = view.current() if view else pages
            services.in_flight.sending()
            sent = await _reply(message, mention_author=False, **message_kwargs(shown, view))
            if view is not None:
                view.attach(sent.edit)
        except (discord.HTTPException, *TRANSIENT) as exc:
            log.warning("mention %s: could not reply: %s", message.id, http_summary(exc))
        except QueueFull:
            log.warning("mention %s: the answer queue is full", message.id)
            await _reply_quietly(message, BUSY_MESSAGE)
        except BriefbotError as exc:
            await _reply_quietly(message, str(exc))
        except Exception:
            log.exception("answering a mention failed (channel %s, user %s)", channel.id, message.author.id)
            await _reply_quietly(message, GENERIC_ERROR)


def mentions_me(message: discord.Message, user_id: int) -> bool:
    """True when ``message`` mentions the bot's user or the role Discord manages for the bot."""
    if user_id in message.raw_mentions:
        return True
    role = _self_role_id(message)
    return role is not None and role in message.raw_role_mentions


def _self_role_id(message: discord.Message) -> int | None:
    guild = message.guild
    role = guild.self_role if guild is not None else None
    return role.id if role is not None else None


def _command_name(interaction: discord.Interaction) -> str:
    return _payload_text(interaction, "name")


def _focused_option(interaction: discord.Interaction) -> str | None:
    """The name of the option being typed in an autocomplete interaction (None when none is)."""
    data = interaction.data
    options = data.get("options") if isinstance(data, dict) else None
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and option.get("focused"):
            name = option.get("name")
            return name if isinstance(name, str) else None
    return None


def _payload_text(interaction: discord.Interaction, key: str) -> str:
    """A top-level key of the interaction's raw payload as text ("" when absent or not text)."""
    data = interaction.data
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


async def _reply(message: discord.Message, **kwargs: Any) -> discord.Message:
    """``message.reply(**kwargs)``, sent again after a 429 (see delivery.patiently)."""
    what = f"the reply to mention {message.id}"
    return await patiently(lambda: message.reply(**kwargs), deadline=follow_up_deadline(), what=what)


async def _reply_quietly(message: discord.Message, text: str, *, escape: bool = True, **kwargs: Any) -> None:
    """Reply with ``text`` (escaped unless it is briefbot's own markdown); a failure is one log line."""
    content = error_text(text) if escape else text
    try:
        await _reply(message, content=content, allowed_mentions=NO_MENTIONS, mention_author=False, **kwargs)
    except (discord.HTTPException, *TRANSIENT) as exc:
        log.warning("could not reply to mention %s: %s", message.id, http_summary(exc))


def strip_mentions(content: str, user_id: int, role_id: int | None = None) -> str:
    """The question in "@briefbot QUESTION": the bot's own mention (as a user, or as its managed
    role ``role_id``) removed, whitespace tidied."""
    pattern = f"<@!?{user_id}>" + (f"|<@&{role_id}>" if role_id is not None else "")
    without = re.sub(pattern, " ", content or "")
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
    router: Router | LiveRouter,
    settings: DiscordSettings,
    *,
    clock: Callable[[], float] = time.monotonic,
    feedback: FeedbackLog | None = None,
    connector: aiohttp.BaseConnector | None = None,
) -> BriefBot | ShardedBriefBot:
    """The configured client. No network until ``start``/``login``.

    ``connector`` (discord.py's documented ``Client(connector=...)``) pools the REST and interaction
    requests; ``briefbot run`` gives a :class:`~.pools.RoutedConnector` (it needs a running loop).
    """
    services = BotServices(
        router=router,
        settings=settings,
        cooldowns=Cooldowns(settings.cooldown_seconds, clock),
        channels=ChannelPolicy(settings.allowed_channels),
        conversations=ConversationStore(settings.conversations_max, settings.conversation_idle_seconds, clock),
        feedback=feedback,
    )
    options: dict[str, Any] = {
        # Prefix commands are not used; mentions are handled in on_message.
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": intents(),
        "allowed_mentions": NO_MENTIONS,
        "tree_cls": BriefbotTree,
        "http_trace": services.acks.trace_config(),
    }
    if connector is not None:
        options["connector"] = connector
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
