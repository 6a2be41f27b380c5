"""Counts in user-facing text: "1 paragraph", "2 paragraphs", never "1 paragraphs"."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None, digits: str = "") -> str:
    """``count`` and ``noun``, the noun plural unless count is 1: (1, "note") -> "1 note".

    ``plural_form`` for an irregular plural ("entry" -> "entries"); ``digits`` a format spec for the
    number ("," gives "1,032 words").
    """
    return f"{count:{digits}} {noun if count == 1 else (plural_form or noun + 's')}"
