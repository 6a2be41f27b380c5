"""Shared fixtures: the shipped article, indexed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import Engine, build_engine
from bot.router import Router

REPO = Path(__file__).resolve().parent.parent
SHIPPED_ARTICLE = REPO / "knowledge" / "al-bukamal-2019.txt"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return build_engine(Config())


@pytest.fixture(scope="session")
def router(engine: Engine) -> Router:
    return Router(engine)


@pytest.fixture(scope="session")
def article_text() -> str:
    return SHIPPED_ARTICLE.read_text(encoding="utf-8")
