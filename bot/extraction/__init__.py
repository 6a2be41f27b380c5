"""Draft a timeline and an actors list for an article, for a person to review.

:mod:`.dates` finds dates and infers missing years, :mod:`.names` finds actors and guesses their
types, :mod:`.events` turns dates into timeline entries; word lists are data files read by
:mod:`.wordlists`. Everything is the standard library and nothing is loaded unless drafting runs.
Drafts are plain dicts in the curated files' format; :func:`bot.curated.draft_knowledge` checks
them like a curated file (this package never imports :mod:`bot.curated`).
"""

from __future__ import annotations

from typing import Any

from ..knowledge import Article
from .dates import DateMention, find_dates, infer_years
from .events import extract_events
from .names import extract_actors

__all__ = ["DateMention", "extract", "extract_actors", "extract_events", "find_dates", "infer_years"]


def extract(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Draft entries for both curated files: {"timeline": [...], "actors": [...]}."""
    blocks = list(article.blocks)
    actors = extract_actors(article, blocks)
    return {"timeline": extract_events(article, blocks, actors), "actors": actors}
