"""The index kept on disk: reused when nothing changed, rebuilt for what did, never trusted blindly."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import msgspec
import pytest

from benchmarks.synthetic_corpus import write_archive
from bot import engine as engine_module
from bot.config import Config, PassageSettings, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.indexcache import IndexCache
from bot.knowledge import default_knowledge_dir
from bot.retrieval import Retriever

BM25 = RetrievalSettings(mode="bm25")
QUESTIONS = ["Who is the commander of the brigade?", "satellite images of the compound", "who backs the front?"]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    knowledge = tmp_path / "knowledge"
    write_archive(knowledge, 3, seed=3)
    return knowledge


def config_for(folder: Path, cache: Path, retrieval: RetrievalSettings = BM25) -> Config:
    return Config(knowledge_dir=folder, cache_dir=cache, retrieval=retrieval)


def answers(engine: Engine) -> list[object]:
    return [engine.responder.answer(q, top_k=3).to_dict() for q in QUESTIONS]


@pytest.fixture()
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles indexed from scratch (not read from the cache), in order."""
    ids: list[str] = []
    real = engine_module.index_article

    def counting(article, settings):  # type: ignore[no-untyped-def]
        ids.append(article.id)
        return real(article, settings)

    monkeypatch.setattr(engine_module, "index_article", counting)
    return ids


def test_a_second_start_reads_every_article_from_the_cache(folder: Path, tmp_path: Path, built: list[str]) -> None:
    config = config_for(folder, tmp_path / "cache")
    first = build_engine(config)
    assert built == ["synthetic-00001", "synthetic-00002", "synthetic-00003"]
    second = build_engine(config)
    assert built == ["synthetic-00001", "synthetic-00002", "synthetic-00003"]  # nothing built again
    assert answers(second) == answers(first)
    assert second.passages == first.passages
    assert [a.to_dict() for a in second.actors.actors] == [a.to_dict() for a in first.actors.actors]
    assert second.events == first.events


def test_a_changed_article_rebuilds_only_its_own_entry(folder: Path, tmp_path: Path, built: list[str]) -> None:
    config = config_for(folder, tmp_path / "cache")
    build_engine(config)
    built.clear()
    changed = folder / "synthetic-00002.txt"
    changed.write_text(changed.read_text() + "A new paragraph says the bridge at the crossing was rebuilt in 2020.\n")
    engine = build_engine(config)
    assert built == ["synthetic-00002"]
    answer = engine.responder.answer("when was the bridge at the crossing rebuilt", top_k=1)
    assert answer.passages[0].article == "synthetic-00002" and "rebuilt in 2020" in answer.passages[0].text


def test_one_text_under_two_names_in_two_folders_is_kept_once_per_name(tmp_path: Path, built: list[str]) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write_archive(first, 1, seed=5)
    second.mkdir()
    (second / "renamed.txt").write_text((first / "synthetic-00001.txt").read_text())
    (second / "renamed.meta.yaml").write_text((first / "synthetic-00001.meta.yaml").read_text())
    cache = tmp_path / "cache"
    for _ in range(2):  # switching folders back and forth reads both from the cache after the first time
        build_engine(config_for(first, cache))
        build_engine(config_for(second, cache))
    assert built == ["synthetic-00001", "renamed"]


def test_a_setting_that_shapes_the_index_rebuilds_it_and_others_do_not(
    folder: Path, tmp_path: Path, built: list[str]
) -> None:
    cache = tmp_path / "cache"
    build_engine(config_for(folder, cache))
    built.clear()
    build_engine(config_for(folder, cache, msgspec.structs.replace(BM25, top_k=5, semantic_weight=0.3)))
    assert built == []
    windows = msgspec.structs.replace(BM25, passages=PassageSettings(max_words=40))
    engine = build_engine(config_for(folder, cache, windows))
    assert len(built) == 3
    assert (
        engine.passages
        == build_engine(Config(knowledge_dir=folder, cache_dir=tmp_path / "fresh", retrieval=windows)).passages
    )


def edit_data(path: Path, **changes: object) -> None:
    document = json.loads(path.read_text())
    document["data"].update(changes)
    path.write_text(json.dumps(document))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"\x00\xff not json"),
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),  # truncated
        lambda path: path.write_text(json.dumps({"format": "something else", "data": {}})),
        lambda path: path.write_text(json.dumps({**json.loads(path.read_text()), "version": 0})),
        lambda path: path.write_text(  # a whole entry, but for another article
            json.dumps(
                {**json.loads(path.read_text()), "data": {**json.loads(path.read_text())["data"], "article": "x"}}
            )
        ),
        lambda path: path.write_text(  # sentence offsets past the end of the article
            json.dumps(
                {
                    **json.loads(path.read_text()),
                    "data": {**json.loads(path.read_text())["data"], "sentences": [[1, 1, 0, 10**9]]},
                }
            )
        ),
    ],
    ids=["garbage", "truncated", "foreign", "old-version", "other-article", "bad-offsets"],
)
def test_a_damaged_entry_is_rebuilt_not_trusted(folder: Path, tmp_path: Path, built: list[str], damage) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    config = config_for(folder, cache)
    expected = answers(build_engine(config))
    entries = sorted((cache / "articles").rglob("*.json"))
    assert len(entries) == 3
    damage(entries[0])
    for snapshot in (cache / "snapshots").iterdir():
        snapshot.unlink()  # without the folder snapshot (tests/test_snapshot.py), entries are read one by one
    built.clear()
    engine = build_engine(config)
    assert len(built) == 1  # the damaged one, rebuilt
    assert answers(engine) == expected
    built.clear()
    build_engine(config)
    assert built == []  # and stored again, whole


def test_two_builds_at_once_share_the_cache_safely(folder: Path, tmp_path: Path) -> None:
    config = config_for(folder, tmp_path / "cache")
    engines: list[Engine] = []
    threads = [threading.Thread(target=lambda: engines.append(build_engine(config))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(engines) == 3
    assert not list((tmp_path / "cache").rglob(".tmp-*"))  # no temporary file left behind
    assert answers(build_engine(config)) == answers(engines[0])


def test_an_unwritable_cache_folder_only_costs_the_reuse(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    engine = build_engine(config_for(folder, blocker))
    assert engine.responder.answer(QUESTIONS[1], top_k=1).answered


def test_assembled_tokens_equal_the_tokens_of_each_passage(folder: Path, tmp_path: Path) -> None:
    """Tokens assembled from the kept sentence words are exactly those of tokenising every passage."""
    for knowledge in (default_knowledge_dir(), folder):
        engine = build_engine(config_for(knowledge, tmp_path / "cache"))
        assembled = engine.retriever
        direct = Retriever(engine.passages, BM25, alias_groups=engine.actors.alias_groups())
        for i in range(len(engine.passages)):
            assert sorted(assembled.state.passages.token_list(i)) == sorted(direct.state.passages.token_list(i))
        assert assembled.state.lengths.tolist() == direct.state.lengths.tolist()
        for passage in engine.passages:
            for sentence in passage.sentences:
                assert assembled.sentences.tokens(passage, sentence) == direct.sentences.tokens(passage, sentence)
        assert assembled.lexicon.surface_words == direct.lexicon.surface_words


def test_semantic_embeddings_are_read_back_not_computed_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import semantic

    if not semantic.available():
        pytest.skip("the semantic extra is not installed")
    config = config_for(folder, tmp_path / "cache", msgspec.structs.replace(BM25, mode="semantic"))
    first = build_engine(config)
    encoded: list[int] = []
    real = semantic.Embedder.encode

    def counting(self, texts):  # type: ignore[no-untyped-def]
        encoded.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(semantic.Embedder, "encode", counting)
    second = build_engine(config)
    assert encoded == []  # no passage embedded again
    question = "satellite images of the compound"
    assert second.responder.answer(question, top_k=3).to_dict() == first.responder.answer(question, top_k=3).to_dict()


def test_index_rebuild_clears_the_kept_index(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\ncache_dir: cache\nretrieval:\n  mode: bm25\n")
    build_engine(config_for(folder, cache))
    stale = next((cache / "articles").rglob("*.json"))
    stale.write_text("{}")
    marker = cache / "articles" / "orphan.json"
    marker.write_text("{}")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "index", "--rebuild", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "cleared the kept index" in result.stderr
    assert not marker.exists()
    assert len(json.loads(result.stdout)) == len(build_engine(config_for(folder, cache)).passages)
    assert IndexCache(cache).size_bytes() > 0
