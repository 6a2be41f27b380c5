"""What a start builds on the answer path, restructured to be built once or on first use, gives what
building it all at once gave: passage tokens of follow-up checks, the shared names automaton, the
timeline's order, alias expansions."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from benchmarks.synthetic_corpus import write_archive
from bot.config import Config, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.router import Router

THREADS = 16


@pytest.fixture(scope="module")
def archive_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = tmp_path_factory.mktemp("archive")
    write_archive(folder / "knowledge", 6, seed=21)
    config = Config(
        knowledge_dir=folder / "knowledge", cache_dir=folder / "cache", retrieval=RetrievalSettings(mode="bm25")
    )
    return build_engine(config)


@contextmanager
def _switch_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _eager_passage_tokens(engine: Engine) -> dict[str, list[tuple[int, int, frozenset[str]]]]:
    """What Router() built for every passage at once before it went lazy."""
    retriever = engine.retriever
    tokens: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    for passage, combined in zip(retriever.passages, retriever.tokens.combined, strict=True):
        tokens.setdefault(passage.article_id, []).append((passage.start, passage.end, frozenset(combined)))
    return tokens


def test_passage_tokens_found_on_first_use_are_those_built_at_start(archive_engine: Engine) -> None:
    eager = _eager_passage_tokens(archive_engine)
    assert len(eager) == 6
    router = Router(archive_engine)
    for article_id, expected in eager.items():
        assert router._article_passage_tokens(article_id) == expected
    assert router._article_passage_tokens("no-such-article") == []


def test_passage_tokens_from_many_threads_are_computed_once_and_equal(archive_engine: Engine) -> None:
    eager = _eager_passage_tokens(archive_engine)
    articles = sorted(eager)
    router = Router(archive_engine)
    barrier = threading.Barrier(THREADS)

    def read(offset: int) -> list[list[tuple[int, int, frozenset[str]]]]:
        barrier.wait()
        order = articles[offset % len(articles) :] + articles[: offset % len(articles)]
        return [router._article_passage_tokens(a) for a in order for _ in range(3)]

    with _switch_often(), ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(read, range(THREADS)))
    for offset, found in enumerate(results):
        order = articles[offset % len(articles) :] + articles[: offset % len(articles)]
        expected = [eager[a] for a in order for _ in range(3)]
        assert found == expected
        # One list per article, whichever thread came first: none was built twice.
        assert all(got is router._article_passage_tokens(a) for got, a in zip(found[::3], order, strict=True))
