"""The Discord front end: the only part of briefbot that imports discord.

Entry points for the CLI: :func:`run` (``briefbot run``) and :func:`sync` (``briefbot sync``).
"""

from __future__ import annotations

from .client import BotServices, BriefBot, create_bot
from .runner import run, sync

__all__ = ["BriefBot", "BotServices", "create_bot", "run", "sync"]
