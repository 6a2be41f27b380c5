"""config.yaml parsed once into frozen, typed settings.

Every key has a default here, so a missing config file is fine; a key that is present is checked
strictly (unknown keys, wrong types, values out of range) and reported as one line naming the file,
the line and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, where
from .yamlfile import YamlDocument, read_yaml

CONFIG_ENV = "BRIEFBOT_CONFIG"
CONFIG_NAME = "config.yaml"


def _choice(*allowed: str, default: str) -> Any:
    return field(default=default, metadata={"choices": allowed})


def _range(default: Any, low: float | None = None, high: float | None = None) -> Any:
    return field(default=default, metadata={"low": low, "high": high})


@dataclass(frozen=True)
class PassageSettings:
    """How paragraphs become passages."""

    max_words: int = _range(80, low=10)
    window_sentences: int = _range(3, low=1)
    overlap_sentences: int = _range(2, low=0)
    min_words: int = _range(10, low=0)


@dataclass(frozen=True)
class BM25Settings:
    """rank-bm25 variant and parameters."""

    variant: str = _choice("okapi", "l", "plus", default="okapi")
    k1: float = _range(1.2, low=0.0)
    b: float = _range(0.75, low=0.0, high=1.0)
    # L and Plus: the delta those variants add to every term frequency.
    delta: float = _range(0.5, low=0.0)


@dataclass(frozen=True)
class RetrievalSettings:
    """Tokenisation and ranking."""

    top_k: int = _range(3, low=1, high=25)
    stemming: bool = True
    stop_words: bool = True
    typo_tolerance: bool = True
    # A sentence opening with "This group ..." / "He ..." is also indexed with the sentence before it.
    pronoun_context: bool = True
    mode: str = _choice("auto", "bm25", "semantic", default="auto")
    # BM25 backend: rank-bm25 for small folders, a sparse matrix (bot/retrieval/sparse.py) from
    # SPARSE_FROM_PASSAGES passages on; both give the same scores.
    scorer: str = _choice("auto", "rank-bm25", "sparse", default="auto")
    # semantic mode: share of the embedding similarity in the fused ranking score (BM25 gets the rest).
    semantic_weight: float = _range(0.6, low=0.0, high=1.0)
    passages: PassageSettings = field(default_factory=PassageSettings)
    bm25: BM25Settings = field(default_factory=BM25Settings)


@dataclass(frozen=True)
class AnswerSettings:
    """When the bot answers and when it says the article does not cover the question."""

    # Share of the question's weight (IDF of its content words) that the best passage must match.
    min_coverage: float = _range(0.3, low=0.0, high=1.0)
    # semantic mode: a best passage under min_coverage must score this share of the index's highest IDF.
    min_bm25_share: float = _range(0.3, low=0.0)
    # semantic mode: the best passage's cosine similarity to the question must reach this.
    min_similarity: float = _range(0.17, low=-1.0, high=1.0)
    max_question_chars: int = _range(1000, low=10)


@dataclass(frozen=True)
class DiscordSettings:
    """The Discord front end (briefbot run / sync)."""

    token_env: str = "DISCORD_TOKEN"
    guilds: tuple[int, ...] = ()
    allowed_channels: tuple[int, ...] = ()
    cooldown_seconds: float = _range(3.0, low=0.0)
    private_by_default: bool = False
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    log_level: str = _choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", default="INFO")
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    view_timeout_seconds: float = _range(300.0, low=1.0)
    # /ask opens a public thread on its answer; questions in the thread are follow-ups of it.
    threads: bool = True
    conversations_max: int = _range(1000, low=1)  # thread conversations kept in memory at most
    conversation_idle_seconds: float = _range(86400.0, low=1.0)  # a thread idle this long is forgotten
    shutdown_grace_seconds: float = _range(10.0, low=0.0)


@dataclass(frozen=True)
class Config:
    """All settings; ``path`` is the file they came from (None: built-in defaults)."""

    knowledge_dir: Path | None = None
    # Where the index is kept between runs (relative to the config file); default $XDG_CACHE_HOME/briefbot.
    cache_dir: Path | None = None
    # `briefbot run` rebuilds the index when files in knowledge_dir are added, changed or removed.
    knowledge_watch: bool = True
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    # 👍/👎 votes on answers, one JSON line each (relative to the config file); None: votes are off.
    feedback_file: Path | None = None
    path: Path | None = field(default=None, metadata={"internal": True})


def find_config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--config wins, then $BRIEFBOT_CONFIG, then ./config.yaml; None means built-in defaults."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / CONFIG_NAME
    return local if local.is_file() else None


def config_origin(explicit: str | os.PathLike[str] | None = None) -> str:
    """How the config file is chosen: "--config", "$BRIEFBOT_CONFIG", "./config.yaml" or "built-in defaults"."""
    if explicit:
        return "--config"
    if os.environ.get(CONFIG_ENV):
        return f"${CONFIG_ENV}"
    return f"./{CONFIG_NAME}" if (Path.cwd() / CONFIG_NAME).is_file() else "built-in defaults"


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Load and validate the config file chosen by :func:`find_config_path`.

    Raises ConfigError, one line naming the file, line and key, what is allowed, and how the file
    was chosen ("--config", "$BRIEFBOT_CONFIG" or "./config.yaml").
    """
    path = find_config_path(explicit)
    if path is None:
        return Config()
    origin = config_origin(explicit)
    try:
        return _load(path, origin)
    except ConfigError as exc:
        raise ConfigError(f"{exc} [config file {path}, chosen by {origin}]") from None


def _load(path: Path, origin: str) -> Config:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found; fix the path")
    document = read_yaml(path, ConfigError)
    data = document.data if document.data is not None else {}
    config = _build(Config, data, document, ())
    # Folders are relative to the config file, so the bot works from any working directory.
    knowledge_dir, cache = config.knowledge_dir, config.cache_dir
    if knowledge_dir is not None and not knowledge_dir.is_absolute():
        knowledge_dir = (path.parent / knowledge_dir).resolve()
    feedback_file = config.feedback_file
    if feedback_file is not None and not feedback_file.is_absolute():
        feedback_file = (path.parent / feedback_file).resolve()
    if cache is not None and not cache.is_absolute():
        cache = (path.parent / cache).resolve()
    return dataclasses.replace(
        config, knowledge_dir=knowledge_dir, feedback_file=feedback_file, cache_dir=cache, path=path
    )


def knowledge_dir_origin(config: Config) -> str:
    """Where ``config.knowledge_dir`` came from, for a "not found" message."""
    if config.knowledge_dir is None:
        return "the shipped article"
    if config.path is None:
        return "knowledge_dir"
    return (
        f"knowledge_dir in {config.path}; a relative path is resolved against its folder {config.path.parent.resolve()}"
    )


def _fail(document: YamlDocument, key: tuple[str, ...], message: str) -> typing.NoReturn:
    line = document.line_of(*key)
    dotted = ".".join(key) if key else "(top level)"
    raise ConfigError(f"{where(document.path, line)}: {dotted}: {message}")


def _build(cls: type, data: Any, document: YamlDocument, key: tuple[str, ...]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    if not isinstance(data, dict):
        _fail(document, key, f"expected a mapping with keys {', '.join(fields)}; got {_describe(data)}")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for name, raw in data.items():
        name = str(name)
        if name not in fields:
            close = difflib.get_close_matches(name, fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            _fail(document, (*key, name), f"unknown key{hint}; allowed: {', '.join(fields)}")
        values[name] = _convert(hints[name], fields[name], raw, document, (*key, name))
    return cls(**values)


def _convert(hint: Any, spec: dataclasses.Field[Any], raw: Any, document: YamlDocument, key: tuple[str, ...]) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if raw is None:
            return None
        return _convert(options[0], spec, raw, document, key)
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type, hint), {} if raw is None else raw, document, key)
    if origin is tuple:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            _fail(document, key, f"expected a list of integers (IDs), got {_describe(raw)}")
        return tuple(_convert(int, spec, item, document, (*key, str(index))) for index, item in enumerate(raw))
    if hint is bool:
        if not isinstance(raw, bool):
            _fail(document, key, f"expected true or false, got {_describe(raw)}")
        return raw
    if hint is int:
        # Discord IDs are often quoted in YAML; accept digit strings for them.
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int):
            _fail(document, key, f"expected an integer, got {_describe(raw)}")
        _check_range(raw, spec, document, key)
        return raw
    if hint is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            _fail(document, key, f"expected a number, got {_describe(raw)}")
        _check_range(float(raw), spec, document, key)
        return float(raw)
    if hint is str or hint is Path:
        if not isinstance(raw, str) or not raw.strip():
            _fail(document, key, f"expected a non-empty string, got {_describe(raw)}")
        choices = spec.metadata.get("choices")
        if choices and raw not in choices:
            _fail(document, key, f"{raw!r} is not allowed; choose one of: {', '.join(choices)}")
        return Path(raw) if hint is Path else raw
    raise TypeError(f"unsupported config type {hint!r}")  # a programming error, not a user one


def _check_range(value: float, spec: dataclasses.Field[Any], document: YamlDocument, key: tuple[str, ...]) -> None:
    low, high = spec.metadata.get("low"), spec.metadata.get("high")
    if low is not None and value < low:
        _fail(document, key, f"{value} is too small; use a value >= {low}")
    if high is not None and value > high:
        _fail(document, key, f"{value} is too large; use a value <= {high}")


def _describe(raw: Any) -> str:
    if raw is None:
        return "nothing"
    if isinstance(raw, (dict, list)):
        return f"a {type(raw).__name__.replace('dict', 'mapping')}"
    return f"{raw!r} ({type(raw).__name__})"
