"""A small Discord-compatible server for end-to-end tests: REST and the gateway websocket.

It speaks only what a bot needs to log in, connect and answer interactions, in Discord's
documented payload shapes, and binds to 127.0.0.1 only. Optional endpoints (application info,
``GET /gateway/bot``) are off by default, so the test proves the client does not depend on them.
"""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_ID = "1100000000000000001"
APPLICATION_ID = BOT_ID
GUILD_ID = "1200000000000000002"
CHANNEL_ID = "1300000000000000003"
USER_ID = "1400000000000000004"

HELLO, HEARTBEAT, IDENTIFY, HEARTBEAT_ACK, DISPATCH = 10, 1, 2, 11, 0


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    authorization: str | None


@dataclass
class FakeDiscord:
    token: str
    serve_app_info: bool = False
    serve_gateway_bot: bool = False
    callback_status: int = 204
    sparse_ready: bool = False  # READY with only v, user and application
    sparse_users: bool = False  # users without discriminator/avatar, members without flags/roles
    requests: list[Recorded] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    identify_payload: dict[str, Any] | None = None
    port: int = 0
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _sequence: int = 0
    _recorded: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        if self._socket is not None and not self._socket.closed:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- REST --------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = None
        if request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        async with self._recorded:
            self.requests.append(
                Recorded(request.method, path, dict(request.query), body, request.headers.get("Authorization"))
            )
            self._recorded.notify_all()
        if path == "/users/@me" and request.method == "GET":
            if request.headers.get("Authorization") != f"Bot {self.token}":
                return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
            return web.json_response(self.user(_bot_user()))
        if path == "/oauth2/applications/@me" and self.serve_app_info:
            info = {"id": APPLICATION_ID, "name": "briefbot", "icon": None, "description": "", "flags": 0}
            info |= {"bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64}
            info |= {"team": None, "owner": _user()}
            return web.json_response(info)
        if path == "/gateway/bot" and self.serve_gateway_bot:
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return web.json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})
        if path.startswith("/interactions/") and path.endswith("/callback"):
            if self.callback_status == 204:
                return web.Response(status=204)
            return web.json_response({"interaction": {"id": path.split("/")[2], "type": 2}}, status=200)
        if path.startswith("/applications/") and path.endswith("/commands") and request.method == "PUT":
            commands = [
                {**command, "id": str(1700000000000000000 + n), "application_id": APPLICATION_ID, "version": "1"}
                for n, command in enumerate(body or [])
            ]
            return web.json_response(commands)
        if path.startswith("/channels/") and path.endswith("/messages") and request.method == "POST":
            return web.json_response(_message(body or {}))
        if path.startswith("/webhooks/") and request.method in ("PATCH", "POST"):
            return web.json_response(_message(body or {}))
        return web.json_response({"message": "404: Not Found", "code": 0}, status=404)

    async def wait_for_request(self, predicate: Any, timeout: float = 15.0) -> Recorded:
        async def find() -> Recorded:
            async with self._recorded:
                while True:
                    for recorded in self.requests:
                        if predicate(recorded):
                            return recorded
                    await self._recorded.wait()

        return await asyncio.wait_for(find(), timeout)

    # -- gateway -----------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json({"op": HELLO, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            op = payload.get("op")
            if op == HEARTBEAT:
                await ws.send_json({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            elif op == IDENTIFY:
                self.identify_payload = payload["d"]
                if payload["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                ready = _ready(self.gateway_url)
                ready["user"] = self.user(ready["user"])
                if self.sparse_ready:
                    ready = {k: ready[k] for k in ("v", "user", "application")}
                await self.dispatch("READY", ready)
                self.identified.set()
        return ws

    def user(self, user: dict[str, Any]) -> dict[str, Any]:
        if not self.sparse_users:
            return user
        return {k: v for k, v in user.items() if k not in ("discriminator", "avatar")}

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._socket is not None, "the bot has not connected"
        if event == "INTERACTION_CREATE" and self.sparse_users:
            data["member"] = {
                k: v for k, v in data["member"].items() if k not in ("flags", "roles", "deaf", "mute", "joined_at")
            }
            data["member"]["user"] = self.user(data["member"]["user"])
        self._sequence += 1
        await self._socket.send_json({"op": DISPATCH, "t": event, "s": self._sequence, "d": data})


def _bot_user() -> dict[str, Any]:
    return {
        "id": BOT_ID,
        "username": "briefbot",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": True,
    }


def _user() -> dict[str, Any]:
    return {"id": USER_ID, "username": "alice", "discriminator": "0", "global_name": "Alice", "avatar": None}


def _ready(gateway_url: str) -> dict[str, Any]:
    return {
        "v": 10,
        "user": _bot_user(),
        "guilds": [],
        "session_id": "fake-session",
        "resume_gateway_url": gateway_url,
        "application": {"id": APPLICATION_ID, "flags": 0},
    }


def _message(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "1500000000000000005",
        "channel_id": CHANNEL_ID,
        "author": _bot_user(),
        "content": body.get("content") or "",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "pinned": False,
        "type": 0,
    }


def slash_command(interaction_id: int, name: str, options: dict[str, Any]) -> dict[str, Any]:
    """An INTERACTION_CREATE for ``/name`` in a guild channel, as Discord documents it (without
    the newer optional keys, which a compatible server may leave out)."""
    option_types = {str: 3, bool: 5, int: 4}
    return {
        "id": str(interaction_id),
        "application_id": APPLICATION_ID,
        "type": 2,
        "token": f"interaction-token-{interaction_id}",
        "version": 1,
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "general", "position": 0},
        "member": {
            "user": _user(),
            "roles": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": "2147483647",
        },
        "app_permissions": "2147483647",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "data": {
            "id": "1600000000000000006",
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": option_types[type(v)], "value": v} for k, v in options.items()],
        },
    }


def mention_message(message_id: int, content: str) -> dict[str, Any]:
    """A MESSAGE_CREATE from a user in a guild channel that mentions the bot, as Discord sends it."""
    return {
        "id": str(message_id),
        "channel_id": CHANNEL_ID,
        "guild_id": GUILD_ID,
        "author": _user(),
        "member": {"roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0},
        "content": content,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [_bot_user()],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
    }


def button_click(interaction_id: int, custom_id: str, message: dict[str, Any]) -> dict[str, Any]:
    """An INTERACTION_CREATE for a click on button ``custom_id`` of the bot's ``message``."""
    payload = slash_command(interaction_id, "", {})
    payload["type"] = 3  # MESSAGE_COMPONENT
    payload["data"] = {"custom_id": custom_id, "component_type": 2}
    payload["message"] = {**_message(message), "id": "1500000000000000099", "components": message.get("components", [])}
    return payload


def autocomplete(interaction_id: int, name: str, option: str, typed: str) -> dict[str, Any]:
    """An INTERACTION_CREATE asking for choices while the user types ``typed`` into ``option``."""
    payload = slash_command(interaction_id, name, {option: typed})
    payload["type"] = 4  # APPLICATION_COMMAND_AUTOCOMPLETE
    payload["data"]["options"][0]["focused"] = True
    return payload
