"""Commands and their arguments -> responder calls. Every front end goes through here.

The console and the CLI parse text; Discord gets typed options from its command tree; all of
them call the same methods and only render the result differently.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

from .engine import Engine
from .errors import InputError
from .indexer import BODY
from .responder import Answer


@dataclass(frozen=True)
class CommandHelp:
    """One command as the help lists it."""

    name: str
    usage: str
    summary: str


COMMANDS: tuple[CommandHelp, ...] = (
    CommandHelp("ask", "ask QUESTION", "Answer a question with quoted, cited passages from the article."),
    CommandHelp("source", "source", "Show the loaded articles, their metadata and how they were split."),
    CommandHelp("help", "help", "List the commands."),
)


@dataclass(frozen=True)
class HelpInfo:
    """The command list, plus the retrieval mode the bot runs in."""

    commands: tuple[CommandHelp, ...]
    mode: str

    def to_dict(self) -> dict[str, Any]:
        return {"commands": [vars(c) for c in self.commands], "mode": self.mode}


@dataclass(frozen=True)
class ArticleInfo:
    """Metadata and split statistics for one loaded article."""

    id: str
    title: str
    published: str | None
    byline: str | None
    url: str | None
    path: str
    paragraphs: int
    passages: int
    words: int


@dataclass(frozen=True)
class SourceInfo:
    """What the bot knows and how it searches it."""

    articles: tuple[ArticleInfo, ...]
    mode: str
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"articles": [vars(a) for a in self.articles], "mode": self.mode, "settings": self.settings}


class Router:
    """The one entry point for commands; holds a read-only :class:`Engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def commands(self) -> tuple[CommandHelp, ...]:
        return COMMANDS

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        """Answer ``question`` with up to ``top_k`` passages (config default when None)."""
        k = top_k if top_k is not None else self.engine.config.retrieval.top_k
        if not 1 <= k <= 25:
            raise InputError(f"top-k must be between 1 and 25, not {k}")
        answer = self.engine.responder.answer(question, top_k=k)
        return answer

    def help(self) -> HelpInfo:
        return HelpInfo(self.commands, self.engine.mode)

    def source(self) -> SourceInfo:
        infos = []
        for article in self.engine.articles.values():
            passages = [p for p in self.engine.passages if p.article_id == article.id]
            paragraphs = {s.paragraph for p in passages if p.kind == BODY for s in p.sentences}
            infos.append(
                ArticleInfo(
                    id=article.id,
                    title=article.title,
                    published=article.published,
                    byline=article.byline,
                    url=article.url,
                    path=str(article.path),
                    paragraphs=len(paragraphs),
                    passages=len(passages),
                    words=len(article.text.split()),
                )
            )
        retrieval = self.engine.config.retrieval
        settings = {
            "passages": vars(retrieval.passages),
            "bm25": vars(retrieval.bm25),
            "stemming": retrieval.stemming,
            "stop_words": retrieval.stop_words,
            "top_k": retrieval.top_k,
        }
        return SourceInfo(tuple(infos), self.engine.mode, settings)

    def dispatch(self, line: str) -> Any:
        """Run a text command ("/ask ...", "help", or a bare question) and return its result."""
        name, rest = parse_command(line)
        if name == "ask":
            return self.ask(rest)
        if name == "help":
            return self.help()
        if name == "source":
            return self.source()
        known = ", ".join(c.name for c in self.commands)
        raise InputError(f"unknown command /{name}; try one of: {known}")


def parse_command(line: str) -> tuple[str, str]:
    """Split "/name rest" into ("name", "rest"); text without a leading slash is a question."""
    text = line.strip()
    if not text.startswith("/"):
        return "ask", text
    head, _, rest = text[1:].partition(" ")
    return head.lower(), rest.strip()


def split_arguments(rest: str) -> list[str]:
    """Shell-like splitting of a command's arguments, with a clear error for unbalanced quotes."""
    try:
        return shlex.split(rest)
    except ValueError as exc:
        raise InputError(f"cannot read the arguments ({exc}); check your quotes") from None
