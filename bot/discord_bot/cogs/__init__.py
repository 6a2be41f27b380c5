"""One cog per feature. Handlers stay thin: read the options, call the router, render, send."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import BriefBot

from .actors import ActorsCog
from .admin import AdminCog
from .ask import AskCog
from .info import InfoCog
from .timeline import TimelineCog

COGS = (AskCog, TimelineCog, ActorsCog, InfoCog, AdminCog)


async def load_cogs(bot: BriefBot) -> None:
    for cog in COGS:
        if bot.get_cog(cog.__name__) is None:  # setup_hook runs again when a client restarts
            await bot.add_cog(cog(bot))
