"""One bad file in the knowledge folder is reported in one line; the good articles still answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import build_engine
from bot.knowledge import ERROR, WARNING
from bot.router import Router

from .conftest import SHIPPED_ARTICLE
from .test_cli import briefbot
from .test_reader import PARAGRAPHS, harbour

BAD_FILES = {
    "empty.txt": b"",
    "packed.txt": b"\x1f\x8b\x08\x00" + bytes(16),  # gzip-compressed under a .txt name
    "scan.txt": b"%PDF-1.4\n\x00\x01",
    "only-title.txt": b"Just a title\n",
    "credit.txt": b"Title\n(Photo credit: Staff)\n",
}


def folder_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "harbour.txt").write_text(harbour(), encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def test_each_bad_file_is_skipped_with_one_line_and_the_rest_answers(tmp_path: Path) -> None:
    engine = build_engine(Config(knowledge_dir=folder_with(tmp_path, BAD_FILES)))
    assert list(engine.articles) == ["harbour"]
    assert sorted(p.path.name for p in engine.problems) == sorted(BAD_FILES)
    assert all(
        p.severity == ERROR and "\n" not in p.message and p.message.endswith("(skipped)") for p in engine.problems
    )
    assert Router(engine).ask("Where will the fishing fleet moor?").answered
    assert len(Router(engine).source().problems) == len(BAD_FILES)


def test_cli_reports_bad_files_on_stderr_and_answers_on_stdout(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"empty.txt": b""})
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    result = briefbot("--config", str(config), "ask", "--json", "Where will the fishing fleet moor?")
    assert result.returncode == 0
    assert json.loads(result.stdout)["answered"] is True
    (line,) = result.stderr.splitlines()
    assert line.startswith("briefbot: error: ") and "empty.txt: empty file" in line


def test_the_same_article_under_two_names_is_loaded_once(tmp_path: Path) -> None:
    # Same words, different bytes: a copy saved on Windows with a BOM and CRLF line ends.
    copy = b"\xef\xbb\xbf" + harbour().replace("\n", "\r\n").encode("utf-8")
    engine = build_engine(Config(knowledge_dir=folder_with(tmp_path, {"harbour-copy.txt": copy})))
    assert list(engine.articles) == ["harbour"]
    (problem,) = engine.problems
    assert problem.severity == WARNING and "harbour-copy.txt: same text as harbour.txt" in problem.message
    answer = Router(engine).ask("Where will the fishing fleet moor?", top_k=3)
    texts = [p.text for p in answer.passages]
    assert texts[0] == PARAGRAPHS[1] and len(texts) == len(set(texts))
    assert len({e.id or e.quote for e in engine.events}) == len(engine.events)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "al-bukamal-2019.timeline.yaml",
            "events:\n  - date: 2016\n    event: x\n    paragraph: 3\n    quote: nowhere\n",
            "quote not found",
        ),
        ("al-bukamal-2019.actors.yaml", "actors: [1, 2\n", "invalid YAML"),
    ],
)
def test_a_bad_curated_file_falls_back_to_drafts_for_that_article_only(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    folder = folder_with(tmp_path, {})
    for path in SHIPPED_ARTICLE.parent.glob("al-bukamal-2019.*"):
        shutil.copy(path, folder / path.name)
    (folder / name).write_text(content, encoding="utf-8")
    engine = build_engine(Config(knowledge_dir=folder))
    assert set(engine.articles) == {"al-bukamal-2019", "harbour"}
    (problem,) = engine.problems
    assert problem.path.name == name and expected in problem.message
    assert problem.message.endswith("(using drafted timeline and actors until it is fixed)")
    drafted = [a for a in engine.actors.actors if a.article == "al-bukamal-2019"]
    assert drafted and all(a.automatic for a in drafted)
    assert Router(engine).ask("Who runs Kata'ib Hezbollah?").answered


PORT_NEWS = (
    "Breakwater work begins in Varna\n"
    "The Varna Port Authority approved the granite breakwater on Monday after two winter storms.\n"
    "Engineers from the Varna Port Authority will inspect the pier every week until the work is done.\n"
)
STORM_NEWS = (
    "Storm season ends at the harbour\n"
    "The Varna Port Authority said the new breakwater held through the last storm of the winter season.\n"
)


def test_actors_lists_one_entry_per_actor_across_articles_with_mentions_per_article(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"port.txt": PORT_NEWS.encode("utf-8"), "storm.txt": STORM_NEWS.encode("utf-8")})
    router = Router(build_engine(Config(knowledge_dir=folder)))
    assert len([a for a in router.engine.actors.actors if a.name == "Varna Port Authority"]) == 2
    (authority,) = [a for a in router.actors().actors if a.name == "Varna Port Authority"]
    assert dict(authority.articles) == {"port": 2, "storm": 1}
    assert authority.mentions == 3
    assert authority.to_dict()["mentions_by_article"] == {"port": 2, "storm": 1}
    names = [a.name for a in router.actors().actors]
    assert len(names) == len(set(names))


def test_timeline_events_with_the_same_date_and_quote_are_merged(tmp_path: Path) -> None:
    dated = "Council acts\nThe harbour council met on June 3, 2021 and approved the new breakwater of granite.\n"
    retold = (
        "Council acts again\nThe harbour council met on June 3, 2021 and approved the new  breakwater of granite.\n"
        "It was a good day for the fishing fleet and for the town.\n"
    )
    folder = folder_with(tmp_path, {"a.txt": dated.encode("utf-8"), "b.txt": retold.encode("utf-8")})
    engine = build_engine(Config(knowledge_dir=folder))
    june = [e for e in engine.events if e.date == "2021-06-03"]
    assert len(june) == 1 and june[0].article == "a"


def test_the_console_reports_bad_files_and_answers_from_the_rest(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"scan.txt": b"%PDF-1.4\n"})
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    result = briefbot("--config", str(config), "console", stdin="Where will the fishing fleet moor?\n/quit\n")
    assert result.returncode == 0
    assert "scan.txt: a damaged PDF" in result.stderr
    assert "north quay" in result.stdout


def test_a_folder_with_no_usable_article_stops_with_the_first_problem_and_a_count(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.txt").write_bytes(b"\x89PNG\r\n")
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\n", encoding="utf-8")
    result = briefbot("--config", str(config), "ask", "anything")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert "a.txt: empty file" in line and "(and 1 more problem; run `briefbot check`)" in line


def test_source_lists_each_problem_once_on_stdout_not_again_on_stderr(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from .conftest import SHIPPED_ARTICLE
    from .test_cli import briefbot

    folder = tmp_path / "knowledge"
    shutil.copytree(SHIPPED_ARTICLE.parent, folder)
    (folder / "empty.txt").write_bytes(b"")
    config = tmp_path / "config.yaml"
    config.write_text("knowledge_dir: knowledge\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    result = briefbot("--config", str(config), "source")
    assert result.returncode == 0
    assert result.stdout.count("empty.txt: empty file") == 1
    assert "empty.txt" not in result.stderr
    asked = briefbot("--config", str(config), "ask", "Who runs Kata'ib Hezbollah?")
    assert asked.stderr.count("empty.txt: empty file") == 1  # other commands still say so on stderr
