"""The loaded knowledge and its index, built once per process and then only read.

Front ends get an :class:`Engine` from :func:`build_engine` and talk to it through the router.
A reload builds a new Engine and swaps it in; nothing here is mutated after construction.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import pickle
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actors import ActorDirectory
from .arrayfile import read_arrays, write_arrays
from .articleindex import ArticleIndex, from_json, from_json_bytes, index_article, to_json
from .config import Config, RetrievalSettings, knowledge_dir_origin
from .curated import curated_paths
from .indexcache import IndexCache, cache_dir, entry_key
from .indexer import Passage
from .knowledge import Article, Problem, default_knowledge_dir, load_folder
from .namefinder import NameFinder
from .responder import Responder
from .retrieval import Retriever, Thresholds
from .retrieval.state import RetrieverState
from .snapshot import KIND as SNAPSHOTS
from .snapshot import FolderSnapshot
from .timeline import MergedTimeline, TimelineEvent

log = logging.getLogger("briefbot.engine")


@dataclass(frozen=True)
class Engine:
    """Articles, passages, retriever and responder for one configuration."""

    config: Config
    knowledge_dir: Path
    articles: dict[str, Article]
    passages: tuple[Passage, ...]
    retriever: Retriever
    responder: Responder
    timeline: MergedTimeline = field(default_factory=MergedTimeline)  # every article's, merged on first use
    actors: ActorDirectory = field(default_factory=ActorDirectory)
    fingerprints: dict[str, str] = field(default_factory=dict)  # article id -> article_fingerprint()
    problems: tuple[Problem, ...] = ()  # files skipped or read with a fallback, one line each

    @property
    def events(self) -> tuple[TimelineEvent, ...]:
        """Every article's timeline events, in date order, a quote repeated on one date shown once."""
        return self.timeline.events()

    @property
    def mode(self) -> str:
        """The retrieval mode actually running: "semantic" (BM25 fused with embeddings) or "bm25"."""
        return self.retriever.mode


def build_engine(config: Config, cache: IndexCache | None = None) -> Engine:
    """Load the knowledge folder named by ``config`` (or the shipped one) and index it.

    Bad files are skipped or read with a fallback and listed in ``Engine.problems``; raises
    KnowledgeError only when no article is usable.

    Each article's part of the index comes from the on-disk cache (``bot.indexcache``) when the
    article and the settings are unchanged, and is built and stored otherwise. The folder snapshot
    (``bot.snapshot``) lets unchanged files go unread and gives every kept entry in one read.
    """
    with _collector_paused():
        return _build_engine(config, cache)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the index is built, and none of the built index afterwards.

    A build allocates millions of objects and frees almost none, so each full collection walks the
    whole growing heap for nothing: measured at 1,200 articles, a warm start went from 9.7 s to 7.2 s
    without it. What the build leaves is then frozen (``gc.freeze``): the index lives until the next
    reload and holds no reference cycle (``gc.collect()`` after a build finds nothing), so walking it
    again at every full collection would only pause the questions; reference counting still frees
    it when a reload drops it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _build_engine(config: Config, cache: IndexCache | None) -> Engine:
    knowledge_dir = config.knowledge_dir or default_knowledge_dir()
    store = cache if cache is not None else IndexCache(cache_dir(config))
    snapshot = FolderSnapshot.load(store, knowledge_dir, config)
    folder = load_folder(
        knowledge_dir, knowledge_dir_origin(config), reuse=snapshot.reuse
    )  # bad files are skipped and listed in folder.problems
    snapshot.keep_folder(folder)
    articles = {article.id: article for article in folder.articles}
    fingerprints = {article_id: article_fingerprint(article) for article_id, article in articles.items()}
    keys = {article_id: entry_key(article_id, fingerprints[article_id], config) for article_id in articles}
    # With the retriever's state kept for exactly these entries, an entry's words are not read at all.
    kept_state = KeptState(store, snapshot, [keys[article_id] for article_id in articles])
    state = kept_state.read()
    indexes = _article_indexes(list(articles.values()), keys, config, store, snapshot, words=state is None)
    if state is not None and state.passage_count != sum(len(index.passages) for index in indexes):
        log.warning("kept index state does not match the articles' passages; building it again")
        state = None
        indexes = _article_indexes(list(articles.values()), keys, config, store, snapshot)
    passages = [passage for index in indexes for passage in index.passages]
    # Curated (or drafted) timeline and actors; every actor's names feed the retriever's aliases.
    timeline = MergedTimeline(index.knowledge.events for index in indexes)
    actors = ActorDirectory(actor for index in indexes for actor in index.knowledge.actors)
    alias_groups = actors.alias_groups()
    # One automaton of every actor's names, built before the retriever so its entity matcher, the short
    # answers and the follow-up resolver all find names with it (NameFinder.shared) instead of building three.
    names = NameFinder.shared([actor.names for actor in actors.actors])
    retriever_for = functools.partial(
        Retriever,
        passages,
        config.retrieval,
        alias_groups=alias_groups,
        semantic=_semantic_index(config, indexes, keys, store),
        thresholds=Thresholds.from_config(config.answer),
        articles=indexes,
        entity_store=KeptEntities(store, keys, alias_groups, snapshot),
    )
    retriever = retriever_for(state=state) if state is not None else None
    if retriever is None:
        retriever = retriever_for()
        kept_state.write(retriever.state)
    else:
        snapshot.keep_all_entities()  # not read this time, still valid for the next build that needs them
    snapshot.save()
    responder = Responder(retriever, articles, config.answer, actors.actors)
    del names  # the responder's short answers hold it now, and the router's follow-ups will find it
    problems = (*folder.problems, *(problem for index in indexes for problem in index.knowledge.problems))
    return Engine(
        config, knowledge_dir, articles, tuple(passages), retriever, responder, timeline, actors, fingerprints, problems
    )


def _article_indexes(
    articles: list[Article],
    keys: dict[str, str],
    config: Config,
    cache: IndexCache,
    snapshot: FolderSnapshot,
    words: bool = True,
) -> list[ArticleIndex]:
    """Each article's entry (in the order of ``articles``) from the folder snapshot or the cache, else
    built (in worker processes when there are many to build) and stored. Without ``words``, entries
    kept in the snapshot are read for their passages and knowledge only (see ``from_json_bytes``)."""
    found = {article.id: _kept_index(article, keys[article.id], cache, snapshot, words) for article in articles}
    missing = [article for article in articles if found[article.id] is None]
    for article, index in zip(missing, _index_articles(missing, config.retrieval), strict=True):
        data = to_json(index)
        cache.write_entry(keys[article.id], data)
        snapshot.keep_entry(keys[article.id], data)
        found[article.id] = index
    return [found[article.id] for article in articles]  # type: ignore[misc]


def _kept_index(
    article: Article, key: str, cache: IndexCache, snapshot: FolderSnapshot, words: bool = True
) -> ArticleIndex | None:
    """The article's entry from the folder snapshot or the per-article cache, or None."""
    raw = snapshot.entry_bytes(key)
    if raw is not None:
        try:
            index = from_json_bytes(raw, article, words)
        except ValueError:
            pass  # the snapshot's checksum held, so this is a bug's entry: build it again
        else:
            snapshot.keep_entry(key, raw)
            return index
    cached = cache.read_entry(key, lambda data: (from_json(data, article), data))
    if cached is None:
        return None
    snapshot.keep_entry(key, cached[1])
    return cached[0]  # type: ignore[no-any-return]


PARALLEL_FROM_ARTICLES = 24  # fewer are built in this process: a worker's start (~0.4 s) would cost more
MAX_BUILD_PROCESSES = 4


def _can_fork() -> bool:
    """True where worker processes may be forked: the platform forks and this process runs one thread."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _index_articles(articles: list[Article], settings: RetrievalSettings) -> list[ArticleIndex]:
    """``index_article`` of each article, in order; in one worker process per core when there are many.

    Drafting actors and timelines is pure Python (0.02-0.05 s an article) and each article's entry
    depends on that article alone, so a cold build splits across cores with the same result.
    Workers are forked, and only from a process running one thread: a fork copies no other thread
    (a lock another thread held stays locked in the copy), and spawned workers would import the
    program's main script again, running whatever it does outside an ``if __name__ == "__main__"``.
    A reload (built in a background thread) therefore builds here, as does any failure to start them.
    """
    workers = min(MAX_BUILD_PROCESSES, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if workers < 2 or len(articles) < PARALLEL_FROM_ARTICLES or not _can_fork():
        return [index_article(article, settings) for article in articles]
    chunk = max(1, min(16, len(articles) // (workers * 4)))
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(index_article, articles, itertools.repeat(settings), chunksize=chunk))
    except (OSError, BrokenProcessPool, pickle.PicklingError) as exc:
        log.warning("building the index in one process (worker processes failed: %s)", exc)
        return [index_article(article, settings) for article in articles]


def article_fingerprint(article: Article) -> str:
    """sha256 (hex) of everything that shapes an article's part of the index: text, metadata, curated files."""
    digest = hashlib.sha256()
    for part in (article.text, article.title, article.published, article.byline, article.url, article.language):
        digest.update((part or "").encode() + b"\x00")
    for path in curated_paths(article):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


class KeptState:
    """The retriever's state (``bot.retrieval.state``) of one folder, kept beside its snapshot.

    Its key names the folder snapshot's (folder, settings, code) and every article's entry key in
    order: the state depends on all of them at once (acronyms, names and compounds cross articles),
    so any added, removed or changed article means building it again. One file per folder, replaced
    when the folder changes.
    """

    def __init__(self, cache: IndexCache, snapshot: FolderSnapshot, entry_keys: list[str]) -> None:
        self._cache = cache
        self._name = f"{snapshot.key}.index"
        self._key = hashlib.sha256(json.dumps([snapshot.key, entry_keys]).encode()).hexdigest()

    def read(self) -> RetrieverState | None:
        """The kept state when it is whole and for these articles; else None."""
        kept = read_arrays(self._cache.root / SNAPSHOTS / self._name, self._key)
        if kept is None:
            return None
        try:
            return RetrieverState.from_parts(*kept)
        except ValueError as exc:
            log.warning("kept index state %s is unusable (%s); building it again", self._name, exc)
            return None

    def write(self, state: RetrieverState) -> None:
        write_arrays(self._cache, SNAPSHOTS, self._name, self._key, *state.to_parts())


class KeptEntities:
    """Each article's per-sentence actor tokens in the cache, under its entry key and every actor's names.

    The actors a sentence names depend on the names of all articles, so they are kept apart from
    the article's own entry: a new article with new names recomputes them, an unchanged folder reads them.
    """

    def __init__(
        self,
        cache: IndexCache,
        keys: dict[str, str],
        alias_groups: list[tuple[str, ...]],
        snapshot: FolderSnapshot | None = None,
    ) -> None:
        self._cache = cache
        self._keys = keys
        self._snapshot = snapshot
        self._names = hashlib.sha256(json.dumps(alias_groups, ensure_ascii=False).encode()).hexdigest()

    def _key(self, index: ArticleIndex) -> str:
        return hashlib.sha256(f"{self._keys[index.article_id]}:{self._names}".encode()).hexdigest()

    def get(self, index: ArticleIndex) -> list[frozenset[str]] | None:
        def decode(data: Any) -> list[frozenset[str]]:
            if not isinstance(data, list) or len(data) != len(index.sentences):
                raise ValueError("not one list of actor tokens per sentence")
            found = [frozenset(tokens) for tokens in data]
            if not all(isinstance(token, str) for tokens in found for token in tokens):
                raise ValueError("actor tokens must be text")
            return found

        key = self._key(index)
        kept = self._snapshot.entities(key) if self._snapshot is not None else None
        if kept is not None:
            with contextlib.suppress(ValueError, TypeError):
                found = decode(kept)
                self._snapshot.keep_entities(key, kept)  # type: ignore[union-attr]
                return found
        read = self._cache.read_entry(key, lambda data: (decode(data), data), kind="entities")
        if read is None:
            return None
        if self._snapshot is not None:
            self._snapshot.keep_entities(key, read[1])
        return read[0]  # type: ignore[no-any-return]

    def put(self, index: ArticleIndex, found: list[frozenset[str]]) -> None:
        key, data = self._key(index), [sorted(tokens) for tokens in found]
        self._cache.write_entry(key, data, kind="entities")
        if self._snapshot is not None:
            self._snapshot.keep_entities(key, data)


def _semantic_index(config: Config, indexes: list[ArticleIndex], keys: dict[str, str], cache: IndexCache) -> Any:
    """Embeddings for ``semantic`` (required) or ``auto`` (when the extra is installed), else None.

    Each article's passage vectors are kept in the cache under its entry key and the model's sha256.
    Imported lazily: the default BM25 path never loads onnxruntime or numpy for it.
    """
    mode = config.retrieval.mode
    if mode == "bm25":
        return None
    from . import semantic

    if mode == "auto" and not semantic.available():
        return None
    embedder = semantic.Embedder()
    model = semantic.model_sha256()
    blocks = []
    for index in indexes:
        texts = [p.text for p in index.passages]
        if not texts:
            continue
        key = hashlib.sha256(f"{keys[index.article_id]}:{model}".encode()).hexdigest()
        vectors = cache.read_vectors(key, len(texts), semantic.DIMENSIONS)
        if vectors is None:
            vectors = embedder.encode(texts)
            cache.write_vectors(key, vectors)
        blocks.append(vectors)
    return semantic.SemanticIndex(embedder, vectors=semantic.stack(blocks))
