"""A small Discord-compatible server for end-to-end tests and benchmarks: REST and the gateway.

It speaks what a bot needs to log in, connect and answer interactions, with complete payloads in
the shapes Discord documents (READY, GUILD_CREATE, INTERACTION_CREATE with full member and user
objects, application info, interaction callbacks with ``with_response``), JSON served as
``application/json`` exactly as Discord does, and binds to 127.0.0.1 only. It records every
request with the time it arrived, so tests can check Discord's 3-second acknowledgement window.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_ID = "1100000000000000001"
APPLICATION_ID = BOT_ID
GUILD_ID = "1200000000000000002"
CHANNEL_ID = "1300000000000000003"
USER_ID = "1400000000000000004"
BOT_ROLE_ID = "1800000000000000008"  # the role Discord manages for the bot in the guild

HELLO, HEARTBEAT, IDENTIFY, HEARTBEAT_ACK, DISPATCH = 10, 1, 2, 11, 0
ACK_WINDOW_SECONDS = 3.0  # Discord's: an interaction not acknowledged by then is gone


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    authorization: str | None
    at: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic)
    message_id: str | None = None  # the message the request created, if it created one


@dataclass
class FakeDiscord:
    token: str
    enforce_window: bool = True  # a callback later than ACK_WINDOW_SECONDS gets 404 Unknown interaction
    requests: list[Recorded] = field(default_factory=list)
    dispatched_at: dict[str, float] = field(default_factory=dict)  # interaction id -> when it was sent
    late: list[str] = field(default_factory=list)  # interaction ids whose callback came too late
    _by_interaction: dict[tuple[str, str], list[Recorded]] = field(default_factory=dict)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    identify_payload: dict[str, Any] | None = None
    port: int = 0
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _sequence: int = 0
    _messages: int = 0
    _recorded: asyncio.Condition = field(default_factory=asyncio.Condition)
    threads: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> thread channel object

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
        arrived = time.monotonic()
        path = "/" + request.match_info["tail"]
        body = None
        if request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        recorded = Recorded(request.method, path, dict(request.query), body, request.headers.get("Authorization"))
        recorded.at = arrived
        response = self._respond(request, path, body, recorded)
        self._index(recorded)
        async with self._recorded:
            self.requests.append(recorded)
            self._recorded.notify_all()
        return response

    def _new_message(self, body: dict[str, Any], recorded: Recorded) -> dict[str, Any]:
        self._messages += 1
        recorded.message_id = str(1500000000000000000 + self._messages)
        return _message(body) | {"id": recorded.message_id}

    def _respond(self, request: web.Request, path: str, body: Any, recorded: Recorded) -> web.Response:
        if request.headers.get("Authorization", f"Bot {self.token}") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        if path == "/users/@me" and request.method == "GET":
            return _json(_bot_user())
        if path == "/oauth2/applications/@me":
            return _json(_application())
        if path in ("/gateway", "/gateway/bot"):
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})
        if path.startswith("/interactions/") and path.endswith("/callback"):
            return self._callback(path, request.query, body or {}, recorded)
        if path.startswith("/applications/") and path.endswith("/commands") and request.method == "PUT":
            commands = [
                {**command, "id": str(1700000000000000000 + n), "application_id": APPLICATION_ID, "version": "1"}
                for n, command in enumerate(body or [])
            ]
            return _json(commands)
        if path.startswith("/channels/") and path.endswith("/threads") and request.method == "POST":
            return self._start_thread(path, body or {})
        if path.startswith("/channels/") and path.endswith("/messages") and request.method == "POST":
            return _json(self._new_message(body or {}, recorded) | {"channel_id": path.split("/")[2]})
        if path.startswith("/webhooks/") and request.method == "POST":
            return _json(self._new_message(body or {}, recorded))
        if path.startswith("/webhooks/") and request.method == "PATCH":
            return _json(_message(body or {}))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _start_thread(self, path: str, body: dict[str, Any]) -> web.Response:
        """POST /channels/{channel}/messages/{message}/threads: a public thread on a message, whose id is
        the message's (as on Discord); THREAD_CREATE follows on the gateway."""
        parts = path.split("/")
        if len(parts) != 6 or parts[3] != "messages":
            return _json({"message": "404: Not Found", "code": 0}, status=404)
        channel_id, message_id = parts[2], parts[4]
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        if message_id in self.threads:
            return _json({"message": "A thread has already been created for this message", "code": 160004}, 400)
        thread = thread_channel(message_id, name, parent_id=channel_id, auto_archive=body.get("auto_archive_duration"))
        self.threads[message_id] = thread
        if self._socket is not None and not self._socket.closed:
            asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", thread | {"newly_created": True}))
        return _json(thread)

    def _callback(self, path: str, query: Any, body: dict[str, Any], recorded: Recorded) -> web.Response:
        """An interaction callback: 204, or with ``with_response`` the documented callback response;
        past Discord's window, 404 Unknown interaction (10062) as Discord answers."""
        interaction_id = path.split("/")[2]
        sent = self.dispatched_at.get(interaction_id)
        if self.enforce_window and sent is not None and recorded.at - sent > ACK_WINDOW_SECONDS:
            self.late.append(interaction_id)
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        if query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        kind = body.get("type")
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        message = self._new_message(data, recorded) if kind in (4, 5) else None
        interaction = {
            "id": path.split("/")[2],
            "type": 2,
            "activity_instance_id": None,
            "response_message_id": message["id"] if message else None,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            resource["message"] = message | {"flags": flags | (128 if kind == 5 else 0)}
        elif kind == 7:
            resource["message"] = _message(data)
        return _json({"interaction": interaction, "resource": resource})

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
                await self.dispatch("READY", _ready(self.gateway_url))
                await self.dispatch("GUILD_CREATE", _guild())
                self.identified.set()
        return ws

    async def dispatch(self, event: str, data: Any) -> None:
        """Send one gateway event (``data`` as given, malformed or not)."""
        assert self._socket is not None, "the bot has not connected"
        self._sequence += 1
        frame = json.dumps({"op": DISPATCH, "t": event, "s": self._sequence, "d": data})
        if event == "INTERACTION_CREATE" and isinstance(data, dict) and isinstance(data.get("id"), str):
            self.dispatched_at[data["id"]] = time.monotonic()
        await self._socket.send_str(frame)

    def _index(self, recorded: Recorded) -> None:
        if recorded.method != "POST":
            return
        parts = recorded.path.split("/")
        if recorded.path.startswith("/interactions/") and recorded.path.endswith("/callback"):
            self._by_interaction.setdefault(("callback", parts[2]), []).append(recorded)
        elif recorded.path.startswith("/webhooks/") and parts[-1].startswith("interaction-token-"):
            self._by_interaction.setdefault(("followup", parts[-1].removeprefix("interaction-token-")), []).append(
                recorded
            )

    def callbacks(self, interaction_id: int | str) -> list[Recorded]:
        """The initial responses the bot sent for an interaction (accepted or too late), oldest first."""
        return list(self._by_interaction.get(("callback", str(interaction_id)), []))

    def followups(self, interaction_id: int | str) -> list[Recorded]:
        """Follow-up messages the bot sent for an interaction (after deferring), oldest first."""
        return list(self._by_interaction.get(("followup", str(interaction_id)), []))


def _json(data: Any, status: int = 200) -> web.Response:
    # Discord's Content-Type is exactly "application/json" (aiohttp's json_response adds a charset).
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def _user_object(user_id: str, username: str, global_name: str | None, *, bot: bool = False) -> dict[str, Any]:
    """A user object with every documented key."""
    user: dict[str, Any] = {
        "id": user_id,
        "username": username,
        "discriminator": "0",
        "global_name": global_name,
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
        "primary_guild": None,
        "collectibles": None,
    }
    if bot:
        user |= {"bot": True, "system": False, "mfa_enabled": True, "verified": True, "email": None, "locale": "en-US"}
    return user


def _bot_user() -> dict[str, Any]:
    return _user_object(BOT_ID, "briefbot", None, bot=True)


def _user(user_id: str = USER_ID, name: str = "alice") -> dict[str, Any]:
    return _user_object(user_id, name, name.title())


def _application() -> dict[str, Any]:
    """GET /oauth2/applications/@me, as Discord documents the application object."""
    return {
        "id": APPLICATION_ID,
        "name": "briefbot",
        "icon": None,
        "description": "Answers questions about a news article.",
        "summary": "",
        "type": None,
        "bot": _bot_user(),
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
        "owner": _user(),
        "guild_id": None,
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "approximate_guild_count": 1,
        "integration_types_config": {"0": {}},
    }


def _ready(gateway_url: str) -> dict[str, Any]:
    return {
        "v": 10,
        "user": _bot_user(),
        "guilds": [{"id": GUILD_ID, "unavailable": True}],
        "session_id": "fake-session",
        "session_type": "normal",
        "resume_gateway_url": gateway_url,
        "shard": [0, 1],
        "application": {"id": APPLICATION_ID, "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "geo_ordered_rtc_regions": ["rotterdam"],
        "guild_join_requests": [],
        "user_settings": {},
        "auth_session_id_hash": "fake",
    }


def _role(role_id: str, name: str, *, tags: dict[str, Any] | None = None, position: int = 0) -> dict[str, Any]:
    role: dict[str, Any] = {
        "id": role_id,
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": "2147483647" if tags else "1071698660929",
        "managed": tags is not None,
        "mentionable": False,
        "flags": 0,
    }
    if tags is not None:
        role["tags"] = tags
    return role


def _member(user: dict[str, Any], roles: list[str]) -> dict[str, Any]:
    return {
        "user": user,
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": roles,
        "joined_at": "2026-01-01T00:00:00.000000+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


def _channel() -> dict[str, Any]:
    return {
        "id": CHANNEL_ID,
        "type": 0,
        "guild_id": GUILD_ID,
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "topic": None,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def thread_channel(
    thread_id: str, name: str, *, parent_id: str = CHANNEL_ID, auto_archive: Any = None
) -> dict[str, Any]:
    """A public thread (channel type 11) as Discord documents the channel object of a thread."""
    return {
        "id": thread_id,
        "type": 11,
        "guild_id": GUILD_ID,
        "parent_id": parent_id,
        "owner_id": BOT_ID,
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "applied_tags": [],
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": int(auto_archive or 1440),
            "archive_timestamp": "2026-01-01T00:00:00.000000+00:00",
            "locked": False,
            "create_timestamp": "2026-01-01T00:00:00.000000+00:00",
        },
    }


def _guild() -> dict[str, Any]:
    """GUILD_CREATE for the one guild: its roles (including the bot's managed role), the channel
    and the bot's own member, as a bot without the members intent receives it."""
    return {
        "id": GUILD_ID,
        "name": "newsroom",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": USER_ID,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            _role(GUILD_ID, "@everyone"),
            _role(BOT_ROLE_ID, "briefbot", tags={"bot_id": BOT_ID}, position=1),
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "joined_at": "2026-01-01T00:00:00.000000+00:00",
        "large": False,
        "unavailable": False,
        "member_count": 2,
        "voice_states": [],
        "members": [_member(_bot_user(), [BOT_ROLE_ID])],
        "channels": [_channel()],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "max_members": 500000,
        "max_video_channel_users": 25,
        "lazy": True,
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
        "components": body.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": int(body.get("flags") or 0),
    }


def slash_command(
    interaction_id: int,
    name: str,
    options: dict[str, Any],
    *,
    user_id: str = USER_ID,
    option_types: Any = None,
    thread: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE for ``/name`` in a guild channel (or in ``thread``, a thread channel
    object) from ``user_id``, with every key Discord documents. Option types follow the values unless
    ``option_types`` (name -> type) says otherwise."""
    kinds = {str: 3, bool: 5, int: 4, float: 10}
    declared = option_types or {}
    user = _user(user_id, f"user{user_id[-4:]}")
    return {
        "id": str(interaction_id),
        "application_id": APPLICATION_ID,
        "type": 2,
        "token": f"interaction-token-{interaction_id}",
        "version": 1,
        "guild_id": GUILD_ID,
        "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
        "channel_id": thread["id"] if thread else CHANNEL_ID,
        "channel": thread if thread else _channel(),
        "member": _member(user, []) | {"permissions": "2147483647"},
        "app_permissions": "2147483647",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "attachment_size_limit": 10485760,
        "data": {
            "id": "1600000000000000006",
            "name": name,
            "type": 1,
            "options": [
                {"name": k, "type": declared.get(k, kinds.get(type(v), 3)), "value": v} for k, v in options.items()
            ],
        },
    }


def mention_message(
    message_id: int, content: str, *, role: bool = False, channel_id: str = CHANNEL_ID
) -> dict[str, Any]:
    """A MESSAGE_CREATE from a user in a guild channel (or the thread ``channel_id``) that mentions
    the bot (or, with ``role``, the bot's managed role), as Discord sends it."""
    member = {k: v for k, v in _member(_user(), []).items() if k != "user"}
    return {
        "id": str(message_id),
        "channel_id": channel_id,
        "guild_id": GUILD_ID,
        "author": _user(),
        "member": member,
        "content": content,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [] if role else [_bot_user() | {"member": {k: v for k, v in member.items()}}],
        "mention_roles": [BOT_ROLE_ID] if role else [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
    }


def button_click(
    interaction_id: int, custom_id: str, message: dict[str, Any], message_id: str | None, *, user_id: str = USER_ID
) -> dict[str, Any]:
    """An INTERACTION_CREATE for a click on button ``custom_id`` of the bot's ``message`` (the body
    it was sent with; ``message_id`` as the fake assigned it)."""
    payload = slash_command(interaction_id, "", {}, user_id=user_id)
    payload["type"] = 3  # MESSAGE_COMPONENT
    payload["data"] = {"custom_id": custom_id, "component_type": 2, "id": 1}
    payload["message"] = _message(message) | {"id": message_id or "1500000000000000999"}
    return payload


def autocomplete(interaction_id: int, name: str, option: str, typed: str) -> dict[str, Any]:
    """An INTERACTION_CREATE asking for choices while the user types ``typed`` into ``option``."""
    payload = slash_command(interaction_id, name, {option: typed})
    payload["type"] = 4  # APPLICATION_COMMAND_AUTOCOMPLETE
    payload["data"]["options"][0]["focused"] = True
    return payload
