"""One `briefbot run` per bot token (and shard set) on a machine: a second start waits its turn.

Two processes logged in with one token both receive every interaction and every mention: each
interaction is then answered by whichever acknowledges first (the other gets Discord's 40060) and
each mention is answered twice. So `briefbot run` takes an exclusive lock (``fcntl.flock`` on a
file in the temporary directory named by a hash of the token, the API URL and the shard ids,
holding the pid) and
gives it up as soon as it starts shutting down. A second start waits up to
``discord.takeover_wait_seconds`` for it: started before the old process is stopped (a deploy), it
takes over while the old one answers its last questions; started alongside one that keeps running,
it exits with one line. The kernel drops the lock of a process that dies, so a crash never leaves
a stale lock. Without ``fcntl`` (Windows) there is no lock.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one process per token is then up to the operator
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.1


def lock_path(token: str, api_base_url: str, shard_ids: tuple[int, ...] | None, folder: str | None = None) -> Path:
    """The lock file for ``token`` at ``api_base_url`` with ``shard_ids`` (a hash: the token never
    appears on disk; the URL keeps bots on different Discord-compatible servers apart)."""
    key = f"{token}|{api_base_url}|{','.join(map(str, shard_ids)) if shard_ids is not None else 'all'}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(folder or tempfile.gettempdir()) / f"briefbot-{digest}.lock"


class InstanceLock:
    """An exclusive lock on ``path``, held from :meth:`acquire` to :meth:`release` (or exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when held (always, without fcntl)."""
        if fcntl is None or self._file is not None:
            return True
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open while locked
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def acquire(self, wait_seconds: float) -> bool:
        """Take the lock, waiting up to ``wait_seconds`` for its holder to give it up."""
        deadline = time.monotonic() + wait_seconds
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)
        return True

    def holder(self) -> str:
        """The pid written by the process holding the lock ("?" when unknown)."""
        try:
            return self.path.read_text(encoding="utf-8").strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        """Give the lock up (a second call does nothing)."""
        if self._file is not None:
            self._file.close()  # closing the descriptor releases the flock
            self._file = None
