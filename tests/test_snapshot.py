"""The folder snapshot: a warm start reads no unchanged article, and never trusts a bad snapshot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import msgspec
import pytest

from benchmarks.synthetic_corpus import write_archive
from bot import engine as engine_module
from bot import knowledge as knowledge_module
from bot.config import PassageSettings, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.snapshot import FORMAT, RACY_FINE_NS, RACY_NS

# The same archive questions and helpers as the per-article cache tests.
from tests.test_cache import BM25, answers, config_for

HOUR_NS = 3600 * 10**9


def age(folder: Path, by_ns: int = HOUR_NS) -> None:
    """Every file's mtime set ``by_ns`` into the past: written long before any snapshot of it."""
    then = time.time_ns() - by_ns
    for path in folder.iterdir():
        os.utime(path, ns=(then, then))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    knowledge = tmp_path / "knowledge"
    write_archive(knowledge, 4, seed=5)
    age(knowledge)
    return knowledge


@pytest.fixture()
def activity(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names of the article files read and ids of the articles indexed from scratch, in order."""
    seen: dict[str, list[str]] = {"read": [], "built": []}
    real_read, real_index = knowledge_module.read_article, engine_module.index_article

    def reading(path):  # type: ignore[no-untyped-def]
        seen["read"].append(path.name)
        return real_read(path)

    def indexing(article, settings):  # type: ignore[no-untyped-def]
        seen["built"].append(article.id)
        return real_index(article, settings)

    monkeypatch.setattr(knowledge_module, "read_article", reading)
    monkeypatch.setattr(engine_module, "index_article", indexing)
    return seen


def clear(activity: dict[str, list[str]]) -> None:
    for found in activity.values():
        found.clear()


def snapshot_file(cache: Path) -> Path:
    (found,) = (cache / "snapshots").glob("*.json")
    return found


def state_file(cache: Path) -> Path:
    (found,) = (cache / "snapshots").glob("*.index")
    return found


def test_a_warm_start_reads_no_article_file_and_gives_the_same_engine(
    folder: Path, tmp_path: Path, activity: dict[str, list[str]]
) -> None:
    config = config_for(folder, tmp_path / "cache")
    first = build_engine(config)
    assert len(activity["read"]) == 4 and len(activity["built"]) == 4
    clear(activity)
    second = build_engine(config)
    assert activity == {"read": [], "built": []}
    assert second.articles == first.articles
    assert second.passages == first.passages
    assert second.events == first.events
    assert [a.to_dict() for a in second.actors.actors] == [a.to_dict() for a in first.actors.actors]
    assert second.problems == first.problems
    assert answers(second) == answers(first)


def test_an_entry_read_without_its_words_has_the_same_passages_and_knowledge(folder: Path) -> None:
    from bot.articleindex import from_json_bytes, index_article, to_json
    from bot.knowledge import load_folder

    for article in load_folder(folder).articles:
        raw = msgspec.json.encode(to_json(index_article(article, BM25)))
        whole, located = from_json_bytes(raw, article), from_json_bytes(raw, article, words=False)
        assert whole.complete and not located.complete
        assert located.passages == whole.passages and located.sentences == whole.sentences
        assert located.knowledge == whole.knowledge
        with pytest.raises(ValueError, match="malformed"):
            from_json_bytes(raw[: len(raw) // 2], article, words=False)


def test_a_changed_article_is_read_and_indexed_again_and_only_it(
    folder: Path, tmp_path: Path, activity: dict[str, list[str]]
) -> None:
    config = config_for(folder, tmp_path / "cache")
    build_engine(config)
    clear(activity)
    changed = folder / "synthetic-00002.txt"
    changed.write_text(changed.read_text() + "A new paragraph says the bridge at the crossing was rebuilt in 2020.\n")
    engine = build_engine(config)
    assert activity == {"read": ["synthetic-00002.txt"], "built": ["synthetic-00002"]}
    answer = engine.responder.answer("when was the bridge at the crossing rebuilt", top_k=1)
    assert answer.passages[0].article == "synthetic-00002" and "rebuilt in 2020" in answer.passages[0].text


def test_a_changed_metadata_file_reads_its_article_again(
    folder: Path, tmp_path: Path, activity: dict[str, list[str]]
) -> None:
    config = config_for(folder, tmp_path / "cache")
    build_engine(config)
    clear(activity)
    (folder / "synthetic-00003.meta.yaml").write_text('title: "A title set later"\npublished: "2021-05-06"\n')
    engine = build_engine(config)
    assert activity["read"] == ["synthetic-00003.txt"]
    assert engine.articles["synthetic-00003"].title == "A title set later"
    assert engine.articles["synthetic-00003"].published == "2021-05-06"


def test_added_and_removed_articles_are_picked_up(folder: Path, tmp_path: Path, activity: dict[str, list[str]]) -> None:
    config = config_for(folder, tmp_path / "cache")
    build_engine(config)
    clear(activity)
    (folder / "synthetic-00004.txt").unlink()
    (folder / "synthetic-00004.meta.yaml").unlink()
    (folder / "zz-new.txt").write_text("The new article\nThe harbour crane at Tartus was sold in March 2022.\n")
    engine = build_engine(config)
    assert activity == {"read": ["zz-new.txt"], "built": ["zz-new"]}
    assert "synthetic-00004" not in engine.articles and "zz-new" in engine.articles
    assert all(p.article_id != "synthetic-00004" for p in engine.passages)
    # (a question the new article answers: it names no buyer, so "who bought ..." is declined)
    assert engine.responder.answer("when was the harbour crane at Tartus sold", top_k=1).passages[0].article == "zz-new"
    clear(activity)
    build_engine(config)
    assert activity["built"] == []  # and kept: only the new file, too recent to trust its mtime, is read
    assert activity["read"] in ([], ["zz-new.txt"])


def test_a_touched_file_with_the_same_text_is_read_again_but_not_indexed_again(
    folder: Path, tmp_path: Path, activity: dict[str, list[str]]
) -> None:
    config = config_for(folder, tmp_path / "cache")
    build_engine(config)
    clear(activity)
    touched = folder / "synthetic-00001.txt"
    touched.write_bytes(touched.read_bytes())  # same content, new mtime
    build_engine(config)
    assert activity == {"read": ["synthetic-00001.txt"], "built": []}


@pytest.mark.parametrize(
    "mtime_ns",
    [
        lambda now: now // 10**9 * 10**9 - 10**9 // 2 * 2,  # whole seconds (FAT, HFS+), a second before
        lambda now: now + 5_000_000,  # sub-second, in the same 10 ms clock tick as the build
    ],
    ids=["whole-seconds", "sub-second"],
)
def test_a_change_that_keeps_size_and_mtime_right_after_a_snapshot_is_still_seen(
    folder: Path,
    tmp_path: Path,
    activity: dict[str, list[str]],
    mtime_ns,  # type: ignore[no-untyped-def]
) -> None:
    """A file written just before a snapshot may change again within the same mtime tick: it is re-read."""
    config = config_for(folder, tmp_path / "cache")
    target = folder / "synthetic-00002.txt"
    stamp = mtime_ns(time.time_ns())
    os.utime(target, ns=(stamp, stamp))
    build_engine(config)
    text = target.read_text()
    target.write_text(text.replace("the", "THE", 1))  # same size
    os.utime(target, ns=(stamp, stamp))  # and the same mtime
    clear(activity)
    engine = build_engine(config)
    assert activity["read"] == ["synthetic-00002.txt"]
    assert engine.articles["synthetic-00002"].text == text.replace("the", "THE", 1)
    assert RACY_NS >= 2 * 10**9 and RACY_FINE_NS >= 20_000_000


def test_files_written_just_before_a_cold_start_are_trusted_at_the_next_start(
    tmp_path: Path, activity: dict[str, list[str]]
) -> None:
    """Sub-second mtimes: a folder copied 0.2 s before the first start is not read again at the second."""
    folder = tmp_path / "knowledge"
    write_archive(folder, 3, seed=5)
    time.sleep(0.2)
    config = config_for(folder, tmp_path / "cache")
    build_engine(config)
    clear(activity)
    build_engine(config)
    assert activity == {"read": [], "built": []}


def test_a_setting_that_shapes_the_index_has_its_own_snapshot(
    folder: Path, tmp_path: Path, activity: dict[str, list[str]]
) -> None:
    cache = tmp_path / "cache"
    build_engine(config_for(folder, cache))
    windows = msgspec.structs.replace(BM25, passages=PassageSettings(max_words=40))
    clear(activity)
    engine = build_engine(config_for(folder, cache, windows))
    assert len(activity["built"]) == 4
    assert engine.passages == build_engine(config_for(folder, tmp_path / "fresh", windows)).passages
    clear(activity)
    build_engine(config_for(folder, cache))  # the first settings' snapshot is still there
    assert activity == {"read": [], "built": []}
    kept = sorted(path.suffix for path in (cache / "snapshots").iterdir())
    assert kept == [".index", ".index", ".json", ".json"]  # each settings' snapshot and retriever state


def _edited_body(raw: bytes) -> bytes:
    """Valid JSON whose checksum no longer matches: one article's title changed."""
    header, body = raw.split(b"\n", 1)
    data = json.loads(body)
    record = next(iter(data["files"].values()))
    record["article"]["title"] = "Planted title"
    return header + b"\n" + json.dumps(data).encode()


def _foreign_key(raw: bytes) -> bytes:
    header, body = raw.split(b"\n", 1)
    return json.dumps({**json.loads(header), "key": "0" * 64}).encode() + b"\n" + body


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"\x00\xff not json",
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: b"",
        lambda raw: json.dumps({"format": "something else"}).encode() + b"\n{}",
        lambda raw: raw.replace(FORMAT.encode() + b'", "version": 1', FORMAT.encode() + b'", "version": 0', 1),
        _foreign_key,
        _edited_body,
    ],
    ids=["garbage", "truncated", "empty", "foreign", "old-version", "other-folder", "checksum"],
)
def test_a_damaged_snapshot_is_ignored_and_written_again(folder: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    config = config_for(folder, cache)
    first = build_engine(config)
    path = snapshot_file(cache)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    engine = build_engine(config)
    assert engine.articles == first.articles and answers(engine) == answers(first)
    assert all(a.title != "Planted title" for a in engine.articles.values())
    assert json.loads(path.read_bytes().split(b"\n", 1)[0])["sha256"]  # a whole snapshot again
    assert build_engine(config).articles == first.articles


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"\x00\xff not json",
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: b"",
        lambda raw: raw.replace(b'"version": 1', b'"version": 0', 1),
        _foreign_key,
        lambda raw: raw[:-8] + bytes(8),  # the last array's bytes zeroed: the checksum no longer holds
    ],
    ids=["garbage", "truncated", "empty", "old-version", "other-articles", "checksum"],
)
def test_a_damaged_retriever_state_is_ignored_and_written_again(folder: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    config = config_for(folder, cache)
    first = build_engine(config)
    path = state_file(cache)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    engine = build_engine(config)
    assert answers(engine) == answers(first)
    assert path.read_bytes() == good  # built again, the same state
    assert answers(build_engine(config)) == answers(first)


def test_the_retriever_state_is_built_again_when_an_article_changes(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    config = config_for(folder, cache)
    build_engine(config)
    before = state_file(cache).read_bytes()
    article = sorted(folder.glob("*.txt"))[0]
    article.write_text(article.read_text() + "\n\nThe quarry at Vessen reopened in 2021 under new owners.\n")
    engine = build_engine(config)
    assert state_file(cache).read_bytes() != before
    hits = engine.retriever.search(engine.retriever.parse("When did the Vessen quarry reopen?"), 1)
    assert hits and "Vessen" in hits[0].passage.text
    assert answers(build_engine(config)) == answers(engine)  # and the state kept for it reads back the same


def test_processes_starting_at_once_leave_one_whole_snapshot(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    script = (
        "import sys; from pathlib import Path; from bot.config import Config, RetrievalSettings; "
        "from bot.engine import build_engine; "
        "e = build_engine(Config(knowledge_dir=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]), "
        "retrieval=RetrievalSettings(mode='bm25'))); print(len(e.passages))"
    )
    repo = Path(__file__).resolve().parent.parent
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(folder), str(cache)], cwd=repo, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    counts = {process.communicate(timeout=120)[0].strip() for process in starts}
    assert all(process.returncode == 0 for process in starts)
    assert not list(cache.rglob(".tmp-*"))  # no temporary file left behind
    engine = build_engine(config_for(folder, cache))
    assert counts == {str(len(engine.passages))}
    raw = snapshot_file(cache).read_bytes()
    header = json.loads(raw.split(b"\n", 1)[0])
    assert header["format"] == FORMAT and len(raw) > 1000


def test_the_garbage_collector_runs_again_after_a_build_that_worked_or_failed(folder: Path, tmp_path: Path) -> None:
    import gc

    from bot.errors import KnowledgeError

    build_engine(config_for(folder, tmp_path / "cache"))
    assert gc.isenabled()
    with pytest.raises(KnowledgeError):
        build_engine(config_for(tmp_path / "missing", tmp_path / "cache"))
    assert gc.isenabled()


def top_ten(engine: Engine, questions: list[str]) -> list[list[tuple[str, float, float, int]]]:
    """Each question's 10 best hits: passage id, ranking score, BM25 score and best sentence's start."""
    retriever = engine.retriever
    return [
        [(h.passage.id, h.score, h.bm25, h.best_sentence.start) for h in retriever.search(retriever.parse(q), 10)]
        for q in questions
    ]


@pytest.mark.slow
@pytest.mark.parametrize("scorer", ["rank-bm25", "sparse"])
def test_a_warm_start_ranks_like_a_cold_one_on_fifty_articles(tmp_path: Path, scorer: str) -> None:
    knowledge = tmp_path / "knowledge"
    questions = write_archive(knowledge, 50, seed=11)[:20]
    age(knowledge)
    config = config_for(knowledge, tmp_path / "cache", RetrievalSettings(mode="bm25", scorer=scorer))  # type: ignore[arg-type]
    cold = build_engine(config)
    warm = build_engine(config)
    cold_hits, warm_hits = top_ten(cold, questions), top_ten(warm, questions)
    assert sum(len(hits) for hits in cold_hits) >= 10 * len(questions) // 2  # the questions find passages
    assert warm_hits == cold_hits  # same passages, same order, the same scores to the last bit
    assert [warm.responder.answer(q, top_k=3).to_dict() for q in questions] == [
        cold.responder.answer(q, top_k=3).to_dict() for q in questions
    ]
