"""Bursts of /ask against the fake Discord and what became of each interaction (tests and benchmark).

An interaction is *answered* when its initial response (or, after a defer, its first follow-up)
carries the answer embeds, *busy* / *restarting* when it carries that message instead, and
*lost* when no accepted response came: nothing at all, a callback past Discord's 3-second window,
or a defer never followed up.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import yaml

from bot.config import Config
from bot.discord_bot.client import BUSY_MESSAGE, RESTARTING_MESSAGE
from bot.discord_bot.render import answer_pages
from bot.engine import build_engine
from bot.router import Router
from bot.textnorm import words

from .fake_discord import ACK_WINDOW_SECONDS, FakeDiscord, slash_command

DATA = Path(__file__).resolve().parent.parent / "data"
FIRST_USER = 1400000000000010000


@dataclass(frozen=True)
class Outcome:
    interaction_id: str
    kind: str  # answered, busy, restarting, error, lost, pending
    first_response_s: float | None  # from dispatch to the first callback reaching the fake
    embed: dict[str, Any] | None = None  # the first answer embed as sent


def distinct_questions(count: int, *, repeat: bool = False) -> list[str]:
    """``count`` different questions: the eval sets' questions, then ones built from runs of article
    words; with ``repeat``, the list starts over when there are fewer than ``count``."""
    asked = [
        item["q"]
        for name in ("eval.yaml", "eval_holdout.yaml")
        for item in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["questions"]
    ]
    router = bm25_router()
    article = [w for p in router.engine.passages for w in words(p.text) if len(w) > 4]
    built = [f"what about {' '.join(article[i : i + 3])}?" for i in range(0, max(0, len(article) - 3))]
    questions = list(dict.fromkeys(asked + built))
    if repeat:
        return [questions[i % len(questions)] for i in range(count)]
    assert len(questions) >= count, f"only {len(questions)} distinct questions"
    return questions[:count]


_ROUTER: list[Router] = []


def bm25_router() -> Router:
    """The router the bot under test runs (bm25, shipped article), built once."""
    if not _ROUTER:
        config = Config(retrieval=msgspec.structs.replace(Config().retrieval, mode="bm25"))
        _ROUTER.append(Router(build_engine(config)))
    return _ROUTER[0]


def expected_embed(question: str) -> dict[str, Any]:
    """The first embed of the answer to ``question`` asked alone."""
    return answer_pages(bm25_router().ask(question))[0]


def same_answer(sent: dict[str, Any] | None, alone: dict[str, Any]) -> bool:
    if sent is None:
        return False
    keys = ("title", "description")
    fields = [(f["name"], f["value"]) for f in sent.get("fields", [])]
    return (
        all(sent.get(k) == alone.get(k) for k in keys)
        and fields == [(f["name"], f["value"]) for f in alone.get("fields", [])]
        and (sent.get("footer") or {}).get("text") == (alone.get("footer") or {}).get("text")
    )


async def send_burst(fake: FakeDiscord, questions: list[str], first_id: int) -> list[str]:
    """Dispatch one /ask per question, each from its own user, as fast as the socket takes them."""
    ids = []
    for offset, question in enumerate(questions):
        interaction_id = first_id + offset
        payload = slash_command(interaction_id, "ask", {"question": question}, user_id=str(FIRST_USER + offset))
        await fake.dispatch("INTERACTION_CREATE", payload)
        ids.append(str(interaction_id))
    return ids


def outcome(fake: FakeDiscord, interaction_id: str) -> Outcome:
    callbacks = fake.callbacks(interaction_id)
    if not callbacks:
        sent_at = fake.dispatched_at.get(interaction_id)
        # Nothing by the end of Discord's window (and a margin for the fake's own lag): lost.
        if sent_at is not None and time.monotonic() - sent_at > ACK_WINDOW_SECONDS + 2.0:
            return Outcome(interaction_id, "lost", None)
        return Outcome(interaction_id, "pending", None)
    first = callbacks[0]
    sent_at = fake.dispatched_at.get(interaction_id)
    latency = first.at - sent_at if sent_at is not None else None
    if interaction_id in fake.late:
        return Outcome(interaction_id, "lost", latency)
    body = first.json or {}
    message = body.get("data") or {}
    if body.get("type") == 5:  # deferred: the answer comes as the first follow-up
        followups = fake.followups(interaction_id)
        if not followups:
            return Outcome(interaction_id, "pending", latency)
        message = followups[0].json or {}
    return Outcome(interaction_id, _kind(message), latency, (message.get("embeds") or [None])[0])


def _kind(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if message.get("embeds"):
        return "answered"
    if BUSY_MESSAGE in content:
        return "busy"
    if RESTARTING_MESSAGE in content:
        return "restarting"
    return "error"


async def settle(fake: FakeDiscord, ids: list[str], timeout: float) -> list[Outcome]:
    """Wait until no interaction is pending (or ``timeout`` s pass); pending ones then count as lost."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        outcomes = [outcome(fake, i) for i in ids]
        if all(o.kind != "pending" for o in outcomes) or loop.time() > deadline:
            return [o if o.kind != "pending" else dataclasses.replace(o, kind="lost") for o in outcomes]
        await asyncio.sleep(0.1)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
