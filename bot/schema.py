"""One schema mechanism for every YAML file briefbot reads: msgspec Structs, and errors for people.

Each file kind declares its shape as msgspec Structs beside its loader (config, article metadata,
curated timeline and actors, eval sets, conversations): types, ``Literal`` choices, ranges and
patterns as ``Annotated[..., msgspec.Meta(...)]``, ``forbid_unknown_fields`` everywhere. Rules that
tie one key to another (an answerable question needs gold quotes) stay with the loader.

:func:`convert` checks parsed YAML against a Struct and turns msgspec's ``ValidationError``
("Expected `int`, got `str` - at `$.retrieval.top_k`") into one line naming the file, the line of
the YAML node, the key and what is allowed: ``config.yaml:2: retrieval.top_k: expected an integer,
got 'many' (str)``, with "did you mean" for a misspelt key. A key left empty where a mapping or a
list is expected takes its default (``retrieval:`` with every setting commented out).
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec

from .errors import BriefbotError, where
from .yamlfile import Key, YamlDocument

T = TypeVar("T")

# Non-blank text; the description is what an error says is allowed.
Text = Annotated[str, msgspec.Meta(pattern=r"\S", description="non-empty text")]
# Non-blank text on one line once leading and trailing space are cut (a name, a summary).
OneLine = Annotated[str, msgspec.Meta(pattern=r"^\s*[^\n]*\S\s*$", description="text on one line")]

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_KEY_AT = re.compile(r"^(?P<what>.*) - at `key` in `\$(?P<path>[^`]*)`$", re.DOTALL)
_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_BOUND = re.compile(r"^Expected `[^`]+` (?P<op><=|>=|<|>) (?P<bound>\S+)$")
_TOO = {"<=": "too large", "<": "too large", ">=": "too small", ">": "too small"}


class _NoValue:
    """Marks a key the data does not have (a missing required key)."""


def dotted(key: Key) -> str:
    """``retrieval.bm25.k1``, ``questions.0.q``; the document itself is "(top level)"."""
    return ".".join(str(part) for part in key) if key else "(top level)"


def from_document(
    document: YamlDocument,
    type_: type[T],
    error: type[BriefbotError],
    *,
    strict: bool = True,
    label: Callable[[Key], str] = dotted,
) -> T:
    """The data of ``document`` (an empty file: an empty mapping) as ``type_``; see :func:`convert`."""
    data = {} if document.data is None else document.data
    return convert(data, type_, error, name=document.path, line_of=document.line_of, strict=strict, label=label)


def convert(
    data: Any,
    type_: type[T],
    error: type[BriefbotError],
    *,
    name: object,
    line_of: Callable[..., int | None] | None = None,
    strict: bool = True,
    label: Callable[[Key], str] = dotted,
) -> T:
    """``data`` (parsed YAML) as ``type_`` (a msgspec Struct) by ``msgspec.convert``.

    ``strict=False`` also takes numbers and true/false written as quoted text ("123" for an ID).
    Raises ``error`` with one line, ``name[:line]: label(key): problem``; ``line_of(*key)`` gives the
    line (None: the message has none, as for extractor drafts).
    """
    data = _drop_empty(data, type_)
    try:
        return msgspec.convert(data, type_, strict=strict, dec_hook=_decode)
    except msgspec.ValidationError as exc:
        key, problem = explain(str(exc), data, type_)
    line = line_of(*key) if line_of is not None else None
    raise error(f"{where(name, line)}: {label(key)}: {problem}")


def _decode(type_: type, value: Any) -> Any:
    """msgspec's hook for the types it does not know: paths are non-blank text."""
    if type_ is Path:
        if isinstance(value, str) and value.strip():
            return Path(value)
        raise ValueError(f"expected a path, got {describe_value(value)}")
    raise NotImplementedError(f"no schema conversion for {type_!r}")  # a programming error


def explain(message: str, data: Any, type_: Any) -> tuple[Key, str]:
    """msgspec's ValidationError message -> (key path, what is wrong and what is allowed)."""
    matched = _KEY_AT.match(message)
    if matched:  # a key that is not text (a number, a list)
        path = _parse_path(matched["path"])
        bad = next((k for k in _value_at(data, path) if not isinstance(k, str)), None)
        return (*path, str(bad)), f"a key must be text, got {describe_value(bad)}"
    matched = _AT.match(message)
    assert matched is not None  # the pattern matches any text
    what, path = matched["what"], _parse_path(matched["path"] or "")
    expected = _type_at(type_, path)
    unknown = re.fullmatch(r"Object contains unknown field `(.*)`", what, re.DOTALL)
    if unknown:
        allowed = _field_names(expected)
        close = difflib.get_close_matches(unknown[1], allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return (*path, unknown[1]), f"unknown key{hint}; allowed: {', '.join(allowed)}"
    missing = re.fullmatch(r"Object missing required field `(.*)`", what, re.DOTALL)
    if missing:
        wanted = _type_at(expected, (missing[1],))
        return (*path, missing[1]), f"missing: this key is required ({describe(wanted)})"
    value = _value_at(data, path)
    if what.startswith("Invalid enum value"):
        return path, f"{value!r} is not allowed; choose one of: {', '.join(map(str, _choices(expected)))}"
    bound = _BOUND.match(what)
    if bound and not _description(expected):
        return path, f"{value} is {_TOO[bound['op']]}; use a value {bound['op']} {bound['bound']}"
    if what.startswith("Expected"):
        return path, f"expected {describe(expected)}, got {describe_value(value)}"
    return path, what  # our own hook's message (a path), already for people


def describe(type_: Any) -> str:
    """What a value of ``type_`` looks like, for people: "an integer", "a list of integers", ..."""
    described = _description(type_)
    if described:
        return described
    base, metas = _unwrap(type_)
    origin = typing.get_origin(base)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(base) if m is not type(None)]
        return " or ".join(describe(m) for m in members)
    if origin is typing.Literal:
        return "one of: " + ", ".join(map(str, typing.get_args(base)))
    if origin in (list, tuple):
        items = _plural(typing.get_args(base)[0])
        least = max((meta.min_length or 0 for meta in metas), default=0)
        return f"a list of {items}" + (f", at least {least}" if least else "")
    if _is_struct(base):
        return f"a mapping with keys {', '.join(_field_names(base))}"
    names = {bool: "true or false", int: "an integer", float: "a number", str: "text", Path: "a path"}
    return names.get(base, getattr(base, "__name__", str(base)))


def _description(type_: Any) -> str | None:
    """The ``Meta(description=...)`` of ``type_``: what the schema says is allowed, in words."""
    return next((str(meta.description) for meta in _unwrap(type_)[1] if meta.description), None)


def _plural(type_: Any) -> str:
    base, _ = _unwrap(type_)
    described = _description(type_)
    if _is_struct(base):
        return f"mappings with keys {', '.join(_field_names(base))}"
    names = {int: "integers", float: "numbers", bool: "true or false values", str: "texts"}
    return names.get(base) or (f"{described} items" if described else describe(base))


def describe_value(value: Any) -> str:
    """A value as found in the file: "nothing", "a mapping", "an empty list", "'high' (str)"."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return f"{value!r} ({type(value).__name__})"


# --- walking the type and the data along a key path --------------------------------------------------


def _parse_path(text: str) -> Key:
    return tuple(name if name else int(index) for name, index in _PART.findall(text))


def _unwrap(type_: Any) -> tuple[Any, list[msgspec.Meta]]:
    """(the type without Annotated and without None in a union, the Meta constraints on it)."""
    metas: list[msgspec.Meta] = []
    while True:
        if typing.get_origin(type_) is Annotated:
            type_, *extra = typing.get_args(type_)
            metas.extend(m for m in extra if isinstance(m, msgspec.Meta))
            continue
        if typing.get_origin(type_) in (typing.Union, types.UnionType):
            members = [m for m in typing.get_args(type_) if m is not type(None)]
            if len(members) == 1:
                type_ = members[0]
                continue
        return type_, metas


def _is_struct(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, msgspec.Struct)


@functools.cache
def _fields(struct: type) -> dict[str, msgspec.structs.FieldInfo]:
    return {field.encode_name: field for field in msgspec.structs.fields(struct)}


def _field_names(type_: Any) -> list[str]:
    base, _ = _unwrap(type_)
    return list(_fields(base)) if _is_struct(base) else []


def _choices(type_: Any) -> tuple[Any, ...]:
    base, _ = _unwrap(type_)
    if typing.get_origin(base) in (typing.Union, types.UnionType):
        return tuple(c for member in typing.get_args(base) for c in _choices(member))
    return typing.get_args(base) if typing.get_origin(base) is typing.Literal else ()


def _type_at(type_: Any, path: Key) -> Any:
    """The declared type of the value at ``path`` under ``type_`` (Any when the path leaves the schema)."""
    for part in path:
        base, _ = _unwrap(type_)
        options = typing.get_args(base) if typing.get_origin(base) in (typing.Union, types.UnionType) else (base,)
        for option in options:
            option, _ = _unwrap(option)
            if isinstance(part, str) and _is_struct(option) and part in _fields(option):
                type_ = _fields(option)[part].type
                break
            if isinstance(part, int) and typing.get_origin(option) in (list, tuple):
                type_ = typing.get_args(option)[0]
                break
        else:
            return Any
    return type_


def _value_at(data: Any, path: Key) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]  # noqa: SIM114 - the same step, but mypy needs the int narrowed
        else:
            return _NoValue
    return data


def _drop_empty(data: Any, type_: Any) -> Any:
    """``data`` without the keys left empty (null) whose field is a mapping or list with a default."""
    base, _ = _unwrap(type_)
    if isinstance(data, dict) and _is_struct(base):
        fields = _fields(base)
        kept = {}
        for key, value in data.items():
            field = fields.get(key) if isinstance(key, str) else None
            if field is None:
                kept[key] = value
            elif value is None and not field.required and _is_container(field.type):
                continue
            else:
                kept[key] = _drop_empty(value, field.type)
        return kept
    if isinstance(data, list) and typing.get_origin(base) in (list, tuple):
        item = typing.get_args(base)[0]
        return [_drop_empty(value, item) for value in data] if _is_container(item) else data
    return data


def _is_container(type_: Any) -> bool:
    base, _ = _unwrap(type_)
    options = typing.get_args(base) if typing.get_origin(base) in (typing.Union, types.UnionType) else (base,)
    return any(_is_struct(_unwrap(o)[0]) or typing.get_origin(_unwrap(o)[0]) in (list, tuple) for o in options)
