"""Running `briefbot run` as its own process against the fake Discord: config, process, helpers."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from .fake_discord import FakeDiscord

TOKEN = "fake-token.for-tests.AbCdEf0123456789"
STARTUP_TIMEOUT = 30.0
REPLY_TIMEOUT = 15.0


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    stderr_chunks: list[bytes]
    stderr_read: asyncio.Task[None]

    async def exited(self) -> int:
        """The exit status, once the process has ended and all it wrote to stderr has been read."""
        code = await self.process.wait()
        await self.stderr_read
        return code

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        try:
            return await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise

    @property
    def stderr(self) -> str:
        return b"".join(self.stderr_chunks).decode(errors="replace")


def write_config(tmp_path: Path, fake: FakeDiscord, **discord: object) -> Path:
    lines = [
        "retrieval:",
        "  mode: bm25  # the expected passages must not depend on installed extras",
        "discord:",
        f"  api_base_url: {fake.api_base_url}",
        f"  gateway_url: {fake.gateway_url}",
        "  cooldown_seconds: 0",
        "  log_level: INFO",
    ]
    lines += [f"  {key}: {value}" for key, value in discord.items()]
    path = tmp_path / "config.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def start_bot(config: Path, token: str | None, *args: str) -> BotProcess:
    """``python -m bot ARGS`` (default ``run``); the config comes by BRIEFBOT_CONFIG unless ARGS
    name it with --config."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "BRIEFBOT_CONFIG")}
    if "--config" not in args:
        env["BRIEFBOT_CONFIG"] = str(config)
    if token is not None:
        env["DISCORD_TOKEN"] = token
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *(args or ("run",)),
        env=env,
        # Outside the checkout, `python -m bot` runs the installed briefbot, as a user's would.
        cwd=config.parent,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    chunks: list[bytes] = []

    async def drain() -> None:
        assert process.stderr is not None
        while chunk := await process.stderr.read(4096):
            chunks.append(chunk)

    return BotProcess(process, chunks, asyncio.get_running_loop().create_task(drain()))


def is_callback(interaction_id: int):
    return lambda r: (
        r.method == "POST" and r.path == f"/interactions/{interaction_id}/interaction-token-{interaction_id}/callback"
    )
