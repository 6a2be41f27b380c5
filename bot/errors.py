"""Errors meant for people: each names the file, the place and the fix in one line."""

from __future__ import annotations


class BriefbotError(Exception):
    """An error a front end shows as one line, never as a traceback."""


class ConfigError(BriefbotError):
    """config.yaml (or the file chosen by --config / BRIEFBOT_CONFIG) is unusable."""


class KnowledgeError(BriefbotError):
    """An article or one of its curated files in the knowledge folder is unusable."""


class InputError(BriefbotError):
    """A question or command argument the bot cannot work with."""


def where(path: object, line: int | None = None) -> str:
    """Format a location as 'path' or 'path:line' for error messages."""
    return f"{path}:{line}" if line else str(path)
