"""New articles without a restart: a new engine is built beside the one in use, then swapped in.

Front ends hold a :class:`LiveRouter`. Each command looks up the current router once, when it
starts, and runs to the end on it, so a question in flight finishes on the old engine while the
new one is built; the swap is one reference assignment. Reloads are serialised by a lock, so a
burst of changes never builds two engines at once.

``briefbot run`` watches the knowledge folder with watchfiles (inotify and its kin, with polling
where the file system has no change events): a copy of ten files arrives as one batch of changes
after its debounce, so it costs one rebuild, and an idle folder costs nothing, where polling every
few seconds would re-read the folder forever.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .engine import Engine, build_engine
from .errors import BriefbotError
from .folderscan import is_litter
from .router import Router
from .wording import plural

log = logging.getLogger("briefbot.reload")

WATCH_DEBOUNCE_MS = 1600  # changes within this window form one batch: one rebuild for a copied folder


@dataclass(frozen=True)
class ReloadReport:
    """What a reload changed: article ids added, changed and removed, and the new engine's size."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    articles: int = 0
    passages: int = 0
    seconds: float = 0.0
    error: str | None = None  # the old engine stays in use when set

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        """One line for a log or a reply."""
        if self.error is not None:
            return f"reload failed, still answering from the previous articles: {self.error}"
        parts = []
        for label, ids in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            if ids:
                shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
                parts.append(f"{len(ids)} {label} ({shown})")
        what = "; ".join(parts) if parts else "no article changed"
        return (
            f"reloaded in {self.seconds:.1f} s: {what}; "
            f"{plural(self.articles, 'article')}, {plural(self.passages, 'passage')}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
            "articles": self.articles,
            "passages": self.passages,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "message": self.summary(),
        }


def compare(old: Engine, new: Engine) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(added, changed, removed) article ids between two engines, by their content fingerprints."""
    before, after = old.fingerprints, new.fingerprints
    added = tuple(sorted(set(after) - set(before)))
    removed = tuple(sorted(set(before) - set(after)))
    changed = tuple(sorted(i for i in set(before) & set(after) if before[i] != after[i]))
    return added, changed, removed


class LiveRouter:
    """A :class:`Router` whose engine can be rebuilt and swapped while commands run.

    Every attribute not defined here is the current router's, looked up at each use: a method
    call binds to the router current at that moment and finishes on it.
    """

    def __init__(self, config: Config, router: Router | None = None, build: Callable[[Config], Engine] = build_engine):
        self._config = config
        self._build = build
        self._router = router if router is not None else Router(build(config))
        self._lock = threading.Lock()

    @property
    def current(self) -> Router:
        """The router in use now; hold on to it for a command that must see one engine throughout."""
        return self._router

    def __getattr__(self, name: str) -> Any:
        return getattr(self._router, name)

    def reload(self) -> ReloadReport:
        """Build a new engine from the knowledge folder and swap it in; the old one serves until then.

        A folder that no longer loads (a bad file) leaves the old engine in use and says why.
        """
        with self._lock:
            start = time.perf_counter()
            old = self._router.engine
            try:
                engine = self._build(self._config)
            except BriefbotError as exc:
                report = ReloadReport(error=str(exc), seconds=time.perf_counter() - start)
                log.warning(report.summary())
                return report
            self._router = Router(engine)
            added, changed, removed = compare(old, engine)
            report = ReloadReport(
                added, changed, removed, len(engine.articles), len(engine.passages), time.perf_counter() - start
            )
        log.info(report.summary())
        for problem in engine.problems:  # a bad file in the folder is skipped, said once per reload
            log.warning("knowledge: %s", problem.message)
        return report


def relevant(changes: set[tuple[Any, str]]) -> bool:
    """True when a batch of watchfiles changes touches a file other than litter (an editor's swap file)."""
    return any(not is_litter(Path(path).name) for _, path in changes)


async def watch_knowledge(router: LiveRouter, folder: Path, stop: asyncio.Event | None = None) -> None:
    """Reload ``router`` whenever files in ``folder`` are added, changed or removed, until ``stop`` is set.

    Runs as a task beside the Discord client; the rebuild runs in a worker thread so the event loop
    keeps answering.
    """
    import watchfiles

    log.info("watching %s for new and changed articles", folder)
    try:
        async for changes in watchfiles.awatch(folder, debounce=WATCH_DEBOUNCE_MS, stop_event=stop, recursive=False):
            if relevant(changes):
                await asyncio.to_thread(router.reload)
    except asyncio.CancelledError:
        raise
    except Exception:  # the folder vanished, too many watches: answering goes on, reloading stops
        log.exception("stopped watching %s; /reload still works", folder)
