"""The loaded knowledge and its index, built once per process and then only read.

Front ends get an :class:`Engine` from :func:`build_engine` and talk to it through the router.
A reload builds a new Engine and swaps it in; nothing here is mutated after construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .indexer import Passage, build_passages
from .knowledge import Article, default_knowledge_dir, load_articles
from .responder import Responder
from .retriever import Retriever


@dataclass(frozen=True)
class Engine:
    """Articles, passages, retriever and responder for one configuration."""

    config: Config
    knowledge_dir: Path
    articles: dict[str, Article]
    passages: tuple[Passage, ...]
    retriever: Retriever
    responder: Responder

    @property
    def mode(self) -> str:
        return "bm25"


def build_engine(config: Config) -> Engine:
    """Load the knowledge folder named by ``config`` (or the shipped one) and index it."""
    knowledge_dir = config.knowledge_dir or default_knowledge_dir()
    articles = {article.id: article for article in load_articles(knowledge_dir)}
    passages: list[Passage] = []
    for article in articles.values():
        passages.extend(build_passages(article, config.retrieval.passages))
    retriever = Retriever(passages, config.retrieval)
    responder = Responder(retriever, articles, config.answer)
    return Engine(config, knowledge_dir, articles, tuple(passages), retriever, responder)
