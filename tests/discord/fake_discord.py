"""A small Discord-compatible server for end-to-end tests and benchmarks: REST and the gateway.

It speaks what a bot needs to log in, connect and answer interactions, with complete payloads in
the shapes Discord documents (READY, GUILD_CREATE, INTERACTION_CREATE with full member and user
objects, application info, interaction callbacks with ``with_response``), JSON served as
``application/json`` exactly as Discord does, and binds to 127.0.0.1 only. It records every
request with the time it arrived, so tests can check Discord's 3-second acknowledgement window.

Faults, as Discord produces them, for the fault tests (tests/discord/test_faults.py):

- gateway: op 7 Reconnect, op 9 Invalid Session (resumable or not), a close with any code or a
  dropped TCP connection (1006), heartbeat ACKs withheld (a zombied connection); sessions keep the
  events sent to them, replay the ones after the client's ``seq`` on RESUME (optionally some it
  already had: ``replay_overlap``) and buffer events dispatched while the client is away;
- REST: :meth:`FakeDiscord.inject` makes the next requests of a kind (``callback``, ``followup``,
  ``edit_original``, ``channel_message``, ``channel_edit``, ``thread``) fail with a status and body (429 with
  ``retry_after`` and the X-RateLimit headers: :func:`rate_limited`), or answer late; a second
  callback for one interaction gets 400 40060 as on Discord.
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
RESUME, RECONNECT, INVALID_SESSION = 6, 7, 9
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
    status: int = 200  # what the fake answered

    @property
    def accepted(self) -> bool:
        return self.status < 300


@dataclass
class Fault:
    """The next ``times`` requests of ``kind`` wait ``delay`` seconds, then get ``status`` with
    ``body`` and ``headers`` (or, with ``status`` None, their normal answer: a slow response)."""

    kind: str
    status: int | None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int = 1
    hits: int = 0


def rate_limited(retry_after: float, *, scope: str = "user") -> tuple[int, dict[str, Any], dict[str, str]]:
    """A 429 as Discord documents it: body ``{message, retry_after, global}`` and the X-RateLimit
    headers (``scope`` "user", "shared" or "global"). Returns (status, body, headers)."""
    is_global = scope == "global"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
    headers = {
        "Retry-After": str(max(1, round(retry_after + 0.49))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": "fake-bucket",
        "X-RateLimit-Scope": scope,
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    return 429, body, headers


@dataclass
class Session:
    """A gateway session: the events sent to it (for RESUME) and its socket while connected."""

    id: str
    sequence: int = 0
    frames: list[tuple[int, str]] = field(default_factory=list)  # (seq, frame), oldest first
    socket: web.WebSocketResponse | None = None
    resumable: bool = True


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
    heartbeat_interval_ms: int = 41250
    ack_heartbeats: bool = True  # False: heartbeats go unanswered (a zombied connection)
    replay_overlap: int = 0  # on RESUME, also replay this many events the client already had
    send_guild_create: bool = True  # False: the guild in READY stays unavailable
    refuse_gateway: int = 0  # the next this many gateway connections get HTTP 503 instead of an upgrade
    faults: list[Fault] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # (path, broken limits) answered 400
    sessions: list[Session] = field(default_factory=list)
    identifies: int = 0
    resumes: int = 0
    heartbeats: int = 0
    resumed: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    _requests: dict[int, web.Request] = field(default_factory=dict)  # id(socket) -> its upgrade request
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
        for session in self.sessions:
            if session.socket is not None and not session.socket.closed:
                await session.socket.close()
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
        fault = self._fault_for(request.method, path)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            response = _json(fault.body if fault.body is not None else {"message": "fault", "code": 0}, fault.status)
            response.headers.update(fault.headers)
        else:
            response = self._respond(request, path, body, recorded)
        recorded.status = response.status
        self._index(recorded)
        async with self._recorded:
            self.requests.append(recorded)
            self._recorded.notify_all()
        return response

    def inject(
        self,
        kind: str,
        status: int | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        delay: float = 0.0,
        times: int = 1,
    ) -> Fault:
        """Make the next ``times`` requests of ``kind`` (see :func:`request_kind`) fail or answer late."""
        fault = Fault(kind, status, body, dict(headers or {}), delay, times)
        self.faults.append(fault)
        return fault

    def _fault_for(self, method: str, path: str) -> Fault | None:
        kind = request_kind(method, path)
        for fault in self.faults:
            if fault.kind == kind and fault.hits < fault.times:
                fault.hits += 1
                return fault
        return None

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
        kind = request_kind(request.method, path)
        if kind in ("followup", "edit_original", "channel_message", "channel_edit") or (
            kind == "callback" and isinstance(body, dict) and body.get("type") in (4, 7, 8)
        ):
            message = (body.get("data") or {}) if kind == "callback" else (body or {})
            problems = limit_problems(message)
            if problems:
                self.refused.append((path, problems))
                return _json({"message": "Invalid Form Body", "code": 50035, "errors": problems}, status=400)
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
        if kind == "channel_edit":
            parts = path.split("/")
            return _json(_message(body or {}) | {"id": parts[4], "channel_id": parts[2]})
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
        if any(s.resumable for s in self.sessions):
            asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", thread | {"newly_created": True}))
        return _json(thread)

    def _callback(self, path: str, query: Any, body: dict[str, Any], recorded: Recorded) -> web.Response:
        """An interaction callback: 204, or with ``with_response`` the documented callback response;
        past Discord's window, 404 Unknown interaction (10062) as Discord answers."""
        interaction_id = path.split("/")[2]
        if any(r.accepted for r in self.callbacks(interaction_id)):
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, status=400)
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

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.refuse_gateway > 0:  # the gateway is down: the upgrade fails, as behind a failing proxy
            self.refuse_gateway -= 1
            return web.Response(status=503, text="Service Unavailable")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._requests[id(ws)] = request
        await ws.send_json({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
        session: Session | None = None
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            op = payload.get("op")
            if op == HEARTBEAT:
                self.heartbeats += 1
                if self.ack_heartbeats:
                    await ws.send_json({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            elif op == IDENTIFY:
                self.identify_payload = payload["d"]
                if payload["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                self.identifies += 1
                session = Session(f"fake-session-{self.identifies}", socket=ws)
                self.sessions.append(session)
                await self._send(session, "READY", _ready(self.gateway_url, session.id))
                if self.send_guild_create:
                    await self._send(session, "GUILD_CREATE", _guild())
                self.identified.set()
            elif op == RESUME:
                session = await self._resume(ws, payload.get("d") or {})
        if session is not None and session.socket is ws:
            session.socket = None  # events dispatched from now on wait for a RESUME
        self._requests.pop(id(ws), None)
        return ws

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        """RESUME: replay what the client missed (seq > its ``seq``), then RESUMED; op 9 (not
        resumable) for an unknown or invalidated session or a wrong token."""
        session = next((s for s in self.sessions if s.id == data.get("session_id")), None)
        if session is None or not session.resumable or data.get("token") != self.token:
            await ws.send_json({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        self.resumes += 1
        session.socket = ws
        since = int(data.get("seq") or 0)
        missed = [frame for seq, frame in session.frames if seq > since]
        overlap = (
            [frame for seq, frame in session.frames if seq <= since][-self.replay_overlap :]
            if self.replay_overlap
            else []
        )
        for frame in overlap + missed:
            await ws.send_str(frame)
        await self._send(session, "RESUMED", {})
        self.resumed.set()
        return session

    @property
    def _session(self) -> Session:
        live = [s for s in self.sessions if s.resumable]
        assert live, "the bot has not connected"
        return live[-1]

    async def _send(self, session: Session, event: str, data: Any) -> None:
        session.sequence += 1
        frame = json.dumps({"op": DISPATCH, "t": event, "s": session.sequence, "d": data})
        session.frames.append((session.sequence, frame))
        if session.socket is not None and not session.socket.closed:
            try:
                await session.socket.send_str(frame)
            except ConnectionError:
                session.socket = None  # kept for the replay on RESUME

    async def dispatch(self, event: str, data: Any) -> None:
        """Send one gateway event (``data`` as given, malformed or not) to the current session; while
        its client is away the event waits there for a RESUME, as on Discord."""
        session = self._session
        if event == "INTERACTION_CREATE" and isinstance(data, dict) and isinstance(data.get("id"), str):
            self.dispatched_at[data["id"]] = time.monotonic()
        await self._send(session, event, data)

    async def dispatch_to_all(self, event: str, data: Any) -> None:
        """Send one event to every session not invalidated (two clients logged in with one token)."""
        if event == "INTERACTION_CREATE" and isinstance(data, dict) and isinstance(data.get("id"), str):
            self.dispatched_at[data["id"]] = time.monotonic()
        for session in [s for s in self.sessions if s.resumable]:
            await self._send(session, event, data)

    async def send_op(self, op: int, data: Any = None) -> None:
        """A gateway opcode (7 Reconnect, 9 Invalid Session with ``data`` true/false) to the current
        client; op 9 with false also ends the session, as Discord does."""
        session = self._session
        if op == INVALID_SESSION and not data:
            session.resumable = False
        assert session.socket is not None, "the client is not connected"
        await session.socket.send_json({"op": op, "d": data, "s": None, "t": None})

    async def send_raw(self, text: str) -> None:
        """A text frame exactly as given (not JSON, say) to the current client."""
        socket = self._session.socket
        assert socket is not None, "the client is not connected"
        await socket.send_str(text)

    async def close_socket(self, code: int | None) -> None:
        """Close the current client's socket with ``code``; None drops the TCP connection without a
        close frame (the client sees 1006)."""
        session = self._session
        ws = session.socket
        assert ws is not None, "the client is not connected"
        session.socket = None
        if code is None:
            request = self._requests.get(id(ws))
            if request is not None and request.transport is not None:
                request.transport.abort()
        else:
            await ws.close(code=code, message=b"closed by the fake")

    async def wait_connected(self, timeout: float = 15.0) -> None:
        """Until the current session has a socket again (after a RESUME or a new IDENTIFY)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            live = [s for s in self.sessions if s.resumable]
            if live and live[-1].socket is not None:
                return
            if loop.time() > deadline:
                raise TimeoutError("the bot did not connect again")
            await asyncio.sleep(0.02)

    def _index(self, recorded: Recorded) -> None:
        parts = recorded.path.split("/")
        if recorded.method == "PATCH" and recorded.path.endswith("/messages/@original"):
            token = parts[3] if len(parts) > 3 else ""
            self._by_interaction.setdefault(("edit", token.removeprefix("interaction-token-")), []).append(recorded)
        if recorded.method != "POST":
            return
        if recorded.path.startswith("/interactions/") and recorded.path.endswith("/callback"):
            self._by_interaction.setdefault(("callback", parts[2]), []).append(recorded)
        elif recorded.path.startswith("/webhooks/") and parts[-1].startswith("interaction-token-"):
            self._by_interaction.setdefault(("followup", parts[-1].removeprefix("interaction-token-")), []).append(
                recorded
            )

    def callbacks(self, interaction_id: int | str) -> list[Recorded]:
        """The initial responses the bot sent for an interaction (accepted or too late), oldest first."""
        return list(self._by_interaction.get(("callback", str(interaction_id)), []))

    def edits(self, interaction_id: int | str) -> list[Recorded]:
        """Edits of an interaction's original response (PATCH .../messages/@original), oldest first."""
        return list(self._by_interaction.get(("edit", str(interaction_id)), []))

    def followups(self, interaction_id: int | str) -> list[Recorded]:
        """Follow-up messages the bot sent for an interaction (after deferring), oldest first."""
        return list(self._by_interaction.get(("followup", str(interaction_id)), []))


def limit_problems(message: Any) -> list[str]:
    """The Discord limits a message body (or an autocomplete result) breaks, as Discord checks them:
    content 2000; 10 embeds; title 256, description 4096, 25 fields of name 256 and value 1024
    (neither empty), footer 2048, author 256, 6000 in all; button custom_id 100, label 80;
    25 choices of name and value 1-100."""
    if not isinstance(message, dict):
        return []
    problems = []
    if len(message.get("content") or "") > 2000:
        problems.append("content over 2000")
    embeds = message.get("embeds") or []
    if len(embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for n, embed in enumerate(embeds):
        sizes = {
            "title": (len(embed.get("title") or ""), 256),
            "description": (len(embed.get("description") or ""), 4096),
            "footer": (len((embed.get("footer") or {}).get("text") or ""), 2048),
            "author": (len((embed.get("author") or {}).get("name") or ""), 256),
            "fields": (len(embed.get("fields") or []), 25),
        }
        total += sum(size for key, (size, _) in sizes.items() if key != "fields")
        for field_ in embed.get("fields") or []:
            name, value = field_.get("name") or "", field_.get("value") or ""
            total += len(name) + len(value)
            if not name or not value or len(name) > 256 or len(value) > 1024:
                problems.append(f"embed {n} field {name[:20]!r}: name {len(name)}, value {len(value)}")
        problems += [f"embed {n} {key} {size} > {limit}" for key, (size, limit) in sizes.items() if size > limit]
    if total > 6000:
        problems.append(f"embeds total {total} > 6000")
    for row in message.get("components") or []:
        for item in row.get("components") or []:
            if len(item.get("custom_id") or "") > 100 or len(item.get("label") or "") > 80:
                problems.append("component custom_id or label too long")
    choices = message.get("choices")
    if choices is not None:
        if len(choices) > 25:
            problems.append("more than 25 choices")
        for choice in choices:
            if not 1 <= len(str(choice.get("name", ""))) <= 100 or len(str(choice.get("value", ""))) > 100:
                problems.append(f"choice {str(choice.get('name'))[:20]!r} name or value length")
    return problems


def request_kind(method: str, path: str) -> str:
    """What a REST request is, for fault injection: callback, followup, edit_original,
    channel_message, channel_edit (PATCH /channels/{channel}/messages/{message}), thread, or other."""
    if path.startswith("/interactions/") and path.endswith("/callback"):
        return "callback"
    if path.startswith("/webhooks/"):
        if method == "POST":
            return "followup"
        if method == "PATCH" and path.endswith("/messages/@original"):
            return "edit_original"
    if path.startswith("/channels/") and path.endswith("/messages") and method == "POST":
        return "channel_message"
    if path.startswith("/channels/") and path.count("/") == 4 and "/messages/" in path and method == "PATCH":
        return "channel_edit"
    if path.startswith("/channels/") and path.endswith("/threads") and method == "POST":
        return "thread"
    return "other"


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


def _ready(gateway_url: str, session_id: str = "fake-session") -> dict[str, Any]:
    return {
        "v": 10,
        "user": _bot_user(),
        "guilds": [{"id": GUILD_ID, "unavailable": True}],
        "session_id": session_id,
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


def dm_command(interaction_id: int, name: str, options: dict[str, Any], *, user_id: str = USER_ID) -> dict[str, Any]:
    """``/name`` in a DM with the bot, as Discord sends it: no guild_id, guild or member, a ``user``
    instead, and the DM channel (type 1)."""
    payload = slash_command(interaction_id, name, options, user_id=user_id)
    user = payload.pop("member")["user"]
    for key in ("guild_id", "guild", "guild_locale"):
        payload.pop(key)
    dm_channel = str(1900000000000000000 + int(user_id) % 1000)
    payload |= {
        "user": user,
        "channel_id": dm_channel,
        "channel": {"id": dm_channel, "type": 1, "last_message_id": None, "flags": 0, "recipients": [user]},
        "context": 1,  # BOT_DM
        "authorizing_integration_owners": {"0": GUILD_ID},
        "app_permissions": "562949953601536",
    }
    return payload


def bare_command(interaction_id: int, name: str, options: dict[str, Any]) -> dict[str, Any]:
    """``/name`` with only the keys Discord always sends (id, application_id, type, token, version,
    data, and the guild, channel and member of a guild interaction): every optional key left out."""
    full = slash_command(interaction_id, name, options)
    kept = ("id", "application_id", "type", "token", "version", "data", "guild_id", "channel_id", "member")
    return {k: full[k] for k in kept} | {"app_permissions": "2147483647", "locale": "en-US"}
