"""The pieces behind briefbot's fault handling, each alone: 429 waits, the follow-up fallback,
replayed events, payload defaults, the zombie rule and discord.py's reconnect log line.
(tests/discord/test_faults.py drives the same faults end to end through the fake Discord.)"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.discord_bot import delivery
from bot.discord_bot.cogs.base import choices_for
from bot.discord_bot.delivery import patiently, refusal, retry_after
from bot.discord_bot.events import INTERACTION_DEFAULTS, INTERACTION_NESTED_DEFAULTS, Seen, once, with_defaults
from bot.discord_bot.heartbeat import GRACE_SECONDS, zombied
from bot.discord_bot.runner import _recovered_as_warning
from bot.discord_bot.sending import respond


class Response:
    """What discord.py keeps of an HTTP response in an HTTPException: status, reason, headers, body."""

    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.reason = "Too Many Requests" if status == 429 else "Error"
        self.headers = headers or {}
        self._body = body

    async def json(self, content_type: Any = None) -> Any:
        if self._body is None:
            raise ValueError("no body")
        return self._body


def http_error(status: int, body: Any = None, headers: dict[str, str] | None = None) -> discord.HTTPException:
    kind = discord.DiscordServerError if status >= 500 else discord.HTTPException
    return kind(Response(status, body, headers), body if isinstance(body, dict) else "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "headers", "seconds"),
    [
        ({"message": "You are being rate limited.", "retry_after": 0.25, "global": False}, {"Retry-After": "1"}, 0.25),
        (None, {"Retry-After": "2"}, 2.0),
        (None, {"X-RateLimit-Reset-After": "0.75"}, 0.75),
        ({"message": "no retry_after"}, {}, delivery.DEFAULT_RETRY_AFTER),
    ],
)
async def test_retry_after_reads_the_body_then_the_headers(body, headers, seconds):
    assert await retry_after(http_error(429, body, headers)) == seconds


async def test_a_429_is_sent_again_after_retry_after_until_it_goes_through():
    calls: list[float] = []
    loop = asyncio.get_running_loop()

    async def send() -> str:
        calls.append(loop.time())
        if len(calls) < 3:
            raise http_error(429, {"retry_after": 0.05, "global": True})
        return "sent"

    assert await patiently(send, deadline=loop.time() + 5, what="test") == "sent"
    assert len(calls) == 3 and calls[2] - calls[0] >= 0.1


async def test_a_429_whose_wait_would_pass_the_deadline_is_raised_at_once():
    loop = asyncio.get_running_loop()
    calls = 0

    async def send() -> None:
        nonlocal calls
        calls += 1
        raise http_error(429, {"retry_after": 5.0})

    with pytest.raises(discord.HTTPException):
        await patiently(send, deadline=loop.time() + 1.0, what="test")
    assert calls == 1


async def test_other_errors_are_not_retried():
    calls = 0

    async def send() -> None:
        nonlocal calls
        calls += 1
        raise http_error(400, {"message": "Invalid Form Body", "code": 50035})

    with pytest.raises(discord.HTTPException):
        await patiently(send, deadline=asyncio.get_running_loop().time() + 5, what="test")
    assert calls == 1


def test_refusals_are_the_errors_after_which_nothing_can_be_sent():
    assert "3 s window" in refusal(http_error(404, {"message": "Unknown interaction", "code": 10062}))
    assert "already acknowledged" in refusal(http_error(400, {"message": "acknowledged", "code": 40060}))
    assert "token" in refusal(http_error(404, {"message": "Unknown Webhook", "code": 10015}))
    assert refusal(http_error(503, {"message": "Service Unavailable", "code": 0})) is None
    assert refusal(ValueError("x")) is None


class DeferredInteraction:
    """An interaction already deferred ("thinking…"), whose follow-ups fail with ``failure``."""

    def __init__(self, failure: BaseException | None) -> None:
        self.id = 42
        self.extras: dict[str, Any] = {}
        self.failure = failure
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.response = SimpleNamespace(is_done=lambda: True)
        self.followup = SimpleNamespace(send=self._follow_up)

    async def _follow_up(self, **kwargs: Any) -> Any:
        self.sent.append(("followup", kwargs))
        if self.failure is not None:
            raise self.failure
        return SimpleNamespace(id=1)

    async def edit_original_response(self, **kwargs: Any) -> Any:
        self.sent.append(("edit", kwargs))
        return SimpleNamespace(id=2)


async def test_a_follow_up_that_fails_on_discords_side_replaces_thinking_by_editing_the_original():
    interaction = DeferredInteraction(http_error(503, {"message": "Service Unavailable", "code": 0}))
    message_id = await respond(interaction, ephemeral=False, content="the answer", wait=True)  # type: ignore[arg-type]

    assert [kind for kind, _ in interaction.sent] == ["followup", "edit"]
    assert interaction.sent[1][1] == {"content": "the answer"} and message_id == 2


async def test_a_follow_up_refused_for_a_reason_an_edit_shares_is_not_sent_twice():
    interaction = DeferredInteraction(http_error(400, {"message": "Invalid Form Body", "code": 50035}))
    with pytest.raises(discord.HTTPException):
        await respond(interaction, ephemeral=False, content="x")  # type: ignore[arg-type]
    assert [kind for kind, _ in interaction.sent] == ["followup"]


def test_an_event_seen_before_is_dropped_with_one_line(caplog):
    parsed: list[Any] = []
    parse = once("INTERACTION_CREATE", parsed.append, Seen(keep=2))
    with caplog.at_level(logging.INFO, logger="briefbot.discord"):
        for data in ({"id": "1"}, {"id": "2"}, {"id": "1"}, {"id": "3"}, {"id": "1"}, None):
            parse(data)

    # "1" is forgotten once two newer ids are kept; data without an id always reaches discord.py.
    assert parsed == [{"id": "1"}, {"id": "2"}, {"id": "3"}, {"id": "1"}, None]
    assert [r.getMessage() for r in caplog.records] == [
        "dropped a replayed INTERACTION_CREATE event (interaction '1'): already received"
    ]


def test_keys_discord_py_requires_get_their_documented_defaults():
    parsed: list[Any] = []
    parse = with_defaults(parsed.append, INTERACTION_DEFAULTS)
    parse({"id": "1", "version": 1})
    parse({"id": "2", "attachment_size_limit": 5, "version": 1})
    parse(None)

    assert parsed == [{"id": "1", "version": 1, "attachment_size_limit": 10 * 1024 * 1024}, parsed[1], None]
    assert parsed[1] == {"id": "2", "attachment_size_limit": 5, "version": 1}


def test_users_and_members_get_the_keys_discord_py_requires_without_changing_the_event():
    parsed: list[Any] = []
    parse = with_defaults(parsed.append, INTERACTION_DEFAULTS, INTERACTION_NESTED_DEFAULTS)
    event = {"id": "1", "version": 1, "attachment_size_limit": 5, "member": {"user": {"id": "2", "username": "b"}}}
    parse(event)
    parse({"id": "3", "version": 1, "attachment_size_limit": 5, "user": {"id": "4", "username": "c", "avatar": "x"}})
    parse({"id": "5", "version": 1, "attachment_size_limit": 5, "member": None})

    assert parsed[0]["member"] == {
        "roles": [],
        "flags": 0,
        "user": {"id": "2", "username": "b", "discriminator": "0", "avatar": None},
    }
    assert event["member"] == {"user": {"id": "2", "username": "b"}}  # the event as received is untouched
    assert parsed[1]["user"] == {"id": "4", "username": "c", "avatar": "x", "discriminator": "0"}
    assert parsed[2]["member"] is None  # malformed stays malformed: discord.py's guard drops it


@pytest.mark.parametrize(
    ("typed", "first"),
    [("Muh", "Abu Mahdi al-Muhandis"), (12, None), (None, "Kata'ib Hezbollah"), (["x"], "Kata'ib Hezbollah")],
)
def test_autocomplete_reads_any_typed_value(typed, first):
    names = ["Kata'ib Hezbollah", "Abu Mahdi al-Muhandis"]
    choices = choices_for(typed, names)
    assert (choices[0].name if choices else None) == first


@pytest.mark.parametrize(
    ("since_ack", "zombie"),
    [(0.5, False), (2 * 1.0 + GRACE_SECONDS - 0.1, False), (2 * 1.0 + GRACE_SECONDS + 0.1, True)],
)
def test_a_connection_is_zombied_when_two_heartbeat_intervals_pass_without_an_ack(since_ack, zombie):
    keep_alive = SimpleNamespace(interval=1.0, _last_ack=100.0, latency=0.01)
    assert (zombied(keep_alive, 100.0 + since_ack) is not None) is zombie


def test_a_connection_never_acknowledged_is_not_zombied():
    # A server that never sends ACKs: discord.py's latency stays infinite; its 60 s rule applies.
    assert zombied(SimpleNamespace(interval=1.0, _last_ack=100.0, latency=float("inf")), 1e6) is None


def test_without_discord_pys_heartbeat_state_nothing_counts_as_zombied():
    assert zombied(SimpleNamespace(), 1e9) is None
    assert zombied(SimpleNamespace(interval=None, _last_ack=0.0), 1e9) is None


def test_a_reconnect_discord_py_logs_as_an_error_is_one_warning_line():
    try:
        raise ConnectionResetError("Connection lost")
    except ConnectionResetError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "discord.client", logging.ERROR, __file__, 1, "Attempting a reconnect in %.2fs", (1.5,), exc_info
    )

    assert _recovered_as_warning(record)
    assert record.levelname == "WARNING" and record.exc_info is None
    assert record.getMessage() == "Attempting a reconnect in 1.50s (ConnectionResetError: Connection lost)"


def test_other_errors_from_discord_py_keep_their_traceback():
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "discord.client", logging.ERROR, __file__, 1, "Ignoring exception in %s", ("x",), exc_info
    )

    assert _recovered_as_warning(record)
    assert record.levelname == "ERROR" and record.exc_info is not None


def test_one_lock_per_token_api_and_shards_given_up_on_release(tmp_path):
    from bot.discord_bot.instance import InstanceLock, lock_path

    path = lock_path("token", "https://discord.com/api/v10", None, folder=str(tmp_path))
    assert path != lock_path("token", "http://127.0.0.1:1/api/v10", None, folder=str(tmp_path))
    assert path != lock_path("token", "https://discord.com/api/v10", (0, 1), folder=str(tmp_path))
    assert "token" not in path.name
    first, second = InstanceLock(path), InstanceLock(path)

    assert first.try_acquire() and not second.try_acquire()
    assert not second.acquire(0.2) and second.holder() == str(os.getpid())
    first.release()
    assert second.acquire(0.2)
    second.release()


def test_an_autocomplete_response_discord_refused_is_one_warning_line():
    try:
        raise http_error(404, {"message": "Unknown interaction", "code": 10062})
    except discord.HTTPException:
        exc_info = sys.exc_info()
    message = "Ignoring exception in autocomplete for %r (Guild: %s, User: %s)"
    record = logging.LogRecord(
        "discord.app_commands.tree", logging.ERROR, __file__, 1, message, ("actor", 1, 2), exc_info
    )

    assert _recovered_as_warning(record)
    assert record.levelname == "WARNING" and record.exc_info is None
    assert record.getMessage().endswith("(HTTPException: 404 Error (error code: 10062): Unknown interaction)")
