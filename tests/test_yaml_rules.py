"""YAML one way: a repeated key is refused with file, line and key; config errors say which file and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.engine import build_engine
from bot.errors import ConfigError, InputError, KnowledgeError
from bot.evaluate import load_eval_set
from bot.knowledge import load_article

from .conftest import SHIPPED_ARTICLE


def test_config_with_a_section_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("retrieval:\n  top_k: 1\nanswer:\n  min_score: 1\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert message.startswith(f"{path}:5: retrieval: the key appears twice (first on line 1)")
    assert message.endswith(f"[config file {path}, chosen by --config]")


def test_a_nested_key_twice_names_its_dotted_path(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("retrieval:\n  bm25:\n    k1: 1.0\n    k1: 2.0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.yaml:4: retrieval.bm25.k1: the key appears twice"):
        load_config(path)


def test_config_errors_say_how_the_file_was_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.yaml").write_text("retrieval:\n  top_k: many\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFBOT_CONFIG", raising=False)
    with pytest.raises(ConfigError, match=r"chosen by \./config\.yaml\]$"):
        load_config()
    monkeypatch.setenv("BRIEFBOT_CONFIG", str(tmp_path / "config.yaml"))
    with pytest.raises(ConfigError, match=r"chosen by \$BRIEFBOT_CONFIG\]$"):
        load_config()


def test_a_missing_relative_knowledge_dir_says_what_it_was_resolved_against(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "config.yaml"
    path.write_text("knowledge_dir: articles\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        build_engine(load_config(path))
    message = str(error.value)
    assert f"{tmp_path / 'conf' / 'articles'}: knowledge folder not found" in message
    assert f"resolved against its folder {tmp_path / 'conf'}" in message


def copy_shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for path in SHIPPED_ARTICLE.parent.glob("al-bukamal-2019.*"):
        shutil.copy(path, folder / path.name)
    return folder


def test_a_timeline_file_with_events_twice_is_refused_and_drafts_stand_in(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    timeline = folder / "al-bukamal-2019.timeline.yaml"
    text = timeline.read_text(encoding="utf-8")
    lines_before = text[: text.index("events:")].count("\n")
    timeline.write_text(text + "events:\n  - date: 2016\n", encoding="utf-8")
    engine = build_engine(Config(knowledge_dir=folder))
    (problem,) = engine.problems
    assert (
        f"{timeline}:{text.count(chr(10)) + 1}: events: the key appears twice (first on line {lines_before + 1})"
        in (problem.message)
    )
    assert len(engine.events) >= 15  # drafted


def test_a_meta_file_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    (folder / "al-bukamal-2019.meta.yaml").write_text("title: A\npublished: 2019\ntitle: B\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"meta.yaml:3: title: the key appears twice \(first on line 1\)"):
        load_article(folder / SHIPPED_ARTICLE.name)


def test_an_eval_file_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text("questions:\n  - question: Who?\n    question: What?\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"eval.yaml:3: questions.0.question: the key appears twice"):
        load_eval_set(path)


def test_yaml_saved_with_a_bom_and_crlf_reads(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"\xef\xbb\xbfretrieval:\r\n  top_k: 2\r\n")
    assert load_config(path).retrieval.top_k == 2


@pytest.mark.parametrize("text", ["published: 2019-02-30\n", "title: X\npublished: 2021-13-01\n"])
def test_an_impossible_date_is_a_one_line_error_naming_file_and_line(tmp_path: Path, text: str) -> None:
    from bot.yamlfile import read_yaml

    path = tmp_path / "a.meta.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.count("\n")
    with pytest.raises(KnowledgeError) as error:
        read_yaml(path, KnowledgeError)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: '")
    assert "is not a real date" in message and "YYYY-MM-DD" in message
    assert "\n" not in message


def test_an_impossible_timeline_date_falls_back_to_drafts_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(SHIPPED_ARTICLE.parent, folder)
    timeline = folder / "al-bukamal-2019.timeline.yaml"
    timeline.write_text(timeline.read_text(encoding="utf-8").replace("date: 2016-06-28", "date: 2016-02-31", 1))
    engine = build_engine(Config(knowledge_dir=folder))
    assert engine.events  # drafted events stand in for the broken curated file
    assert any("2016-02-31" in problem and "not a real date" in problem for problem in map(str, engine.problems))


def test_an_unquoted_date_is_read_as_the_text_written(tmp_path: Path) -> None:
    from bot.yamlfile import read_yaml

    path = tmp_path / "a.meta.yaml"
    path.write_text("published: 2021-03-04\nwhen: 2021-03-04 10:30:00\n", encoding="utf-8")
    assert read_yaml(path, KnowledgeError).data == {"published": "2021-03-04", "when": "2021-03-04 10:30:00"}


def test_a_merge_key_may_be_overridden_and_lines_follow_the_nodes(tmp_path: Path) -> None:
    from bot.yamlfile import read_yaml

    path = tmp_path / "x.yaml"
    path.write_text("base: &b\n  k1: 1\n  b: 2\nretrieval:\n  <<: *b\n  k1: 3\n  list:\n    - a\n    - b\n")
    document = read_yaml(path, ConfigError)
    assert document.data["retrieval"] == {"k1": 3, "b": 2, "list": ["a", "b"]}
    assert [document.line_of("retrieval", "k1"), document.line_of("retrieval", "list", 1)] == [6, 9]
    assert document.line_of("retrieval", "missing", 0) == 4  # a missing key points at its parent
