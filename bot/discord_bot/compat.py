"""Where briefbot points discord.py and how it tolerates Discord-compatible servers.

discord.py talks to the endpoints in two class attributes: ``http.Route.BASE`` (REST, with the API
version) and ``DiscordWebSocket.DEFAULT_GATEWAY`` (the websocket, used whenever the client is not
resuming; the plain client never asks ``GET /gateway/bot``, and the sharded one only when it must
discover its shard count, which briefbot always gives it). Setting both lets ``briefbot run`` talk
to a local server that speaks Discord's protocol, for tests and self-hosted gateways.

The shims below accept payloads that a real Discord always sends in full but a minimal
compatible server may trim; each one only fills in what is missing and never changes what is there.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import yarl
from discord import client as discord_client
from discord import http as discord_http
from discord import shard as discord_shard
from discord import utils as discord_utils
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord.webhook import async_ as webhook_async

log = logging.getLogger("briefbot.discord")

DISCORD_HOSTS = ("discord.com", "discordapp.com", "discord.gg")
DEFAULT_ATTACHMENT_LIMIT = 8 * 1024 * 1024


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
    """Point discord.py at ``api_base_url`` and ``gateway_url``; return warnings for the log."""
    # Route paths start with "/", so the base loses a trailing slash; the gateway URL is used
    # exactly as given (discord.py only adds its ?v=&encoding=&compress= query).
    api = check_endpoint(api_base_url, ("https", "http"), "api_base_url").rstrip("/")
    gateway = check_endpoint(gateway_url, ("wss", "ws"), "gateway_url")
    Route.BASE = api
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    _use_tolerant_websocket()
    warnings = []
    if not _is_discord(api):
        warnings.append(f"discord.api_base_url is {api}, not Discord's API: using a Discord-compatible server")
    if not _is_discord(gateway):
        warnings.append(f"discord.gateway_url is {gateway}, not Discord's gateway: using a Discord-compatible server")
    return warnings


def fill_user_defaults(user: Any) -> Any:
    """User keys discord.py 2.7 indexes directly (``discriminator``, ``avatar``), filled when absent."""
    if isinstance(user, dict):
        user.setdefault("discriminator", "0")
        user.setdefault("avatar", None)
        user.setdefault("username", str(user.get("global_name") or "user"))
    return user


def fill_interaction_defaults(data: dict[str, Any], application_id: int | None) -> dict[str, Any]:
    """Keys discord.py 2.7 reads unconditionally from INTERACTION_CREATE, filled when absent."""
    data.setdefault("version", 1)
    data.setdefault("attachment_size_limit", DEFAULT_ATTACHMENT_LIMIT)
    if "application_id" not in data and application_id is not None:
        data["application_id"] = str(application_id)
    member = data.get("member")
    if isinstance(member, dict):
        member.setdefault("roles", [])
        member.setdefault("flags", 0)  # member flags are newer than most examples of the payload
        fill_user_defaults(member.get("user"))
    fill_user_defaults(data.get("user"))
    return data


def tolerate_sparse_login(http: Any) -> None:
    """Fill user defaults in the ``GET /users/@me`` reply that ``Client.login`` parses."""
    original = http.static_login

    async def static_login(token: str) -> Any:
        return fill_user_defaults(await original(token))

    http.static_login = static_login


def tolerate_sparse_interactions(connection: Any) -> None:
    """Wrap the INTERACTION_CREATE parser of a client's ConnectionState with the defaults above."""
    parsers = connection.parsers
    original = parsers["INTERACTION_CREATE"]

    def parse_interaction_create(data: dict[str, Any]) -> None:
        original(fill_interaction_defaults(data, connection.application_id))

    parsers["INTERACTION_CREATE"] = parse_interaction_create


class TolerantWebhookAdapter(webhook_async.AsyncWebhookAdapter):
    """Accepts an empty interaction-callback reply.

    discord.py asks for the callback's resulting message (``?with_response=1``) and reads
    ``data["interaction"]``; a server that answers 204 No Content, as Discord itself does without
    that parameter, would make a delivered reply look like a failure and trigger a second, error
    reply. A minimal payload keeps the first reply the only one.
    """

    async def create_interaction_response(self, interaction_id: int, token: str, **kwargs: Any) -> Any:
        data = await super().create_interaction_response(interaction_id, token, **kwargs)
        if isinstance(data, dict) and isinstance(data.get("interaction"), dict):
            return data
        return {"interaction": {"id": str(interaction_id), "type": 2}}


def install_webhook_adapter() -> None:
    """Use :class:`TolerantWebhookAdapter` in this context (and the tasks it starts)."""
    webhook_async.async_context.set(TolerantWebhookAdapter())


async def json_or_text(response: aiohttp.ClientResponse) -> dict[str, Any] | str:
    """discord.py's reader, but JSON whenever the media type is JSON.

    discord.py 2.7 decodes a body only when Content-Type is exactly ``application/json``; a server
    that adds a charset (``application/json; charset=utf-8``, as aiohttp's ``json_response`` does)
    would hand the client a string where it expects an object. Discord's own replies are unaffected.
    """
    text = await response.text(encoding="utf-8")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" and text:
        return discord_utils._from_json(text)  # type: ignore[no-any-return]
    return text


def install_json_reader() -> None:
    """Use :func:`json_or_text` for REST and webhook (interaction) requests; idempotent."""
    discord_http.json_or_text = json_or_text
    webhook_async.json_or_text = json_or_text


class TolerantWebSocket(DiscordWebSocket):
    """Reads a READY that lacks keys discord.py 2.7 indexes without a default.

    Discord documents ``session_id``, ``resume_gateway_url`` and ``guilds`` in every READY; a
    minimal compatible gateway may leave them out, and discord.py would then fail while logging
    in. Resuming falls back to the configured gateway. Compressed frames pass through untouched.
    """

    async def received_message(self, msg: Any, /) -> None:
        if isinstance(msg, str) and '"READY"' in msg:
            payload = json.loads(msg)
            if payload.get("t") == "READY" and isinstance(payload.get("d"), dict):
                ready = payload["d"]
                missing = [k for k in ("session_id", "resume_gateway_url", "guilds") if k not in ready]
                if missing:
                    log.warning("READY lacks %s; filling defaults", ", ".join(missing))
                    ready.setdefault("session_id", "briefbot-session")
                    ready.setdefault("resume_gateway_url", str(DiscordWebSocket.DEFAULT_GATEWAY))
                    ready.setdefault("guilds", [])
                    msg = json.dumps(payload)
                if isinstance(ready.get("user"), dict) and not {"discriminator", "avatar"} <= ready["user"].keys():
                    fill_user_defaults(ready["user"])
                    msg = json.dumps(payload)
        await super().received_message(msg)


def _use_tolerant_websocket() -> None:
    # client.py and shard.py call DiscordWebSocket.from_client through their module globals.
    discord_client.DiscordWebSocket = TolerantWebSocket  # type: ignore[attr-defined, misc]
    discord_shard.DiscordWebSocket = TolerantWebSocket  # type: ignore[attr-defined, misc]
