"""The watcher reloads for every kind of article file and never for the litter editors, office
programs and browsers leave while a file is being written."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from watchfiles import Change

from bot.config import Config, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.formats import ARTICLE_SUFFIXES
from bot.reloader import LiveRouter, relevant, watch_knowledge

from .test_formats import html_page
from .test_reader import harbour

LITTER = [
    ".harbour.html.swp", "harbour.html.swo", ".harbour.txt.swx", "~$rbour.docx", ".~lock.harbour.odt#",
    "harbour.tmp", "~WRL0001.tmp", "harbour.html.crdownload", "Unconfirmed 123.crdownload", "harbour.pdf.part",
    "harbour.html.download", "harbour.epub.opdownload", "4913", "harbour.txt~", "#harbour.txt#", ".#harbour.txt",
    ".DS_Store", "Thumbs.db", "harbour.txt.bak", "harbour.docx.sb-5a1b2c-Qx9zT1",
]  # fmt: skip


@pytest.mark.parametrize("suffix", sorted({s for s in ARTICLE_SUFFIXES} | {".HTML", ".Pdf", ""}))
@pytest.mark.parametrize("change", [Change.added, Change.modified, Change.deleted])
def test_a_change_to_any_article_kind_is_relevant(suffix: str, change: Change) -> None:
    assert relevant({(change, f"/srv/knowledge/harbour{suffix}")})


@pytest.mark.parametrize("name", LITTER)
def test_litter_alone_is_not_relevant(name: str) -> None:
    assert not relevant({(Change.added, f"/srv/knowledge/{name}"), (Change.modified, f"/srv/knowledge/{name}")})


def test_a_batch_with_litter_and_an_article_is_relevant() -> None:
    changes = {(Change.added, "/k/harbour.html.crdownload"), (Change.deleted, "/k/harbour.html.crdownload")}
    assert not relevant(changes)
    assert relevant(changes | {(Change.added, "/k/harbour.html")})


@pytest.mark.slow
async def test_the_watcher_reloads_for_a_page_and_not_for_litter(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "first.txt").write_text(harbour(), encoding="utf-8")
    builds: list[int] = []

    def counting_build(config: Config) -> Engine:
        builds.append(1)
        return build_engine(config)

    live = LiveRouter(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode="bm25")), build=counting_build)
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_knowledge(live, folder, stop))

    async def wait_for(condition, seconds: float = 15.0) -> bool:
        for _ in range(int(seconds / 0.1)):
            if condition():
                return True
            await asyncio.sleep(0.1)
        return condition()

    try:
        await asyncio.sleep(0.5)  # let the watch start before the first change
        for name in ("harbour.html.crdownload", ".harbour.html.swp", "~$rbour.docx", "harbour.tmp", "4913"):
            (folder / name).write_bytes(b"partial")
        await asyncio.sleep(3.0)  # past the watcher's 1.6 s debounce: a reload would have started
        assert len(builds) == 1  # the first build only
        # The download finishes: the browser renames it to its own name.
        (folder / "harbour.html.crdownload").write_bytes(html_page())
        (folder / "harbour.html.crdownload").rename(folder / "harbour.html")
        assert await wait_for(lambda: "harbour" in live.engine.articles)
        reloads = len(builds)
        page = (folder / "harbour.html").read_bytes()
        (folder / "harbour.html").write_bytes(page.replace(b"north quay", b"east quay"))
        assert await wait_for(lambda: "east quay" in live.engine.articles["harbour"].text)
        assert len(builds) == reloads + 1
    finally:
        stop.set()
        await asyncio.wait_for(watcher, 5)
