"""Checks on an application command's payload before discord.py reads it, in plain Python.

Discord validates option values against the registered command, but a payload may still carry a
value of the wrong type or shape (an outdated registration, a client bug, a hand-made request):
a question as a number, null, a list or an object, ``private`` as a string. discord.py passes
such a value straight to the handler, or fails on a malformed ``options`` list outside any error
handler. :func:`check_command_data` finds the first problem and says it in a sentence the user can
act on; :class:`BadPayload` carries that sentence and, for the log, the detail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Discord's application command option types (the ones briefbot's commands use, and NUMBER).
STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10
_EXPECTED = {STRING: "text", INTEGER: "a whole number", BOOLEAN: "true or false", NUMBER: "a number"}


@dataclass(frozen=True)
class OptionSpec:
    """A command option as briefbot declared it: name, Discord option type, required or not, and
    whether it offers choices while the user types (autocomplete)."""

    name: str
    type: int
    required: bool
    autocomplete: bool = False


class BadPayload(Exception):
    """``message`` is for the user (one sentence); ``detail`` is for the log."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def describe(value: Any) -> str:
    """What a JSON value is, in words: "a number", "a list", "null", "true or false", "text"."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def value_fits(option_type: int, value: Any) -> bool:
    """True when ``value`` is what Discord sends for an option of ``option_type``."""
    if option_type == STRING:
        return isinstance(value, str)
    if option_type == BOOLEAN:
        return isinstance(value, bool)
    if option_type == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if option_type == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True  # users, channels, roles, attachments: discord.py resolves and checks those itself


def check_command_data(command: str, data: Any, options: Sequence[OptionSpec], *, autocomplete: bool = False) -> None:
    """Raise :class:`BadPayload` for the first problem in an application command's ``data``.

    ``data`` is the interaction's ``data`` object; ``options`` the command's declared options.
    While autocompleting, a required option may still be missing and the focused one may hold
    partial text of any type, so only the shape is checked.
    """
    if not isinstance(data, Mapping):
        raise BadPayload("I could not read that command; please try again.", f"data is {describe(data)}")
    given = data.get("options", [])
    if given is None:
        given = []
    if not isinstance(given, list):
        raise BadPayload(f"I could not read the options of /{command}.", f"options is {describe(given)}")
    declared = {spec.name: spec for spec in options}
    seen: set[str] = set()
    for index, option in enumerate(given):
        if not isinstance(option, Mapping) or not isinstance(option.get("name"), str):
            raise BadPayload(f"I could not read the options of /{command}.", f"options[{index}] has no name")
        name = option["name"]
        spec = declared.get(name)
        if spec is None:
            raise BadPayload(
                f'/{command} has no option "{_shown(name)}"; run /help to see its options.', f"unknown option {name!r}"
            )
        seen.add(name)
        if "value" not in option:
            raise BadPayload(f'The option "{name}" came without a value.', f"option {name!r} has no value")
        value = option["value"]
        if autocomplete and option.get("focused"):
            continue
        if not value_fits(spec.type, value):
            raise BadPayload(
                f'The option "{name}" must be {_EXPECTED.get(spec.type, "a valid value")}, not {describe(value)}.',
                f"option {name!r} (type {spec.type}) got {type(value).__name__} {_shown(repr(value))}",
            )
    if not autocomplete:
        missing = [spec.name for spec in options if spec.required and spec.name not in seen]
        if missing:
            raise BadPayload(f'/{command} needs the option "{missing[0]}".', f"missing options {missing}")


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
