"""The extractor's word lists, read from data files shipped with briefbot (bot/extraction/data/).

Each file holds one entry per line (``word: value`` for mappings); ``#`` starts a comment line.
Kept as data so a reviewer can extend a list (a title, a media word, a country) without reading code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _entries(name: str) -> tuple[str, ...]:
    text = resources.files("bot.extraction").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def word_set(name: str) -> frozenset[str]:
    """The entries of ``data/<name>.txt`` as a set."""
    return frozenset(_entries(name))


def word_tuple(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>.txt`` in file order (for lists where order matters)."""
    return _entries(name)


def word_map(name: str) -> dict[str, str]:
    """The ``word: value`` entries of ``data/<name>.txt``."""
    pairs = (entry.split(":", 1) for entry in _entries(name))
    return {key.strip(): value.strip() for key, value in pairs}
