"""Small builders shared by the Discord tests."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

from bot.config import Config, DiscordSettings
from bot.discord_bot.client import create_bot


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
    return dataclasses.replace(base, **changes)


@lru_cache(maxsize=1)
def shipped_router() -> Any:
    """The real router over the shipped article, built once for the whole test run."""
    from bot.engine import build_engine
    from bot.router import Router

    # BM25 whatever extras are installed: these tests are about Discord, not ranking, and the
    # passages they expect must not move when the semantic extra is present.
    config = Config(retrieval=dataclasses.replace(Config().retrieval, mode="bm25"))
    return Router(build_engine(config))


def build_test_bot(discord: DiscordSettings, clock: FakeClock, router: Any = None) -> Any:
    return create_bot(router or shipped_router(), discord, clock=clock)


# -- a stand-in for the timeline/actor half of the router ----------------------------------------
# The Discord layer only reads attributes and to_dict() of these results, so tests can exercise
# /timeline, /actors and /actor with data they can see, whatever the curated files contain.


@dataclasses.dataclass(frozen=True)
class StubEvent:
    date: str
    event: str
    actors: tuple[str, ...]
    paragraph: int
    quote: str
    precision: str = "day"
    year_inferred: bool = False
    article: str = "al-bukamal-2019"

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["actors"] = list(self.actors)
        return data


@dataclasses.dataclass(frozen=True)
class StubTimeline:
    events: tuple[StubEvent, ...]
    message: str = ""


@dataclasses.dataclass(frozen=True)
class StubActor:
    name: str
    type: str
    aliases: tuple[str, ...]
    role: str
    mentions: int
    first_paragraph: int
    quotes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["aliases"] = list(self.aliases)
        data["quotes"] = list(self.quotes)
        return data


@dataclasses.dataclass(frozen=True)
class StubActorList:
    actors: tuple[StubActor, ...]
    message: str = ""


@dataclasses.dataclass(frozen=True)
class StubLookup:
    query: str
    actor: StubActor | None
    suggestions: tuple[str, ...] = ()
    message: str = ""


ACTORS = (
    StubActor(
        "Kata'ib Hezbollah",
        "armed group",
        ("Kataib Hezbollah", "KH"),
        "An Iraqi militia in the Popular Mobilization Forces that stayed in Syria.",
        6,
        10,
        ("This group is run by Abu Mahdi al-Muhandis",),
    ),
    StubActor(
        "Abu Mahdi al-Muhandis",
        "person",
        ("Muhandis",),
        "Runs Kata'ib Hezbollah.",
        2,
        10,
        ("an Iraqi who served alongside Iran’s Islamic Revolutionary Guard Corps",),
    ),
    StubActor("Iran", "state", ("Iranian",), "Builds the land bridge.", 20, 1, ("Iran’s 'land bridge'",)),
    StubActor(
        "Islamic Revolutionary Guard Corps",
        "armed group",
        ("IRGC", "Revolutionary Guards"),
        "Iran's elite force.",
        5,
        3,
        (),
    ),
)


def stub_events(count: int, *, long: bool = False) -> tuple[StubEvent, ...]:
    events = []
    for index in range(count):
        year = 1980 + index
        text = f"Event number {index} happened" + (" and it went on" * 200 if long else "")
        events.append(
            StubEvent(
                date=f"{year}-08-24",
                event=text,
                actors=("Iran", "Kata'ib Hezbollah"),
                paragraph=index % 17 + 1,
                quote=("A quote " * (300 if long else 3)).strip(),
                year_inferred=index % 2 == 1,
            )
        )
    return tuple(events)


class StubRouter:
    """The real ask/help/source, with timeline and actor results the test chooses."""

    def __init__(self, events: tuple[StubEvent, ...] = (), actors: tuple[StubActor, ...] = ACTORS) -> None:
        self.real = shipped_router()
        self.events = events or stub_events(3)
        self.actor_list = actors
        self.calls: list[tuple[str, Any]] = []

    def ask(self, question: str, top_k: int | None = None, conversation: Any = None) -> Any:
        self.calls.append(("ask", question))
        return self.real.ask(question, top_k=top_k, conversation=conversation)

    def help(self) -> Any:
        return self.real.help()

    def source(self) -> Any:
        return self.real.source()

    def timeline(self, years: str | None = None, actor: str | None = None) -> StubTimeline:
        self.calls.append(("timeline", (years, actor)))
        if years == "bad":
            from bot.errors import InputError

            raise InputError("a year is four digits, or a range like 2014-2016")
        events = self.events
        if actor:
            events = tuple(e for e in events if actor in e.actors)
        message = "" if events else f"No events involve {actor}."
        return StubTimeline(events, message)

    def actors(self, type: str | None = None) -> StubActorList:
        self.calls.append(("actors", type))
        return StubActorList(tuple(a for a in self.actor_list if type is None or a.type == type))

    def actor(self, name: str) -> StubLookup:
        self.calls.append(("actor", name))
        for actor in self.actor_list:
            if name.lower() in [n.lower() for n in (actor.name, *actor.aliases)]:
                return StubLookup(name, actor)
        return StubLookup(name, None, ("Iran", "IRGC"), f"No actor named {name}.")

    def actor_names(self) -> list[str]:
        return [n for a in self.actor_list for n in (a.name, *a.aliases)]

    def actor_types(self) -> list[str]:
        return sorted({a.type for a in self.actor_list})
