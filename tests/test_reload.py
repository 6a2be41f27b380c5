"""Reloading the knowledge folder while answering: nothing dropped, the next question sees the change."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import threading
from pathlib import Path

import pytest

from benchmarks.synthetic_corpus import write_archive
from bot.config import Config, RetrievalSettings
from bot.console import run_console
from bot.reloader import LiveRouter, watch_knowledge

BM25 = RetrievalSettings(mode="bm25")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """13 synthetic articles: tests copy some of them into a knowledge folder."""
    folder = tmp_path_factory.mktemp("archive")
    write_archive(folder, 13, seed=5)
    return folder


def copy_articles(archive: Path, folder: Path, numbers: range) -> list[str]:
    folder.mkdir(exist_ok=True)
    ids = []
    for number in numbers:
        article_id = f"synthetic-{number:05d}"
        for path in archive.glob(f"{article_id}.*"):
            shutil.copy(path, folder / path.name)
        ids.append(article_id)
    return ids


def name_only_in(archive: Path, new: list[str], old: list[str]) -> str:
    """A capitalised word of a new article that no old article uses."""
    old_text = " ".join((archive / f"{i}.txt").read_text() for i in old)
    for article_id in new:
        for word in re.findall(r"\b[A-Z][a-z]{5,}\b", (archive / f"{article_id}.txt").read_text()):
            if word not in old_text:
                return word
    raise AssertionError("no new name")


@pytest.mark.slow
def test_questions_asked_during_a_reload_all_get_answers(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    old = copy_articles(archive, folder, range(1, 4))
    live = LiveRouter(Config(knowledge_dir=folder, retrieval=BM25))
    questions = ["Who is the commander of the brigade?", "satellite images of the compound", "what is the weather?"]
    answers: list[object] = []
    errors: list[BaseException] = []
    started = threading.Event()

    def ask(count: int) -> None:
        started.set()
        for index in range(count):
            try:
                answers.append(live.ask(questions[index % len(questions)]))
            except BaseException as exc:  # noqa: BLE001 - any failure is what the test looks for
                errors.append(exc)

    askers = [threading.Thread(target=ask, args=(50,)) for _ in range(4)]
    for thread in askers:
        thread.start()
    started.wait()
    new = copy_articles(archive, folder, range(4, 14))
    report = live.reload()
    for thread in askers:
        thread.join()
    assert errors == []
    assert len(answers) == 200
    assert report.ok and report.added == tuple(new) and report.changed == () and report.removed == ()
    answer = live.ask(f"Who is {name_only_in(archive, new, old)}?")
    assert answer.answered and answer.passages[0].article in new


def test_a_reload_reports_what_was_added_changed_and_removed(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    copy_articles(archive, folder, range(1, 3))
    live = LiveRouter(Config(knowledge_dir=folder, retrieval=BM25))
    first = live.current
    copy_articles(archive, folder, range(3, 4))
    changed = folder / "synthetic-00002.txt"
    changed.write_text(changed.read_text() + "One more paragraph about the convoy near the old bridge.\n")
    (folder / "synthetic-00001.txt").unlink()
    report = live.reload()
    assert (report.added, report.changed, report.removed) == (
        ("synthetic-00003",),
        ("synthetic-00002",),
        ("synthetic-00001",),
    )
    assert report.articles == 2 and live.current is not first
    assert "1 added (synthetic-00003); 1 changed (synthetic-00002); 1 removed (synthetic-00001)" in report.summary()


def test_a_folder_that_no_longer_loads_keeps_the_old_articles(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    copy_articles(archive, folder, range(1, 2))
    live = LiveRouter(Config(knowledge_dir=folder, retrieval=BM25))
    before = live.current
    shutil.rmtree(folder)
    report = live.reload()
    assert not report.ok and "knowledge folder not found" in report.summary()
    assert live.current is before and live.ask("satellite images of the compound").answered


def test_the_console_reloads_with_slash_reload(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    copy_articles(archive, folder, range(1, 2))
    live = LiveRouter(Config(knowledge_dir=folder, retrieval=BM25))
    copy_articles(archive, folder, range(2, 3))
    out = io.StringIO()
    run_console(live, stdin=io.StringIO("/reload\n/quit\n"), stdout=out)  # type: ignore[arg-type]
    assert "1 added (synthetic-00002)" in out.getvalue()
    assert len(live.engine.articles) == 2


@pytest.mark.slow
async def test_the_watcher_reloads_when_an_article_is_added(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    copy_articles(archive, folder, range(1, 2))
    live = LiveRouter(Config(knowledge_dir=folder, retrieval=BM25))
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_knowledge(live, folder, stop))
    await asyncio.sleep(0.5)  # let the watch start before the change
    copy_articles(archive, folder, range(2, 3))
    for _ in range(150):
        if len(live.engine.articles) == 2:
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(watcher, 5)
    assert sorted(live.engine.articles) == ["synthetic-00001", "synthetic-00002"]
