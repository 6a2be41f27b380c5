"""Where briefbot points discord.py: the REST base and the gateway, from the two config keys.

discord.py reads both from class attributes that it documents nowhere but sets itself:
``discord.http.Route.BASE`` (REST, with the API version; discord.py's own ``_set_api_version``
assigns it) and ``DiscordWebSocket.DEFAULT_GATEWAY`` (the websocket URL used whenever the client
is not resuming; discord.py assigns it back on an invalidated session). Discord documents the
gateway URL as what ``GET /gateway/bot`` returns; discord.py asks for it only when sharding
without a shard count, so the plain client would never learn a local server's URL that way.
Setting these two attributes is the whole of briefbot's change to discord.py: every payload is
read by discord.py as it ships.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

DISCORD_HOSTS = ("discord.com", "discordapp.com", "discord.gg")


def _is_discord(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == known or host.endswith("." + known) for known in DISCORD_HOSTS)


def check_endpoint(url: str, schemes: tuple[str, ...], key: str) -> str:
    """``url`` stripped of surrounding spaces, or ValueError naming the config key."""
    parts = urlsplit(url.strip())
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"config discord.{key}: {url!r} is not a {' or '.join(schemes)} URL")
    return url.strip()


def configure_endpoints(api_base_url: str, gateway_url: str) -> list[str]:
    """Point discord.py at ``api_base_url`` and ``gateway_url``; return warnings for the log.

    Raises ValueError naming the key when a URL is not http(s) / ws(s).
    """
    # Route paths start with "/", so the base loses a trailing slash; the gateway URL is used
    # exactly as given (discord.py only adds its ?v=&encoding=&compress= query).
    api = check_endpoint(api_base_url, ("https", "http"), "api_base_url").rstrip("/")
    gateway = check_endpoint(gateway_url, ("wss", "ws"), "gateway_url")
    Route.BASE = api
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    warnings = []
    if not _is_discord(api):
        warnings.append(f"discord.api_base_url is {api}, not Discord's API: using a Discord-compatible server")
    if not _is_discord(gateway):
        warnings.append(f"discord.gateway_url is {gateway}, not Discord's gateway: using a Discord-compatible server")
    return warnings
