"""Small builders shared by the Discord tests."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import msgspec

from bot.actors import Actor, ActorList, ActorLookup, ActorQuote
from bot.config import Config, DiscordSettings
from bot.discord_bot.client import create_bot
from bot.errors import InputError
from bot.responder import Answer
from bot.router import Router
from bot.timeline import Timeline, TimelineEvent


class FakeClock:
    """A monotonic clock the test moves by hand, for the cooldown."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def settings(**changes: Any) -> DiscordSettings:
    # Threads off unless a test turns them on: most tests read the channel's last message, and a
    # thread adds messages of its own (tests/discord/test_threads.py covers them).
    base = DiscordSettings(cooldown_seconds=0.0, threads=False)
    return msgspec.structs.replace(base, **changes)


@lru_cache(maxsize=1)
def shipped_router() -> Router:
    """The real router over the shipped article, built once for the whole test run."""
    from bot.engine import build_engine
    from bot.router import Router

    # BM25 whatever extras are installed: these tests are about Discord, not ranking, and the
    # passages they expect must not move when the semantic extra is present.
    config = Config(retrieval=msgspec.structs.replace(Config().retrieval, mode="bm25"))
    return Router(build_engine(config))


def build_test_bot(discord: DiscordSettings, clock: FakeClock, router: Any = None) -> Any:
    return create_bot(router or shipped_router(), discord, clock=clock)


# -- a router double: the real Router over the shipped article, with timeline and actor results the
# test chooses, built from the core's own dataclasses (TimelineEvent, Actor, Timeline, ActorList,
# ActorLookup), so the renderers are tested against the real types and their real attributes.


def stub_event(
    date: str, event: str, actors: tuple[str, ...], paragraph: int, quote: str, *, year_inferred: bool = False
) -> TimelineEvent:
    precision = "day" if len(date) == 10 else "month" if len(date) == 7 else "year"
    return TimelineEvent(
        date=date,
        precision=precision,
        year_inferred=year_inferred,
        event=event,
        actors=actors,
        article="al-bukamal-2019",
        paragraph=paragraph,
        quote=quote,
    )


def stub_actor(
    name: str, type: str, aliases: tuple[str, ...], role: str, mentions: int, first: int, quotes: tuple[str, ...]
) -> Actor:  # noqa: A002 - the field is called type
    return Actor(
        name=name,
        type=type,
        aliases=aliases,
        role=role,
        mentions=mentions,
        first_paragraph=first,
        quotes=tuple(ActorQuote(paragraph=first, quote=q) for q in quotes),
        events=(),
        article="al-bukamal-2019",
    )


ACTORS = (
    stub_actor(
        "Kata'ib Hezbollah",
        "armed group",
        ("Kataib Hezbollah", "KH"),
        "An Iraqi militia in the Popular Mobilization Forces that stayed in Syria.",
        6,
        10,
        ("This group is run by Abu Mahdi al-Muhandis",),
    ),
    stub_actor(
        "Abu Mahdi al-Muhandis",
        "person",
        ("Muhandis",),
        "Runs Kata'ib Hezbollah.",
        2,
        10,
        ("an Iraqi who served alongside Iran’s Islamic Revolutionary Guard Corps",),
    ),
    stub_actor("Iran", "state", ("Iranian",), "Builds the land bridge.", 20, 1, ("Iran’s 'land bridge'",)),
    stub_actor(
        "Islamic Revolutionary Guard Corps",
        "armed group",
        ("IRGC", "Revolutionary Guards"),
        "Iran's elite force.",
        5,
        3,
        (),
    ),
)


def stub_events(count: int, *, long: bool = False) -> tuple[TimelineEvent, ...]:
    events = []
    for index in range(count):
        year = 1980 + index
        text = f"Event number {index} happened" + (" and it went on" * 200 if long else "")
        events.append(
            stub_event(
                f"{year}-08-24",
                text,
                ("Iran", "Kata'ib Hezbollah"),
                index % 17 + 1,
                ("A quote " * (300 if long else 3)).strip(),
                year_inferred=index % 2 == 1,
            )
        )
    return tuple(events)


class StubRouter(Router):
    """The real router (ask, help, source ...), with timeline and actor results the test chooses."""

    def __init__(self, events: tuple[TimelineEvent, ...] = (), actors: tuple[Actor, ...] = ACTORS) -> None:
        super().__init__(shipped_router().engine)
        self.events = events or stub_events(3)
        self.actor_list = actors
        self.calls: list[tuple[str, Any]] = []

    def ask(self, question: str, top_k: int | None = None, conversation: Any = None) -> Answer:
        self.calls.append(("ask", question))
        return super().ask(question, top_k=top_k, conversation=conversation)

    def timeline(self, years: str | None = None, actor: str | None = None) -> Timeline:
        self.calls.append(("timeline", (years, actor)))
        if years == "bad":
            raise InputError("a year is four digits, or a range like 2014-2016")
        events = self.events
        if actor:
            events = tuple(e for e in events if actor in e.actors)
        message = "" if events else f"No events involve {actor}."
        return Timeline(events, message)

    def actors(self, type: str | None = None) -> ActorList:  # noqa: A002 - the option is called type
        self.calls.append(("actors", type))
        return ActorList(tuple(a for a in self.actor_list if type is None or a.type == type), "")

    def actor(self, name: str) -> ActorLookup:
        self.calls.append(("actor", name))
        for actor in self.actor_list:
            if name.lower() in [n.lower() for n in (actor.name, *actor.aliases)]:
                return ActorLookup(name, actor, (), "")
        return ActorLookup(name, None, ("Iran", "IRGC"), f"No actor named {name}.")

    def actor_names(self) -> list[str]:
        return [n for a in self.actor_list for n in (a.name, *a.aliases)]

    def actor_types(self) -> list[str]:
        return sorted({a.type for a in self.actor_list})
