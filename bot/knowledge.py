"""Load and validate the articles in a knowledge folder.

Layout: ``<id>.txt`` is an article (UTF-8, first line the title, one paragraph per line);
``<id>.meta.yaml`` optionally holds its metadata. Curated ``<id>.timeline.yaml`` and
``<id>.actors.yaml`` files sit beside it (see :mod:`bot.curated`).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import KnowledgeError
from .yamlfile import read_yaml

ARTICLE_SUFFIX = ".txt"
META_SUFFIX = ".meta.yaml"
META_KEYS = ("title", "published", "byline", "url", "language")
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Article:
    """One article: its verbatim text and metadata."""

    id: str
    title: str
    text: str
    path: Path
    published: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    byline: str | None = None
    url: str | None = None
    language: str = "en"

    @property
    def published_year(self) -> int | None:
        return int(self.published[:4]) if self.published else None


def default_knowledge_dir() -> Path:
    """The article shipped with briefbot: the repo's knowledge/ folder.

    An installed briefbot carries it as the package ``bot._knowledge`` (see pyproject.toml); code
    run from a checkout finds the folder beside ``bot/``.
    """
    try:
        package = importlib.import_module("bot._knowledge")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "knowledge"
    # knowledge/ has no __init__.py, so bot._knowledge is a namespace package: resources.files() gives
    # a MultiplexedPath whose str() is not a path. Its first folder is the shipped one.
    return Path(next(iter(package.__path__)))


def load_articles(directory: Path) -> list[Article]:
    """Every ``*.txt`` article in ``directory``, sorted by id; raises KnowledgeError on bad files."""
    if not directory.is_dir():
        raise KnowledgeError(f"{directory}: knowledge folder not found; set knowledge_dir in config.yaml")
    paths = sorted(p for p in directory.iterdir() if p.suffix == ARTICLE_SUFFIX and p.is_file())
    if not paths:
        raise KnowledgeError(f"{directory}: no articles (*.txt) in the knowledge folder; add one")
    return [load_article(path) for path in paths]


def load_article(path: Path) -> Article:
    """Read one article and its optional ``.meta.yaml``."""
    article_id = path.name[: -len(ARTICLE_SUFFIX)]
    if not _ARTICLE_ID.match(article_id):
        raise KnowledgeError(f"{path}: rename the file to letters, digits, '-', '_' or '.' (it is the article id)")
    text = _read_text(path)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    meta = _read_meta(path.with_name(article_id + META_SUFFIX))
    title = meta.get("title") or first_line
    return Article(
        id=article_id,
        title=title,
        text=text,
        path=path,
        published=meta.get("published"),
        byline=meta.get("byline"),
        url=meta.get("url"),
        language=meta.get("language") or "en",
    )


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError(f"{path}:{line}: not UTF-8 text; re-save the article as UTF-8") from None
    for number, line_text in enumerate(text.split("\n"), start=1):
        bad = next((ch for ch in line_text if ch == "\x00" or (ord(ch) < 32 and ch not in "\t\r")), None)
        if bad is not None:
            raise KnowledgeError(f"{path}:{number}: control character U+{ord(bad):04X} in the text; remove it")
    if len([line for line in text.splitlines() if line.strip()]) < 2:
        raise KnowledgeError(f"{path}: an article needs a title line and at least one paragraph")
    # Offsets into the text are part of every citation, so line endings are kept as they are
    # except for CRLF, which would otherwise leave "\r" inside passages.
    return text.replace("\r\n", "\n")


def _read_meta(path: Path) -> dict[str, str | None]:
    if not path.exists():
        return {}
    document = read_yaml(path, KnowledgeError)
    data = document.data or {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}:1: expected a mapping with keys {', '.join(META_KEYS)}")
    meta: dict[str, str | None] = {}
    for key, value in data.items():
        line = document.line_of(str(key))
        if key not in META_KEYS:
            raise KnowledgeError(f"{path}:{line}: unknown key {key!r}; allowed: {', '.join(META_KEYS)}")
        if value is not None and not isinstance(value, (str, int)):
            raise KnowledgeError(f"{path}:{line}: {key} must be text")
        meta[key] = None if value is None else str(value)
    published = meta.get("published")
    if published and not _PUBLISHED.match(published):
        line = document.line_of("published")
        raise KnowledgeError(f'{path}:{line}: published must look like "2019", "2019-09" or "2019-09-04"')
    return meta
