"""Read YAML once, refusing repeated keys, and find the line of any key or item, so errors can point at it.

The text is parsed once into a node tree (which keeps every line) and the values are built from
that tree; a line is looked up only when an error needs one. A date written unquoted
(``published: 2021-03-04``) stays the text it was written as, once checked to be a real date: the
schemas (:mod:`bot.schema`) take dates as text, quoted or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import BriefbotError

Key = tuple[str | int, ...]
# libyaml's safe loader is ten times faster, and every start parses config and curated files.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


class _ImpossibleDate(yaml.constructor.ConstructorError):
    """A timestamp-shaped scalar that is no real date (2019-02-30): PyYAML raises a bare ValueError."""


class _RepeatedKey(yaml.constructor.ConstructorError):
    """A key given twice in one mapping: YAML would silently keep only the last."""

    def __init__(self, mapping: yaml.MappingNode, key: yaml.Node, first: yaml.Node) -> None:
        super().__init__(None, None, "repeated key", key.start_mark)
        self.mapping, self.key, self.first = mapping, key, first


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader that refuses repeated keys and keeps dates as their text."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _ImpossibleDate(
                None, None, f"{node.value!r} is not a real date ({exc}); write it as YYYY-MM-DD", node.start_mark
            ) from None
        return node.value

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            # Checked before merge keys (<<) are flattened in: a merged key may be overridden.
            seen: dict[str, yaml.Node] = {}
            for key_node, _ in node.value:
                name = str(key_node.value)
                if name in seen and key_node.tag != _MERGE:
                    raise _RepeatedKey(node, key_node, seen[name])
                seen[name] = key_node
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data and the node tree it was built from (for lines)."""

    path: Path
    data: Any
    root: yaml.Node | None = None

    def line_of(self, *key: str | int) -> int | None:
        """The 1-based line of ``key`` (a mapping key's own line, a list item's first line), or of its
        deepest existing prefix: a missing key points at its parent."""
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in key:
            found = _child(node, part)
            if found is None:
                break
            line, node = found
        return line


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    """(line, node) of the entry ``part`` under ``node``; the last of repeated keys, as YAML keeps it."""
    if isinstance(node, yaml.MappingNode):
        found = None
        for key_node, value_node in node.value:
            if str(key_node.value) == str(part):
                found = (key_node.start_mark.line + 1, value_node)
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None


def read_yaml(path: Path, error: type[BriefbotError]) -> YamlDocument:
    """Parse ``path``; a syntax error, a repeated key or an impossible date becomes ``error`` naming
    file, line and the problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from Notepad is not part of the YAML
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    loader = _Loader(text)
    root = None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except _RepeatedKey as exc:
        dotted = ".".join(str(part) for part in (*_key_of(root, exc.mapping), exc.key.value))
        raise error(
            f"{path}:{exc.key.start_mark.line + 1}: {dotted}: the key appears twice "
            f"(first on line {exc.first.start_mark.line + 1}); "
            "YAML would silently keep only the last: merge them into one"
        ) from None
    except _ImpossibleDate as exc:
        line = f":{exc.problem_mark.line + 1}" if exc.problem_mark is not None else ""
        raise error(f"{path}{line}: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        number = _error_line(text, exc)
        line = f":{number}" if number is not None else ""
        problem = exc.problem or str(exc)
        raise error(f"{path}{line}: invalid YAML: {problem}; check indentation and quoting") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, root=root)


def _error_line(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """The 1-based line a YAML syntax error names: always a line of ``text``.

    PyYAML marks an error found at the end of the stream (an unclosed ``[`` or quote) on the line
    after the last one; the line where the unclosed construct began (its context mark) is the one
    to fix, else the last line that holds anything.
    """
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.splitlines() or [""]
    if mark.line < len(lines) and mark.index < len(text.rstrip()):
        return mark.line + 1
    context = exc.context_mark
    if context is not None and context.line < len(lines):
        return context.line + 1
    last = max((number for number, body in enumerate(lines, start=1) if body.strip()), default=1)
    return min(mark.line + 1, last)


def _key_of(root: yaml.Node | None, target: yaml.Node) -> Key:
    """The key path from ``root`` to ``target`` (only on an error: a walk of the tree)."""
    stack: list[tuple[yaml.Node, Key]] = [(root, ())] if root is not None else []
    seen: set[int] = set()  # an alias (*name) shares its node: visit each once
    while stack:
        node, key = stack.pop()
        if node is target:
            return key
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, (*key, str(name.value))) for name, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*key, index)) for index, item in enumerate(node.value))
    return ()
