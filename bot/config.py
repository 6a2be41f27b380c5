"""config.yaml parsed once into frozen, typed settings.

Every key has a default here, so a missing config file is fine; a key that is present is checked
against these msgspec Structs (unknown keys, wrong types, values out of range) by :mod:`bot.schema`
and reported as one line naming the file, the line, the key, what is allowed, and how the file was
chosen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, field

from .errors import ConfigError
from .schema import Text, from_document
from .yamlfile import read_yaml

CONFIG_ENV = "BRIEFBOT_CONFIG"
CONFIG_NAME = "config.yaml"


def _range(low: float, high: float | None = None) -> Meta:
    """Values from ``low`` to ``high`` (inclusive; no upper bound when None)."""
    return Meta(ge=low, le=high)


class _Section(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A block of config.yaml: typed, immutable, and no key it does not declare.

    Subclasses say ``frozen=True`` again for type checkers only; msgspec inherits the options.
    """


class PassageSettings(_Section, frozen=True):
    """How paragraphs become passages."""

    max_words: Annotated[int, _range(10)] = 80
    window_sentences: Annotated[int, _range(1)] = 3
    overlap_sentences: Annotated[int, _range(0)] = 2
    min_words: Annotated[int, _range(0)] = 10


class BM25Settings(_Section, frozen=True):
    """rank-bm25 variant and parameters."""

    variant: Literal["okapi", "l", "plus"] = "okapi"
    k1: Annotated[float, _range(0.0)] = 1.2
    b: Annotated[float, _range(0.0, 1.0)] = 0.75
    # L and Plus: the delta those variants add to every term frequency.
    delta: Annotated[float, _range(0.0)] = 0.5


class RetrievalSettings(_Section, frozen=True):
    """Tokenisation and ranking."""

    top_k: Annotated[int, _range(1, 25)] = 3
    stemming: bool = True
    stop_words: bool = True
    typo_tolerance: bool = True
    # A sentence opening with "This group ..." / "He ..." is also indexed with the sentence before it.
    pronoun_context: bool = True
    mode: Literal["auto", "bm25", "semantic"] = "auto"
    # BM25 backend: rank-bm25 for small folders, a sparse matrix (bot/retrieval/sparse.py) from
    # SPARSE_FROM_PASSAGES passages on; both give the same scores.
    scorer: Literal["auto", "rank-bm25", "sparse"] = "auto"
    # semantic mode: share of the embedding similarity in the fused ranking score (BM25 gets the rest).
    semantic_weight: Annotated[float, _range(0.0, 1.0)] = 0.6
    # bm25 mode: a passage's BM25 score is multiplied by its coverage of the question to this power.
    coordination: Annotated[float, _range(0.0, 2.0)] = 0.5
    passages: PassageSettings = field(default_factory=PassageSettings)
    bm25: BM25Settings = field(default_factory=BM25Settings)


class AnswerSettings(_Section, frozen=True):
    """When the bot answers and when it says the article does not cover the question."""

    # Share of the question's weight (IDF of its content words) that the best passage must match.
    min_coverage: Annotated[float, _range(0.0, 1.0)] = 0.3
    # semantic mode: a best passage under min_coverage must score this share of the index's highest IDF.
    min_bm25_share: Annotated[float, _range(0.0)] = 0.3
    # semantic mode: the best passage's cosine similarity to the question must reach this.
    min_similarity: Annotated[float, _range(-1.0, 1.0)] = 0.17
    max_question_chars: Annotated[int, _range(10)] = 1000


class DiscordSettings(_Section, frozen=True):
    """The Discord front end (briefbot run / sync)."""

    token_env: Text = "DISCORD_TOKEN"
    guilds: tuple[int, ...] = ()
    allowed_channels: tuple[int, ...] = ()
    cooldown_seconds: Annotated[float, _range(0.0)] = 3.0
    private_by_default: bool = False
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    api_base_url: Text = "https://discord.com/api/v10"
    gateway_url: Text = "wss://gateway.discord.gg"
    view_timeout_seconds: Annotated[float, _range(1.0)] = 300.0
    # /ask opens a public thread on its answer; questions in the thread are follow-ups of it.
    threads: bool = True
    conversations_max: Annotated[int, _range(1)] = 1000  # thread conversations kept in memory at most
    conversation_idle_seconds: Annotated[float, _range(1.0)] = 86400.0  # a thread idle this long is forgotten
    shutdown_grace_seconds: Annotated[float, _range(0.0)] = 10.0
    # A second `briefbot run` with the same token waits this long for the first to stop, then gives up.
    takeover_wait_seconds: Annotated[float, _range(0.0)] = 30.0


class ConfigFile(_Section, frozen=True):
    """What config.yaml may hold: every key has a default, so a missing file is fine."""

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


class Config(ConfigFile, frozen=True):
    """All settings, folders made absolute; ``path`` is the file they came from (None: built-in defaults)."""

    path: Path | None = None


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
        return _load(path)
    except ConfigError as exc:
        raise ConfigError(f"{exc} [config file {path}, chosen by {origin}]") from None


def _load(path: Path) -> Config:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found; fix the path")
    # strict=False: numbers and true/false may be quoted ("123" for a Discord ID).
    settings = from_document(read_yaml(path, ConfigError), ConfigFile, ConfigError, strict=False)

    def beside_config(folder: Path | None) -> Path | None:
        # Folders are relative to the config file, so the bot works from any working directory.
        return folder if folder is None or folder.is_absolute() else (path.parent / folder).resolve()

    return Config(
        **msgspec.structs.asdict(settings)
        | {
            "knowledge_dir": beside_config(settings.knowledge_dir),
            "cache_dir": beside_config(settings.cache_dir),
            "feedback_file": beside_config(settings.feedback_file),
            "path": path,
        }
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
