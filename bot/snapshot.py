"""A folder snapshot: one file that lets a warm start skip reading and indexing unchanged articles.

Without it a start re-reads and lays out every article file, re-runs the duplicate test and opens
one cache entry per article (32 s at 2,000 articles). The snapshot of a knowledge folder, kept in
the cache folder (``snapshots/<key>.json``, the key naming the folder, the index-shaping settings
and briefbot's code), holds in one read:

- a manifest: each article file's path, size and mtime_ns (and its ``.meta.yaml``'s), with the
  article as read (text, paragraphs, metadata, warnings, duplicate test);
- each article's index entry (``bot.articleindex``) and per-sentence actors, under the same keys as
  the per-article cache (``bot.indexcache``), so an article whose content is unchanged keeps its
  entry even when its file was touched or copied.

A file whose size or mtime differs is read and hashed again; so is one modified so shortly before
the snapshot was taken that a later change could fall in the same tick of its mtime and leave it
unchanged (git's "racily clean" entries): :data:`RACY_NS` on file systems that keep whole seconds
(FAT, HFS+, some network mounts), :data:`RACY_FINE_NS` on those with sub-second mtimes. The file
starts with a header line naming the format, version, key and the sha256 of the rest; a snapshot
that fails any check (corrupt, truncated, foreign) is ignored and rewritten, never trusted. It is
written to a temporary file and renamed into place, so two processes starting at once leave one
whole snapshot. Plain JSON, read and written with msgspec (measured on a 400-article snapshot of 15
MB: 0.08 s to decode, the standard library's json 0.31 s; msgspec already reads the config); nothing
is ever unpickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

import msgspec

from .config import Config
from .indexcache import IndexCache, checked_body, code_fingerprint, shaping
from .knowledge import META_SUFFIX, Article, KnowledgeFolder, Problem, ReadArticle, article_id_of
from .layout import Block, Sentence

log = logging.getLogger("briefbot.cache")

FORMAT = "briefbot-snapshot"
VERSION = 1
KIND = "snapshots"
RACY_NS = 2_000_000_000  # FAT keeps mtimes to 2 s
RACY_FINE_NS = 50_000_000  # ext4, XFS, Btrfs, tmpfs, APFS, NTFS: an mtime tick is a kernel clock tick (<= 10 ms)

Stat = tuple[int, int] | None  # (size, mtime_ns), None for a missing file


def snapshot_key(directory: Path, config: Config) -> str:
    """sha256 of the folder's absolute path, the index-shaping settings and briefbot's code."""
    text = json.dumps([FORMAT, VERSION, code_fingerprint(), str(directory.resolve()), shaping(config)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _racy_window(mtime_ns: int) -> int:
    """How long before a snapshot a change leaves a file untrusted: long for an mtime in whole seconds."""
    return RACY_NS if mtime_ns % 1_000_000_000 == 0 else RACY_FINE_NS


def _stat(path: Path) -> Stat:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns)


class _Body(msgspec.Struct, forbid_unknown_fields=True):
    """The snapshot after its header: each record and entry left as its JSON bytes until it is used."""

    files: dict[str, msgspec.Raw]
    entries: dict[str, msgspec.Raw]
    entities: dict[str, msgspec.Raw]


def _raw(data: Any) -> msgspec.Raw:
    return msgspec.Raw(msgspec.json.encode(data))


class FolderSnapshot:
    """The snapshot read at the start of one build, and what that build adds for the next one.

    One object per build (not shared between threads). Reads never raise: anything unusable is a miss.
    Records and entries stay JSON bytes (``msgspec.Raw``) until used and are kept for the next
    snapshot as bytes, never as decoded lists and dicts: holding 2,000 articles' entries decoded
    during a build cost about 250 MB of peak memory.
    """

    def __init__(self, cache: IndexCache, key: str) -> None:
        self._cache = cache
        self.key = key
        self._taken_ns = time.time_ns()  # before any file is stat'ed or read in this build
        self._old_taken_ns = 0
        self._files: dict[str, msgspec.Raw] = {}
        self._entries: dict[str, msgspec.Raw] = {}
        self._entities: dict[str, msgspec.Raw] = {}
        self._stats: dict[str, tuple[Stat, Stat]] = {}
        self._new_files: dict[str, msgspec.Raw] = {}
        self._new_entries: dict[str, msgspec.Raw] = {}
        self._new_entities: dict[str, msgspec.Raw] = {}
        self._changed = False

    @classmethod
    def load(cls, cache: IndexCache, directory: Path, config: Config) -> FolderSnapshot:
        """The snapshot of ``directory`` under ``config`` (an empty one when absent or unusable)."""
        snapshot = cls(cache, snapshot_key(directory, config))
        path = cache.root / KIND / f"{snapshot.key}.json"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            snapshot._changed = True
            return snapshot
        except OSError as exc:
            log.warning("cannot read %s (%s); reading the folder again", path, exc)
            snapshot._changed = True
            return snapshot
        try:
            header, body = checked_body(raw, FORMAT, VERSION, snapshot.key)
            data = msgspec.json.decode(body, type=_Body)
            snapshot._old_taken_ns = int(header["taken_ns"])
        except (ValueError, KeyError, TypeError, RecursionError, msgspec.DecodeError) as exc:
            log.warning("folder snapshot %s is unusable (%s); reading the folder again", path, exc)
            snapshot._changed = True
            return snapshot
        snapshot._files, snapshot._entries, snapshot._entities = data.files, data.entries, data.entities
        return snapshot

    # --- articles -----------------------------------------------------------------------------

    def reuse(self, path: Path) -> ReadArticle | None:
        """The article file as read before, when it and its metadata file are unchanged; else None.

        Stats the files first either way, so the next snapshot records the state they were read in.
        """
        name = str(path)
        stats = (_stat(path), _stat(path.with_name(article_id_of(path) + META_SUFFIX)))
        self._stats[name] = stats
        kept = self._files.get(name)
        if kept is None:
            return None
        try:
            record = msgspec.json.decode(kept, type=_FileRecord)
            if stats != (record.stat, record.meta):
                return None
            if any(s is not None and s[1] >= self._old_taken_ns - _racy_window(s[1]) for s in stats):
                return None  # changed too close to the last snapshot to trust the mtime
            known = _read_article_from_json(record, path)
        except (ValueError, KeyError, TypeError, IndexError, msgspec.DecodeError):
            return None
        self._new_files[name] = kept
        return known

    def keep_folder(self, folder: KnowledgeFolder) -> None:
        """Record every article file of ``folder`` (reused records as they were, re-read ones anew)."""
        for read in folder.read:
            name = str(read.article.path)
            if name in self._new_files:
                continue
            article_stat, meta_stat = self._stats.get(name) or (None, None)
            if article_stat is None:
                continue  # not stat'ed before reading: not safe to keep
            self._new_files[name] = _raw(
                {
                    "stat": list(article_stat),
                    "meta": list(meta_stat) if meta_stat else None,
                    **_read_article_to_json(read),
                }
            )
            self._changed = True
        if set(self._new_files) != set(self._files):
            self._changed = True  # a file removed or added

    # --- index entries and actors -------------------------------------------------------------

    def entry_bytes(self, key: str) -> msgspec.Raw | None:
        """The JSON bytes of the index entry kept under ``key`` (for a partial, typed decode), or None."""
        return self._entries.get(key)

    def keep_entry(self, key: str, data: Any) -> None:
        """Keep ``data`` (plain JSON data) under ``key`` for the next snapshot."""
        kept = self._entries.get(key)
        self._new_entries[key] = kept if kept is not None else _raw(data)
        if kept is None:
            self._changed = True

    def entities(self, key: str) -> Any | None:
        """The per-sentence actor tokens kept under ``key``, or None."""
        return _decoded(self._entities.get(key))

    def keep_entities(self, key: str, data: Any) -> None:
        kept = self._entities.get(key)
        self._new_entities[key] = kept if kept is not None else _raw(data)
        if kept is None:
            self._changed = True

    def keep_all_entities(self) -> None:
        """Keep every article's actor tokens as read, for a build that did not need to look them up."""
        for key, kept in self._entities.items():
            self._new_entities.setdefault(key, kept)

    def save(self) -> None:
        """Write the snapshot for the next start, when anything differs from the one read."""
        same = set(self._new_entries) == set(self._entries) and set(self._new_entities) == set(self._entities)
        if same and not self._changed:
            return
        body = msgspec.json.encode(
            {"files": self._new_files, "entries": self._new_entries, "entities": self._new_entities}
        )
        header = {
            "format": FORMAT,
            "version": VERSION,
            "key": self.key,
            "taken_ns": self._taken_ns,
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        self._cache.write_file(KIND, f"{self.key}.json", json.dumps(header).encode() + b"\n", body)


def _decoded(kept: msgspec.Raw | None) -> Any | None:
    if kept is None:
        return None
    try:
        return msgspec.json.decode(kept)
    except msgspec.DecodeError:
        return None  # the checksum held, so this cannot happen short of a bug: rebuild it


# --- articles as JSON ---------------------------------------------------------------------------


def _read_article_to_json(read: ReadArticle) -> dict[str, Any]:
    a = read.article
    return {
        # Every field but the path (the record's key) and the paragraphs: text, metadata, how it was read.
        "article": {f.name: getattr(a, f.name) for f in fields(Article) if f.name not in ("path", "blocks")},
        "blocks": [
            [b.kind, b.paragraph, b.start, b.end, [[s.paragraph, s.number, s.start, s.end] for s in b.sentences]]
            for b in a.blocks
        ],
        "warnings": [[str(p.path), p.message, p.severity] for p in read.warnings],
        "fingerprint": read.text_fingerprint,
    }


class _FileRecord(msgspec.Struct):
    """An article file's record as :func:`_read_article_to_json` writes it, its types checked on decoding."""

    stat: tuple[int, int] | None
    meta: tuple[int, int] | None
    article: dict[str, Any]
    blocks: list[tuple[str, int, int, int, tuple[Sentence, ...]]]
    warnings: list[tuple[str, str, str]]
    fingerprint: str


def _read_article_from_json(record: _FileRecord, path: Path) -> ReadArticle:
    values: dict[str, Any] = {name: tuple(v) if isinstance(v, list) else v for name, v in record.article.items()}
    if values.get("id") != article_id_of(path) or not isinstance(values.get("text"), str):
        raise ValueError("snapshot record for another file")
    blocks = tuple(
        Block(kind, paragraph, start, end, sentences) for kind, paragraph, start, end, sentences in record.blocks
    )
    article = Article(**values, path=path, blocks=blocks)
    warnings = tuple(Problem(Path(p), m, s) for p, m, s in record.warnings)
    return ReadArticle(article, warnings, record.fingerprint)
