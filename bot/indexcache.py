"""The index kept on disk: one entry per article, reused while the article and the settings are unchanged.

Where: ``cache_dir`` from config, else ``$XDG_CACHE_HOME/briefbot``, else ``~/.cache/briefbot``.
Each article's entry (``bot.articleindex``: passages, timeline and actors, sentence words) is a JSON
file named by a key: the sha256 of the article's content fingerprint (text, metadata, curated
files), the settings that shape the entry, and briefbot's own code, so an upgrade or an edited
article never reads a stale entry. Passage embeddings (semantic mode) sit beside it in a ``.npy``
file whose key adds the embedding model file's sha256.

Nothing read from the cache is trusted: JSON and ``numpy.load(allow_pickle=False)`` only (never
pickle), a header naming the format, version and key, and a full shape check; an entry that fails
any of them (corrupt, truncated, from another version or another article) is deleted, rebuilt and
logged. Writes go to a temporary file in the same folder and are renamed into place, so a reader
(another process starting at the same moment) sees a whole entry or none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from .config import Config

log = logging.getLogger("briefbot.cache")

FORMAT = "briefbot-index"
VERSION = 1
CACHE_SUBFOLDERS = ("articles", "entities", "embeddings", "snapshots")  # all `briefbot index --rebuild` removes
_CODE_ROOT = Path(__file__).resolve().parent


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/briefbot``, or ``~/.cache/briefbot`` when the variable is unset or empty."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefbot"


def cache_dir(config: Config) -> Path:
    """The cache folder ``config`` names, else the default."""
    return config.cache_dir or default_cache_dir()


_code_digest: str | None = None


def code_fingerprint() -> str:
    """sha256 of briefbot's core source (everything but the Discord front end): a new version, a new key."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256()
        for path in sorted(_CODE_ROOT.rglob("*.py")):
            if "discord_bot" not in path.parts:
                digest.update(path.relative_to(_CODE_ROOT).as_posix().encode() + b"\x00" + path.read_bytes())
        _code_digest = digest.hexdigest()
    return _code_digest


def entry_key(article_id: str, article_fingerprint: str, config: Config) -> str:
    """The key of an article's entry: id, content, index-shaping settings and code, hashed together.

    The id is part of it because passage ids and citations name the article: one text under two
    file names (a copy, a symlink, two folders) is two entries, not one entry rebuilt in turn.
    """
    text = json.dumps(
        [FORMAT, VERSION, code_fingerprint(), article_id, article_fingerprint, shaping(config)], sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()


def shaping(config: Config) -> dict[str, Any]:
    """The settings that shape the index (others, such as top_k, are read at question time)."""
    retrieval = config.retrieval
    return {
        "passages": msgspec.structs.asdict(retrieval.passages),
        "stop_words": retrieval.stop_words,
        "stemming": retrieval.stemming,
        "pronoun_context": retrieval.pronoun_context,
    }


def file_sha256(path: Path) -> str:
    """sha256 (hex) of a file's bytes, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_body(raw: bytes, fmt: str, version: int, key: str) -> tuple[dict[str, Any], memoryview]:
    """The header and body of a cache file written as one JSON header line (``format``, ``version``,
    ``key`` and the ``sha256`` of the rest) and a body; ValueError naming the check that failed
    (another kind of file, another version, folder or settings, a truncated or damaged body)."""
    end = raw.index(b"\n")  # ValueError when there is no header line
    header = json.loads(raw[:end])
    if not isinstance(header, dict) or header.get("format") != fmt:
        raise ValueError(f"not a {fmt} file")
    if header.get("version") != version or header.get("key") != key:
        raise ValueError("written for another version, folder or settings")
    body = memoryview(raw)[end + 1 :]
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise ValueError("checksum mismatch (truncated or damaged)")
    return header, body


class IndexCache:
    """Entries by key under one folder; any failure to read or write costs a rebuild, never an error."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._writable = True

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def read_entry(self, key: str, decode: Callable[[Any], Any], kind: str = "articles") -> Any | None:
        """``decode(data)`` of the entry stored under ``key``, or None when absent or unusable.

        ``decode`` raises ValueError for data that does not fit; the entry is then deleted.
        """
        path = self._path(kind, key, ".json")
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cannot read %s (%s); rebuilding it", path, exc)
            return None
        try:
            document = json.loads(raw)
            if not isinstance(document, dict) or document.get("format") != FORMAT:
                raise ValueError("not a briefbot index entry")
            if document.get("version") != VERSION or document.get("key") != key:
                raise ValueError("written for another version or another key")
            return decode(document["data"])
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            log.warning("cache entry %s is unusable (%s); rebuilding it", path, exc)
            self._discard(path)
            return None

    def write_entry(self, key: str, data: Any, kind: str = "articles") -> None:
        """Store ``data`` (plain JSON data) under ``key``, atomically."""
        document = {"format": FORMAT, "version": VERSION, "key": key, "data": data}
        payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        self._write(self._path(kind, key, ".json"), lambda handle: handle.write(payload))

    def write_file(self, kind: str, name: str, *parts: bytes) -> None:
        """Store ``parts`` one after the other as ``<kind>/<name>``, atomically (a temporary file renamed
        into place); given apart so a large body is never copied to be joined."""
        self._write(self.root / kind / name, lambda handle: handle.writelines(parts))

    def read_vectors(self, key: str, rows: int, columns: int) -> Any | None:
        """The (rows, columns) float32 array stored under ``key``, or None when absent or unusable."""
        import numpy as np

        path = self._path("embeddings", key, ".npy")
        if not path.is_file():
            return None
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.dtype != np.float32 or vectors.shape != (rows, columns) or not np.isfinite(vectors).all():
                raise ValueError(f"expected finite float32 ({rows}, {columns}), found {vectors.dtype} {vectors.shape}")
            return vectors
        except (ValueError, OSError, EOFError) as exc:
            log.warning("cached embeddings %s are unusable (%s); computing them again", path, exc)
            self._discard(path)
            return None

    def write_vectors(self, key: str, vectors: Any) -> None:
        import numpy as np

        self._write(self._path("embeddings", key, ".npy"), lambda handle: np.save(handle, vectors, allow_pickle=False))

    def _write(self, path: Path, write: Callable[[Any], Any]) -> None:
        if not self._writable:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=path.parent, prefix=".tmp-", suffix=path.suffix, delete=False
            ) as handle:
                temporary = handle.name
                try:
                    write(handle)
                except BaseException:
                    handle.close()
                    with contextlib.suppress(OSError):
                        os.unlink(temporary)
                    raise
            os.replace(temporary, path)  # atomic: readers see the old file or the whole new one
        except OSError as exc:
            self._writable = False  # one warning, then run without keeping the index
            log.warning("cannot write the index cache in %s (%s); set cache_dir in config.yaml", self.root, exc)

    def _discard(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()

    def clear(self) -> None:
        """Remove every entry (only briefbot's own subfolders of the cache folder)."""
        for name in CACHE_SUBFOLDERS:
            shutil.rmtree(self.root / name, ignore_errors=True)

    def size_bytes(self) -> int:
        """Bytes the entries take on disk."""
        return sum(p.stat().st_size for name in CACHE_SUBFOLDERS for p in (self.root / name).rglob("*") if p.is_file())
