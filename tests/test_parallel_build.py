"""A cold build in worker processes gives exactly the entries built one by one in this process."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synthetic_corpus import write_archive
from bot import engine as engine_module
from bot.articleindex import index_article, to_json
from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
from bot.knowledge import default_knowledge_dir, load_folder

BM25 = RetrievalSettings(mode="bm25")


@pytest.fixture()
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the process pools the build starts.

    Earlier tests may leave threads in this process (a bot's loop, a watcher), which would keep the
    build from forking: here it may fork all the same (test_a_build_from_a_second_thread_... checks
    the thread rule itself).
    """
    monkeypatch.setattr(engine_module, "_can_fork", lambda: True)
    started: list[int] = []
    real = engine_module.ProcessPoolExecutor

    def counting(workers, **options):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(workers, **options)

    monkeypatch.setattr(engine_module, "ProcessPoolExecutor", counting)
    return started


@pytest.mark.slow
def test_articles_built_in_worker_processes_equal_those_built_here(tmp_path: Path, pools: list[int]) -> None:
    write_archive(tmp_path / "knowledge", 30, seed=13)
    articles = [
        *load_folder(tmp_path / "knowledge").articles,
        *load_folder(default_knowledge_dir()).articles,
    ]
    assert len(articles) >= engine_module.PARALLEL_FROM_ARTICLES
    here = [to_json(index_article(article, BM25)) for article in articles]
    in_workers = [to_json(index) for index in engine_module._index_articles(articles, BM25)]
    assert len(pools) == 1 and pools[0] >= 2  # really built in workers (2 cores or more here)
    assert in_workers == here
    assert any(entry["knowledge"]["actors"] for entry in here)  # drafted actors are compared, not empty lists


@pytest.mark.slow
def test_a_cold_build_with_workers_answers_like_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pools: list[int]
) -> None:
    folder = tmp_path / "knowledge"
    write_archive(folder, 30, seed=17)
    parallel = build_engine(Config(knowledge_dir=folder, cache_dir=tmp_path / "a", retrieval=BM25))
    assert len(pools) == 1
    monkeypatch.setattr(engine_module, "PARALLEL_FROM_ARTICLES", 10**9)
    serial = build_engine(Config(knowledge_dir=folder, cache_dir=tmp_path / "b", retrieval=BM25))
    assert len(pools) == 1
    assert parallel.passages == serial.passages
    assert parallel.events == serial.events
    assert [a.to_dict() for a in parallel.actors.actors] == [a.to_dict() for a in serial.actors.actors]
    question = "Who is the commander of the brigade?"
    assert (
        parallel.responder.answer(question, top_k=3).to_dict() == serial.responder.answer(question, top_k=3).to_dict()
    )


def test_a_build_from_a_second_thread_stays_in_its_process() -> None:
    """A reload runs in a background thread: forking there could copy a lock another thread holds."""
    import threading

    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(engine_module._can_fork()))
    thread.start()
    thread.join()
    assert seen == [False]
