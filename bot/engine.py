"""The loaded knowledge and its index, built once per process and then only read.

Front ends get an :class:`Engine` from :func:`build_engine` and talk to it through the router.
A reload builds a new Engine and swaps it in; nothing here is mutated after construction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actors import ActorDirectory
from .config import Config
from .curated import curated_paths, load_knowledge
from .indexer import Passage, build_passages
from .knowledge import Article, default_knowledge_dir, load_articles
from .responder import Responder
from .retrieval import Retriever, Thresholds
from .timeline import TimelineEvent, sort_events


@dataclass(frozen=True)
class Engine:
    """Articles, passages, retriever and responder for one configuration."""

    config: Config
    knowledge_dir: Path
    articles: dict[str, Article]
    passages: tuple[Passage, ...]
    retriever: Retriever
    responder: Responder
    events: tuple[TimelineEvent, ...] = ()  # every article's timeline, in date order
    actors: ActorDirectory = field(default_factory=ActorDirectory)
    fingerprints: dict[str, str] = field(default_factory=dict)  # article id -> article_fingerprint()

    @property
    def mode(self) -> str:
        """The retrieval mode actually running: "semantic" (BM25 fused with embeddings) or "bm25"."""
        return self.retriever.mode


def build_engine(config: Config) -> Engine:
    """Load the knowledge folder named by ``config`` (or the shipped one) and index it."""
    knowledge_dir = config.knowledge_dir or default_knowledge_dir()
    articles = {article.id: article for article in load_articles(knowledge_dir)}
    passages: list[Passage] = []
    for article in articles.values():
        passages.extend(build_passages(article, config.retrieval.passages))
    # Curated (or drafted) timeline and actors; every actor's names feed the retriever's aliases.
    knowledge = [load_knowledge(article) for article in articles.values()]
    events = sort_events([event for item in knowledge for event in item.events])
    actors = ActorDirectory(actor for item in knowledge for actor in item.actors)
    retriever = Retriever(
        passages,
        config.retrieval,
        alias_groups=actors.alias_groups(),
        semantic=_semantic_index(config, passages),
        thresholds=Thresholds.from_config(config.answer),
    )
    responder = Responder(retriever, articles, config.answer)
    fingerprints = {article_id: article_fingerprint(article) for article_id, article in articles.items()}
    return Engine(config, knowledge_dir, articles, tuple(passages), retriever, responder, events, actors, fingerprints)


def article_fingerprint(article: Article) -> str:
    """sha256 (hex) of everything that shapes an article's part of the index: text, metadata, curated files."""
    digest = hashlib.sha256()
    for part in (article.text, article.title, article.published, article.byline, article.url, article.language):
        digest.update((part or "").encode() + b"\x00")
    for path in curated_paths(article):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _semantic_index(config: Config, passages: list[Passage]) -> Any:
    """Embeddings for ``semantic`` (required) or ``auto`` (when the extra is installed), else None.

    Imported lazily: the default BM25 path never loads onnxruntime or numpy for it.
    """
    mode = config.retrieval.mode
    if mode == "bm25":
        return None
    from . import semantic

    if mode == "auto" and not semantic.available():
        return None
    return semantic.SemanticIndex(semantic.Embedder(), [p.text for p in passages])
