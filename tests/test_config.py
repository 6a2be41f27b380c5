"""config.yaml: typed, validated, and errors that name the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from bot.config import Config, load_config
from bot.errors import ConfigError

from .conftest import REPO


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_spells_out_the_built_in_defaults() -> None:
    loaded = load_config(REPO / "config.yaml")
    assert loaded.knowledge_dir == REPO / "knowledge"
    assert msgspec.structs.replace(loaded, path=None, knowledge_dir=None) == Config()


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    assert msgspec.structs.replace(load_config(write(tmp_path, "")), path=None) == Config()


def test_knowledge_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "knowledge_dir: articles\n"))
    assert config.knowledge_dir == tmp_path / "articles"


def test_values_are_typed(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "retrieval:\n  top_k: 5\n  bm25:\n    k1: 2\ndiscord:\n  guilds: ['123', 456]\n")
    )
    assert config.retrieval.top_k == 5
    assert config.retrieval.bm25.k1 == 2.0 and isinstance(config.retrieval.bm25.k1, float)
    assert config.discord.guilds == (123, 456)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retrieval:\n  topk: 3\n", ":2: retrieval.topk: unknown key (did you mean 'top_k'?); allowed: top_k"),
        ("answer:\n  min_coverage: high\n", ":2: answer.min_coverage: expected a number, got 'high'"),
        ("answer:\n  min_coverage: 1.5\n", ":2: answer.min_coverage: 1.5 is too large; use a value <= 1.0"),
        (
            "retrieval:\n  bm25:\n    variant: bm99\n",
            ":3: retrieval.bm25.variant: 'bm99' is not allowed; choose one of: okapi, l, plus",
        ),
        ("retrieval:\n  stemming: 'yes'\n", ":2: retrieval.stemming: expected true or false"),
        ("discord:\n  guilds: 123\n", ":2: discord.guilds: expected a list of integers"),
        ("retrieval: [1, 2]\n", ":1: retrieval: expected a mapping"),
        ("- just\n- a list\n", ":1: (top level): expected a mapping"),
        ("retrieval:\n  top_k: 3\n bad indent: 1\n", ":3: invalid YAML"),
    ],
)
def test_bad_config_names_file_line_key_and_what_is_allowed(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_config_file_named_by_flag(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_missing_config_file_named_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_CONFIG", str(tmp_path / "nope.yaml"))
    with pytest.raises(ConfigError, match="BRIEFBOT_CONFIG"):
        load_config()


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError, match="immutable"):
        Config().retrieval.top_k = 9  # type: ignore[misc]


def test_a_misspelt_nested_key_names_file_line_and_the_close_key(tmp_path: Path) -> None:
    path = write(tmp_path, "retrieval:\n  top_k: 3\n  bm25:\n    variant: okapi\n    k: 1.0\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}:5: retrieval.bm25.k: unknown key (did you mean 'k1'?); allowed: variant, k1, b, delta"
        f" [config file {path}, chosen by --config]"
    )


def test_a_wrong_item_in_a_list_names_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "discord:\n  guilds:\n    - 123\n    - general\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}:4: discord.guilds.1: expected an integer, got 'general' (str) [")


def test_path_is_not_a_config_key(tmp_path: Path) -> None:
    path = write(tmp_path, "path: elsewhere.yaml\n")
    with pytest.raises(ConfigError, match=r"config.yaml:1: path: unknown key; allowed: knowledge_dir, "):
        load_config(path)


def test_a_section_left_empty_takes_its_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "retrieval:\n  passages:\n  # bm25: every line commented out\ndiscord:\n"))
    assert config.retrieval == Config().retrieval and config.discord == Config().discord


def test_numbers_and_booleans_may_be_quoted(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "retrieval:\n  top_k: '5'\n  stemming: 'false'\nanswer:\n  min_coverage: '0.5'\n")
    )
    assert (config.retrieval.top_k, config.retrieval.stemming, config.answer.min_coverage) == (5, False, 0.5)
