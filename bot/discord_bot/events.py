"""A gateway event discord.py cannot parse is logged and dropped instead of ending the client.

discord.py runs each event's parser inside the websocket's ``received_message``; an exception
there (an INTERACTION_CREATE whose ``d`` is null or a list, lacks ``id``/``type``/``token``, has a
non-numeric id, a member without a user, a null application id, a component without
``custom_id`` ...) propagates out of ``poll_event`` and ``Client.connect`` and stops the bot, and
every question in flight with it. discord.py offers no documented hook between the socket and its
parsers (``on_socket_raw_receive`` only observes, after nothing can be changed), so briefbot's
client wraps the parsers of its own ConnectionState once, when discord.py creates it through
``Client._get_state`` (the factory discord.py's own ``AutoShardedClient`` overrides). The parsers
themselves are discord.py's, unchanged; a payload they accept behaves exactly as before.

The same wrapping drops an interaction or a message seen before (:func:`once`): Discord replays the
events a session missed when it resumes, and a replay may overlap what the client had already read
(or reach it twice across a reconnect); answering it again would only earn a 400 "Interaction has
already been acknowledged" (40060), or a second reply to one mention.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping
from typing import Any

log = logging.getLogger("briefbot.discord")

Parser = Callable[[Any], None]


def drop_malformed_events(parsers: MutableMapping[str, Parser]) -> None:
    """Wrap every parser in ``parsers`` (event name -> discord.py parser) with :func:`guarded`."""
    for event, parser in list(parsers.items()):
        parsers[event] = guarded(event, parser)


def guarded(event: str, parser: Parser) -> Parser:
    """``parser``, except that an exception it raises is one log line and the event is dropped."""

    def parse(data: Any) -> None:
        try:
            parser(data)
        except Exception as exc:
            log.warning("dropped a malformed %s event%s: %s", event, _which(event, data), summary(exc))

    parse.__wrapped__ = parser  # type: ignore[attr-defined]
    return parse


def _which(event: str, data: Any) -> str:
    if not isinstance(data, dict):
        return f" (d is {'null' if data is None else type(data).__name__})"
    if "id" not in data:
        return ""
    noun = "interaction" if event == "INTERACTION_CREATE" else "id"
    return f" ({noun} {_short(repr(data['id']))})"


def summary(exc: BaseException) -> str:
    """``KeyError: 'token'``: the exception's type and message on one short line."""
    text = " ".join(str(exc).split())
    return _short(f"{type(exc).__name__}: {text}" if text else type(exc).__name__, 200)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Arrivals:
    """When each interaction was read off the gateway (``clock`` seconds), until it is looked up.

    At most ``keep`` are remembered (the oldest forgotten first), so interactions nobody looks up
    (autocomplete, buttons) cannot make it grow.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, keep: int = 10_000) -> None:
        self._clock = clock
        self._keep = keep
        self._at: dict[str, float] = {}

    def stamp(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("id"), str | int):
            self._at[str(data["id"])] = self._clock()
            if len(self._at) > self._keep:
                del self._at[next(iter(self._at))]

    def age(self, interaction_id: int | str) -> float | None:
        """Seconds since the interaction arrived (None when unknown); forgets it."""
        arrived = self._at.pop(str(interaction_id), None)
        return None if arrived is None else self._clock() - arrived


class Seen:
    """The ids of the last ``keep`` events of one kind (the oldest forgotten first)."""

    def __init__(self, keep: int = 20_000) -> None:
        self._keep = keep
        self._ids: dict[str, None] = {}

    def first_time(self, data: Any) -> bool:
        """True unless ``data`` (an event's ``d``) has an ``id`` already seen; remembers it."""
        if not isinstance(data, dict) or not isinstance(data.get("id"), str | int):
            return True  # nothing to recognise it by: discord.py's parser decides
        key = str(data["id"])
        if key in self._ids:
            return False
        self._ids[key] = None
        if len(self._ids) > self._keep:
            del self._ids[next(iter(self._ids))]
        return True


def once(event: str, parser: Parser, seen: Seen) -> Parser:
    """``parser``, except for an event whose id ``seen`` already holds (one INFO line instead)."""

    def parse(data: Any) -> None:
        if seen.first_time(data):
            parser(data)
        else:
            log.info("dropped a replayed %s event%s: already received", event, _which(event, data))

    parse.__wrapped__ = parser  # type: ignore[attr-defined]
    return parse


# Keys of an INTERACTION_CREATE that discord.py 2.7 reads as required although a payload from
# before Discord added them (or from a Discord-compatible server that omits them) is complete
# without: their documented values for a bot with no boosts.
INTERACTION_DEFAULTS = {"version": 1, "attachment_size_limit": 10 * 1024 * 1024}
# The same for the user and guild member objects inside events: discord.py 2.7 reads a user's
# ``discriminator`` and ``avatar`` and a member's ``roles`` and ``flags`` as required, and drops the
# whole event without them. Their values for a user of today's usernames with the default avatar
# ("0", null) and a member with no roles and no flags.
USER_DEFAULTS = {"discriminator": "0", "avatar": None}
MEMBER_DEFAULTS: dict[str, Any] = {"roles": [], "flags": 0}
# Where those objects sit: a dotted path of keys -> the defaults of the object found there.
INTERACTION_NESTED_DEFAULTS = {"member": MEMBER_DEFAULTS, "member.user": USER_DEFAULTS, "user": USER_DEFAULTS}
MESSAGE_NESTED_DEFAULTS = {"author": USER_DEFAULTS, "member": MEMBER_DEFAULTS}


def with_defaults(parser: Parser, defaults: dict[str, Any], nested: dict[str, dict[str, Any]] | None = None) -> Parser:
    """``parser``, given the event with ``defaults`` filled in for the keys it lacks, and each object
    at a path of ``nested`` (``"member.user"``) with its own defaults. The event is copied where it
    changes, never changed in place."""

    def parse(data: Any) -> None:
        if isinstance(data, dict):
            data = _filled(data, defaults)
            for path, inner in (nested or {}).items():
                data = _filled_at(data, path.split("."), inner)
        parser(data)

    parse.__wrapped__ = parser  # type: ignore[attr-defined]
    return parse


def _filled(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return data if defaults.keys() <= data.keys() else defaults | data


def _filled_at(data: dict[str, Any], keys: list[str], defaults: dict[str, Any]) -> dict[str, Any]:
    child = data.get(keys[0])
    if not isinstance(child, dict):
        return data  # absent, null or malformed: discord.py decides
    new = _filled_at(child, keys[1:], defaults) if len(keys) > 1 else _filled(child, defaults)
    return data if new is child else data | {keys[0]: new}


def stamped(parser: Parser, arrivals: Arrivals) -> Parser:
    """``parser``, noting first when the event arrived."""

    def parse(data: Any) -> None:
        arrivals.stamp(data)
        parser(data)

    parse.__wrapped__ = parser  # type: ignore[attr-defined]
    return parse
