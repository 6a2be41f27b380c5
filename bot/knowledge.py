"""Load the articles of a knowledge folder; one bad file is reported, never fatal to the others.

Layout: ``<id>.txt`` (or ``.md``, a web page, a Word/OpenDocument file, an e-mail, a PDF, RTF,
JSON: see :mod:`bot.formats`) is an article, read into its documented text (the offsets every
citation uses); ``<id>.meta.yaml`` optionally holds its metadata. Curated ``<id>.timeline.yaml``
and ``<id>.actors.yaml`` files sit beside it (see :mod:`bot.curated`). Every other entry of the
folder is litter (left out), or a problem reported in one line (:mod:`bot.folderscan`).

:func:`load_folder` returns every good article plus a :class:`Problem` per bad file: an unreadable
article is skipped; a bad ``.meta.yaml`` is ignored (the article loads with its first line as the
title) because the text is what people ask about and the owner is told; an article whose text
repeats another's is loaded once.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from .errors import KnowledgeError
from .folderscan import COMPANION_SUFFIXES, scan_folder
from .formats import ARTICLE_SUFFIXES, read_any
from .layout import Block, split_blocks
from .reader import ArticleFile, from_text
from .schema import from_document
from .textnorm import words
from .yamlfile import read_yaml
from .wording import plural

ARTICLE_SUFFIX = ".txt"
META_SUFFIX = ".meta.yaml"
_PUBLISHED_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4})(?![\d])")
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ERROR = "error"  # the file is skipped
WARNING = "warning"  # the file is used, with a fallback
NOTE = "note"  # how a file was read, for its owner; fails nothing


# Text; a number written unquoted (a title "1984", a year) is taken as its text.
_MetaText = Annotated[str | int | None, Meta(description="text")]


class ArticleMeta(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """What ``<id>.meta.yaml`` may hold; every key is optional."""

    title: _MetaText = None
    # A year may be written unquoted (a YAML integer); a date unquoted is kept as its text by read_yaml.
    published: Annotated[
        Annotated[str, Meta(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | Annotated[int, Meta(ge=1000, le=9999)] | None,
        Meta(description='a date like "2019", "2019-09" or "2019-09-04"'),
    ] = None
    byline: _MetaText = None
    url: _MetaText = None
    language: _MetaText = None


@dataclass(frozen=True)
class Article:
    """One article: its documented text (see :mod:`bot.reader`), paragraphs and metadata."""

    id: str
    title: str
    text: str
    path: Path
    published: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    byline: str | None = None
    url: str | None = None
    language: str = "en"
    blocks: tuple[Block, ...] = ()  # numbered paragraphs and the caption, as `briefbot index` counts them
    encoding: str = "utf-8-sig"  # kind "text": open(path, encoding=encoding).read() == text
    layout: str = "one paragraph per line"
    content_hash: str = ""  # SHA-256 (hex) of text: changes exactly when the text does
    notes: tuple[str, ...] = ()  # warnings about how the file was read
    kind: str = "text"  # "text" (text is the file), else what it was extracted from: "html", "docx", ...

    @property
    def published_year(self) -> int | None:
        return int(self.published[:4]) if self.published else None


@dataclass(frozen=True)
class Problem:
    """A file in the knowledge folder that is unusable (``error``: skipped) or was read with a fallback."""

    path: Path
    message: str  # one line: "file[:line]: what is wrong; how to fix it"
    severity: str = ERROR

    def __post_init__(self) -> None:
        # A file name may hold a line break, a tab or bytes of no encoding (Linux allows all but "/"):
        # escaped, the message stays one printable line whatever the name.
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, str]:
        return {"file": printable(str(self.path)), "severity": self.severity, "message": self.message}


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\udc80-\udcff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control characters, line separators and undecodable file-name bytes (lone
    surrogates, as os.fsdecode gives them) written as escapes: ``\\n``, ``\\x1b``, ``\\xe9``."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if char in _ESCAPES:
            return _ESCAPES[char]
        if code >= 0xDC80:  # a file-name byte no encoding decoded
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True)
class ReadArticle:
    """One article file as :func:`load_folder` read it: the article, its warnings and its duplicate test."""

    article: Article
    warnings: tuple[Problem, ...]
    text_fingerprint: str  # see text_fingerprint()


@dataclass(frozen=True)
class KnowledgeFolder:
    """The good articles of a folder, sorted by id, and every problem found on the way."""

    directory: Path
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...] = field(default=())
    read: tuple[ReadArticle, ...] = field(default=())  # every file read without error, repeats too (bot.snapshot)


class NoArticleError(KnowledgeError):
    """No article in the folder loads; ``problems`` holds every problem found (`briefbot check` lists them)."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


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


def article_paths(directory: Path) -> list[Path]:
    """The candidate article files of ``directory``, sorted by article id (see :mod:`bot.folderscan`)."""
    return _sorted_by_id(scan_folder(directory).candidates)


def _sorted_by_id(paths: tuple[Path, ...]) -> list[Path]:
    def rank(path: Path) -> int:
        suffix = path.suffix.lower()
        return ARTICLE_SUFFIXES.index(suffix) if suffix in ARTICLE_SUFFIXES else len(ARTICLE_SUFFIXES)

    return sorted(paths, key=lambda path: (article_id_of(path), rank(path), path.name))


def load_folder(
    directory: Path, origin: str = "", reuse: Callable[[Path], ReadArticle | None] | None = None
) -> KnowledgeFolder:
    """Every good article of ``directory`` and a Problem for each bad, repeated or unread entry.

    ``reuse(path)`` may give a file's ReadArticle from an earlier run (a folder snapshot, when the
    file is unchanged) instead of reading it again; None reads it.
    Raises KnowledgeError only when the folder is missing (the message adds ``origin``: where the
    path came from) or holds no usable article (then the message names the first problem).
    """
    if not directory.is_dir():
        what = "is not a folder" if directory.exists() else "not found"
        came_from = f" ({origin})" if origin else ""
        raise KnowledgeError(f"{directory}: knowledge folder {what}{came_from}; set knowledge_dir in config.yaml")
    scan = scan_folder(directory)
    paths = _sorted_by_id(scan.candidates)
    if not paths:
        if scan.problems:
            first = scan.problems[0][1]
            listed = tuple(Problem(path, message, WARNING) for path, message in scan.problems)
            raise NoArticleError(f"{first} (and no article in the folder; run `briefbot check`)", listed)
        kinds = ".txt, .md, .html, .docx, .odt, .pdf, .eml, .json, ..."
        raise KnowledgeError(f"{directory}: no articles in the knowledge folder; add one ({kinds})")
    articles: list[Article] = []
    problems: list[Problem] = []
    by_id: dict[str, Path] = {}
    by_fingerprint: dict[str, Article] = {}
    read: list[ReadArticle] = []
    for path in paths:
        article_id = article_id_of(path)
        if article_id in by_id:
            problems.append(
                Problem(path, f"{path}: same article id as {by_id[article_id].name}; rename one of them (skipped)")
            )
            continue
        known = reuse(path) if reuse is not None else None
        if known is None:
            try:
                article, warnings = read_article(path)
            except KnowledgeError as exc:
                problems.append(Problem(path, f"{exc} (skipped)"))
                continue
            known = ReadArticle(article, tuple(warnings), text_fingerprint(article))
        read.append(known)
        article, fingerprint = known.article, known.text_fingerprint
        by_id[article_id] = path
        problems.extend(known.warnings)
        original = by_fingerprint.get(fingerprint)
        if original is not None:
            problems.append(
                Problem(
                    path,
                    f"{path}: same text as {original.path.name}; loaded once, as {original.id!r}: remove one of them",
                    WARNING,
                )
            )
            continue
        by_fingerprint[fingerprint] = article
        articles.append(article)
    problems.extend(Problem(path, message, WARNING) for path, message in scan.problems)
    ids = {article_id_of(path) for path in paths}
    for path in scan.companions:
        side = next((suffix for suffix in COMPANION_SUFFIXES if path.name.endswith(suffix)), None)
        if side is not None and path.name[: -len(side)] not in ids:
            article_id = path.name[: -len(side)]
            message = f"{path}: no article {article_id}.txt beside it; rename or remove it"
            problems.append(Problem(path, message, WARNING))
    if not articles:
        first = problems[0].message if problems else f"{directory}: no usable article"
        others = len(problems) - 1
        more = f" (and {plural(others, 'more problem')}; run `briefbot check`)" if others else ""
        raise NoArticleError(first + more, tuple(problems))
    articles.sort(key=lambda a: a.id)
    return KnowledgeFolder(directory, tuple(articles), tuple(problems), tuple(read))


def load_articles(directory: Path) -> list[Article]:
    """The good articles of ``directory`` (see :func:`load_folder`, which also says what was skipped)."""
    return list(load_folder(directory).articles)


def article_id_of(path: Path) -> str:
    """The article id of a file: its name less the suffix, made of letters, digits, '-', '_' and '.'.

    A saved page named "Council approves breakwater – Harbour Times.html" is
    "Council-approves-breakwater-Harbour-Times" (accents folded, other characters a '-'); "" when
    nothing is left.
    """
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    if _ARTICLE_ID.match(stem):
        return stem
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", folded).strip("-_.")


def text_fingerprint(article: Article) -> str:
    """Equal for two files with the same words in the same order (case, spacing, line ends, BOM,
    invisible characters and layout aside): the duplicate test."""
    return hashlib.sha256(" ".join(words(article.text)).encode("utf-8")).hexdigest()


def read_article(path: Path) -> tuple[Article, list[Problem]]:
    """Read one article and its optional ``.meta.yaml``: (article, warnings).

    Raises KnowledgeError when the article itself is unusable; a bad meta file is a warning and
    is ignored.
    """
    article_id = article_id_of(path)
    if not _ARTICLE_ID.match(article_id):
        raise KnowledgeError(f"{path}: rename the file to letters, digits, '-', '_' or '.' (it is the article id)")
    source = read_any(path)
    warnings = [Problem(path, f"{path}: {note}", WARNING) for note in source.notes]
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    if article_id != stem:
        note = f"{path}: its article id is {article_id!r} (ids hold letters, digits, '-', '_', '.'); "
        note += f"name its metadata {article_id}{META_SUFFIX}"
        warnings.append(Problem(path, note, NOTE))
    if path.suffix.lower() not in ARTICLE_SUFFIXES and source.kind == "text":
        note = f"{path}: read as plain text ({path.suffix or 'no suffix'} is no kind briefbot knows); rename it .txt"
        warnings.append(Problem(path, note, NOTE))
    meta_path = path.with_name(article_id + META_SUFFIX)
    try:
        meta = read_meta(meta_path)
    except KnowledgeError as exc:
        meta = {}
        warnings.append(Problem(meta_path, f"{exc} (metadata ignored)", WARNING))
    return _article(article_id, source, meta), warnings


def load_article(path: Path) -> Article:
    """Read one article and its ``.meta.yaml``; raises KnowledgeError on any problem, meta included."""
    article_id = article_id_of(path)
    if not _ARTICLE_ID.match(article_id):
        raise KnowledgeError(f"{path}: rename the file to letters, digits, '-', '_' or '.' (it is the article id)")
    return _article(article_id, read_any(path), read_meta(path.with_name(article_id + META_SUFFIX)))


def article_from_text(article_id: str, text: str, path: Path | None = None, **meta: str | None) -> Article:
    """An Article for ``text`` as if read from a file (tests, drafts); ``meta`` as in a .meta.yaml."""
    path = path or Path(f"{article_id}{ARTICLE_SUFFIX}")
    return _article(article_id, from_text(path, text), dict(meta))


def _article(article_id: str, source: ArticleFile, meta: dict[str, str | None]) -> Article:
    first_line = source.text[source.title[0] : source.title[1]] if source.title else article_id
    meta = {**_file_metadata(source.metadata), **{key: value for key, value in meta.items() if value}}
    blocks = split_blocks(source.text, source.paragraphs)
    if not blocks:
        raise KnowledgeError(
            f"{source.path}: no paragraphs left once photo credits are cut; add the article's text below the title"
        )
    return Article(
        id=article_id,
        title=meta.get("title") or first_line,
        text=source.text,
        path=source.path,
        published=meta.get("published"),
        byline=meta.get("byline"),
        url=meta.get("url"),
        language=meta.get("language") or "en",
        blocks=blocks,
        encoding=source.encoding,
        layout=source.layout,
        content_hash=source.content_hash,
        notes=source.notes,
        kind=source.kind,
    )


def _file_metadata(found: dict[str, str]) -> dict[str, str | None]:
    """Metadata a page, e-mail or JSON file carries, in .meta.yaml's forms; a date is cut to its day."""
    meta: dict[str, str | None] = {key: found[key] for key in ("title", "byline", "url") if found.get(key)}
    published = _PUBLISHED_PREFIX.match(found.get("published", "").strip())
    if published is not None:
        meta["published"] = published.group(1)
    return meta


def read_meta(path: Path) -> dict[str, str | None]:
    """The metadata in ``path`` (empty when there is no such file); raises KnowledgeError."""
    if not path.exists():
        return {}
    meta = from_document(read_yaml(path, KnowledgeError), ArticleMeta, KnowledgeError)
    return {key: None if value is None else str(value) for key, value in msgspec.structs.asdict(meta).items()}
