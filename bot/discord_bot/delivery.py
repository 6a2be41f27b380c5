"""Getting a response through when Discord pushes back: 429s waited out, refusals told apart.

discord.py retries a 429 only when the response came through Discord's proxy (it has a ``Via``
header; without one it takes the 429 for a Cloudflare ban and raises at once), and it retries a 5xx
on an interaction or webhook request up to five times. :func:`patiently` adds the waiting that is
missing: a 429 is retried after the ``retry_after`` Discord gave (body, ``Retry-After`` or
``X-RateLimit-Reset-After``), as long as the retry still lands before the deadline (an initial
response has Discord's 3-second window; a follow-up :data:`FOLLOW_UP_PATIENCE_SECONDS`).
:func:`refusal` names the errors after which nothing more may be sent for an interaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
import discord

log = logging.getLogger("briefbot.discord")

T = TypeVar("T")

UNKNOWN_WEBHOOK = 10015  # the interaction token expired (15 minutes) or never existed
UNKNOWN_INTERACTION = 10062  # an initial response after Discord's 3-second window
ALREADY_ACKNOWLEDGED = 40060  # a second initial response (another process with the same token?)
FOLLOW_UP_PATIENCE_SECONDS = 60.0  # rate-limit waits allowed for one follow-up or edit
ATTEMPTS = 6  # requests per message at most, the first included
DEFAULT_RETRY_AFTER = 1.0  # seconds, when a 429 says nothing about when to retry

# The request may not have reached Discord, or Discord failed with it: another route may work.
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, asyncio.TimeoutError, ConnectionError)


async def retry_after(exc: discord.HTTPException) -> float:
    """Seconds Discord asked to wait after the 429 ``exc``: the body's ``retry_after``, else the
    ``Retry-After`` or ``X-RateLimit-Reset-After`` header, else :data:`DEFAULT_RETRY_AFTER`."""
    response: Any = exc.response
    try:
        body = await response.json(content_type=None)  # discord.py has read it: served from memory
        return max(0.0, float(body["retry_after"]))
    except Exception:  # no JSON body, or no retry_after in it: the headers say it too
        pass
    headers = getattr(response, "headers", None) or {}
    for name in ("Retry-After", "X-RateLimit-Reset-After"):
        try:
            return max(0.0, float(headers[name]))
        except (KeyError, TypeError, ValueError):
            continue
    return DEFAULT_RETRY_AFTER


def rate_limited(exc: BaseException) -> bool:
    return isinstance(exc, discord.HTTPException) and exc.status == 429


async def patiently(send: Callable[[], Awaitable[T]], *, deadline: float, what: str) -> T:
    """``await send()``; after a 429, wait ``retry_after`` and send again while the retry still
    starts before ``deadline`` (event-loop time), at most :data:`ATTEMPTS` requests in all.

    ``what`` names the message in the log ("the answer to interaction 123"). Raises the last
    error when it is not a 429, or when waiting would pass the deadline.
    """
    loop = asyncio.get_running_loop()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await send()
        except discord.HTTPException as exc:
            if exc.status != 429 or attempt == ATTEMPTS:
                raise
            wait = await retry_after(exc)
            if loop.time() + wait > deadline:
                raise
            log.info("%s: rate limited (429), sending again in %.2f s", what, wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")  # the loop returns or raises


def follow_up_deadline() -> float:
    return asyncio.get_running_loop().time() + FOLLOW_UP_PATIENCE_SECONDS


def refusal(exc: BaseException) -> str | None:
    """Why nothing more can be sent for the interaction ``exc`` came from, or None when a message
    may still get through (then the user should be told)."""
    if not isinstance(exc, discord.HTTPException):
        return None
    if exc.code == UNKNOWN_INTERACTION:
        return "expired before it was acknowledged (Discord's 3 s window)"
    if exc.code == ALREADY_ACKNOWLEDGED:
        return "was already acknowledged (is another process running with the same token?)"
    if exc.code == UNKNOWN_WEBHOOK:
        return "its token is no longer valid (15 minutes after it was sent)"
    return None


def http_summary(exc: BaseException) -> str:
    """``HTTP 503 (code 0): Service Unavailable``, or the exception's type and message."""
    if isinstance(exc, discord.HTTPException):
        text = " ".join((exc.text or "").split())[:120]
        return f"HTTP {exc.status} (code {exc.code})" + (f": {text}" if text else "")
    return f"{type(exc).__name__}: {exc}"[:160]
