"""Read YAML and remember the line of every key and item, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import BriefbotError

Key = tuple[str | int, ...]
# libyaml's safe loader is ten times faster, and every start parses config and curated files.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ImpossibleDate(yaml.constructor.ConstructorError):
    """A timestamp-shaped scalar that is no real date (2019-02-30): PyYAML raises a bare ValueError."""


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader whose dates fail as marked YAML errors, so the message can name the line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _ImpossibleDate(
                None, None, f"{node.value!r} is not a real date ({exc}); write it as YYYY-MM-DD", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_LOADER = _Loader


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data plus the 1-based line where each key path starts."""

    path: Path
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)

    def line_of(self, *key: str | int) -> int | None:
        """The line of the deepest known prefix of ``key`` (a missing key points at its parent)."""
        for end in range(len(key), -1, -1):
            if key[:end] in self.lines:
                return self.lines[key[:end]]
        return None


def read_yaml(path: Path, error: type[BriefbotError]) -> YamlDocument:
    """Parse ``path``; a syntax error becomes ``error`` naming file, line and the problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from Notepad is not part of the YAML
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
    except _ImpossibleDate as exc:
        line = f":{exc.problem_mark.line + 1}" if exc.problem_mark is not None else ""
        raise error(f"{path}{line}: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or str(exc)
        raise error(f"{path}{line}: invalid YAML: {problem}; check indentation and quoting") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: invalid YAML: {exc}") from None
    lines: dict[Key, int] = {}
    if node is not None:
        duplicate = _collect_lines(node, (), lines)
        if duplicate is not None:
            dotted, line, first = duplicate
            raise error(
                f"{path}:{line}: {dotted}: the key appears twice (first on line {first}); "
                "YAML would silently keep only the last: merge them into one"
            )
    return YamlDocument(path=path, data=data, lines=lines)


def _collect_lines(node: yaml.Node, key: Key, lines: dict[Key, int]) -> tuple[str, int, int] | None:
    """Fill ``lines``; return (dotted key, line, first line) of the first key repeated in a mapping."""
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            line = key_node.start_mark.line + 1
            if name in seen and key_node.tag != "tag:yaml.org,2002:merge":
                return ".".join(str(part) for part in (*key, name)), line, seen[name]
            seen[name] = line
            child = (*key, name)
            found = _collect_lines(value_node, child, lines)
            if found is not None:
                return found
            lines[child] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _collect_lines(item, (*key, index), lines)
            if found is not None:
                return found
    return None
