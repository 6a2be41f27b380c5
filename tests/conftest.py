"""Shared fixtures: the shipped article, indexed once per test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import msgspec
import pytest

from bot.config import Config, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.router import Router

REPO = Path(__file__).resolve().parent.parent
SHIPPED_ARTICLE = REPO / "knowledge" / "al-bukamal-2019.txt"

# The index cache (bot/indexcache.py) of every engine the tests build, and of every briefbot they
# start, goes to a folder of this run, never to the user's own cache.
_CACHE_HOME = tempfile.TemporaryDirectory(prefix="briefbot-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME.name


@pytest.fixture(scope="session")
def engine() -> Engine:
    return build_engine(Config())


@pytest.fixture(scope="session")
def router(engine: Engine) -> Router:
    return Router(engine)


@pytest.fixture(scope="session", params=["bm25", "auto"])
def any_mode_router(request: pytest.FixtureRequest) -> Router:
    """A router in plain BM25 mode, and one in the default mode (semantic when the extra is installed)."""
    config = Config(retrieval=msgspec.structs.replace(RetrievalSettings(), mode=request.param))
    return Router(build_engine(config))


@pytest.fixture(scope="session")
def article_text() -> str:
    return SHIPPED_ARTICLE.read_text(encoding="utf-8")
