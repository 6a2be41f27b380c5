"""Commands and their arguments -> responder calls. Every front end goes through here.

The console and the CLI parse text; Discord gets typed options from its command tree; all of
them call the same methods and only render the result differently.
"""

from __future__ import annotations

import shlex
import threading
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec

from .actors import ActorList, ActorLookup, normalize_type
from .conversation import Conversation, Reading
from .engine import Engine
from .errors import InputError
from .followup import FollowUpResolver
from .indexer import BODY
from .knowledge import Problem
from .problems import layout_notes, problems_json
from .responder import EMPTY_QUESTION, NO_WORDS, NOT_IN_ARTICLE, TOO_LONG, Answer
from .retrieval.answerability import coverage_weights
from .timeline import Timeline, describe_years, filter_by_years, parse_years
from .wording import plural


@dataclass(frozen=True)
class CommandHelp:
    """One command as the help lists it."""

    name: str
    usage: str
    summary: str


COMMANDS: tuple[CommandHelp, ...] = (
    CommandHelp("ask", "ask QUESTION", "Answer a question with quoted, cited passages from the article."),
    CommandHelp(
        "timeline",
        "timeline [YEAR | FROM-TO] [--actor NAME]",
        "The article's dated events in order, each with its quote; filter by years and by an actor.",
    ),
    CommandHelp("actors", "actors [--type TYPE]", "The people, groups, states and places the article names."),
    CommandHelp("actor", "actor NAME", "One actor by any of its names: role, mentions, quotes and events."),
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
    encoding: str = "utf-8-sig"  # open(path, encoding=encoding).read() is the text citations point into
    layout: str = "one paragraph per line"
    content_hash: str = ""
    kind: str = "text"  # "text": the file is the documented text; else the format it was extracted from


@dataclass(frozen=True)
class SourceInfo:
    """What the bot knows and how it searches it."""

    articles: tuple[ArticleInfo, ...]
    mode: str
    settings: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # the lines `briefbot check` lists for the folder (bot.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": [vars(a) for a in self.articles],
            "mode": self.mode,
            "settings": self.settings,
            **problems_json(self.problems),
        }


UNASKABLE = frozenset({EMPTY_QUESTION, TOO_LONG, NO_WORDS})


class Router:
    """The one entry point for commands; holds a read-only :class:`Engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.resolver = FollowUpResolver(engine.actors.actors, engine.articles)
        # Each indexed passage's tokens by article, for checking a follow-up's own words without
        # tokenising an answer again (a merged answer passage is the union of the windows it spans).
        # Filled per article on the first follow-up that needs it, under the lock: for every passage
        # at once it took 0.45 s of each start at 2,000 articles, for articles few follow-ups reach.
        self._passage_tokens: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
        self._passages_by_article: dict[str, list[int]] | None = None
        self._tokens_lock = threading.Lock()

    @property
    def commands(self) -> tuple[CommandHelp, ...]:
        return COMMANDS

    def ask(self, question: str, top_k: int | None = None, conversation: Conversation | None = None) -> Answer:
        """Answer ``question`` with up to ``top_k`` passages (config default when None).

        With a ``conversation``, the question is first read against its earlier turns (a follow-up
        such as "when did he serve with the IRGC?" is asked as a question that stands alone, and
        ``Answer.read_as`` says how), and the answer is recorded as the conversation's next turn.
        A rewritten question must still match the words the person typed: when the best passage
        covers less than ``answer.min_coverage`` of them ("how old is he?"), it declines.
        """
        k = top_k if top_k is not None else self.engine.config.retrieval.top_k
        if not 1 <= k <= 25:
            raise InputError(f"top-k must be between 1 and 25, not {k}")
        responder = self.engine.responder
        if conversation is None:
            return responder.answer(question, top_k=k)
        with conversation.lock:
            # A question too long to answer is not worth reading against the conversation either.
            too_long = len(question) > self.engine.config.answer.max_question_chars
            reading = Reading(question) if too_long else self.resolver.read(question, conversation.turns())
            answer = responder.answer(reading.asked, top_k=k)
            if reading.read_as is not None:
                answer = self._own_words_checked(replace(answer, read_as=reading.read_as), reading)
                answer = replace(answer, question=question)  # as typed, not as read
            # Input that could not be asked (empty, too long, no words) says nothing a follow-up could use.
            if answer.reason not in UNASKABLE:
                conversation.add(self.resolver.turn(question, reading, answer))
        return answer

    def _own_words_checked(self, answer: Answer, reading: Reading) -> Answer:
        """Decline a rewritten question whose best passage misses the words the person typed."""
        if not answer.answered or not reading.own_words:
            return answer
        retriever = self.engine.retriever
        own = retriever.parse(reading.own_words)
        if not own.question_terms:
            return answer
        top = answer.passages[0]
        start = top.citation.start - top.highlight_start
        end = start + len(top.text)
        present: set[str] = set()
        for p_start, p_end, tokens in self._article_passage_tokens(top.article):
            if start <= p_start and p_end <= end:
                present |= tokens
        # A typed word is matched by itself or by the actor it names ("IRGC" by "Revolutionary Guard Corps").
        covered = coverage_weights(own, retriever.thresholds).coverage(present)
        if covered >= retriever.thresholds.min_coverage or self.resolver.names_what_was_asked(reading.asked, answer):
            return answer
        return replace(
            answer,
            answered=False,
            passages=(),
            short_answer=None,
            reason=NOT_IN_ARTICLE,
            message="The article does not answer that: the passage about it does not say.",
        )

    def _article_passage_tokens(self, article_id: str) -> list[tuple[int, int, frozenset[str]]]:
        """(start, end, index tokens) of each of the article's indexed passages, in index order; [] for
        an article with none. Computed once per article, then only read."""
        found = self._passage_tokens.get(article_id)
        if found is not None:
            return found
        with self._tokens_lock:
            found = self._passage_tokens.get(article_id)
            if found is None:
                retriever = self.engine.retriever
                if self._passages_by_article is None:
                    by_article: dict[str, list[int]] = {}
                    for index, passage in enumerate(retriever.passages):
                        by_article.setdefault(passage.article_id, []).append(index)
                    self._passages_by_article = by_article
                found = [
                    (retriever.passages[i].start, retriever.passages[i].end, retriever.token_set(i))
                    for i in self._passages_by_article.get(article_id, ())
                ]
                self._passage_tokens[article_id] = found
        return found

    def timeline(self, years: str | None = None, actor: str | None = None) -> Timeline:
        """Events in date order, optionally only those overlapping ``years`` and involving ``actor``."""
        span = parse_years(years)
        events = self.engine.events
        if span is not None:
            events = filter_by_years(events, span)
        name = None
        if actor is not None and actor.strip():
            lookup = self.engine.actors.lookup(actor)
            if lookup.actor is None:
                raise InputError(lookup.message)
            name = lookup.actor.name
            # The same actor may be named in several articles, each with its own entry.
            wanted = {(a.article, a.name) for a in self.engine.actors.same_actor(lookup.actor)}
            events = tuple(e for e in events if any((e.article, n) in wanted for n in e.actors))
        parts = [f"involving {name}"] if name else []
        if span is not None:
            parts.insert(0, describe_years(span))
        scope = f" {' '.join(parts)}" if parts else ""
        if not self.engine.events:
            message = "No dated events in the loaded articles."
        elif events:
            message = f"{plural(len(events), 'event')}{scope}, oldest first."
        else:
            first, last = self.engine.events[0].label, self.engine.events[-1].label
            message = f"No events{scope}; the timeline runs from {first} to {last}."
        automatic = any(e.automatic for e in events)
        return Timeline(events, message, span, name, automatic)

    def actors(self, type: str | None = None) -> ActorList:  # noqa: A002 - the option is called type
        """Every actor (of one type if given), the most mentioned first."""
        wanted = normalize_type(type) if type is not None and type.strip() else None
        # One entry per actor across articles, its mentions counted per article.
        chosen = [a for a in self.engine.actors.merged() if wanted is None or a.type == wanted]
        chosen.sort(key=lambda a: (-a.mentions, a.first_paragraph if a.first_paragraph is not None else 10**6))
        label = f"{wanted} actor" if wanted else "actor"
        if chosen:
            message = f"{len(chosen)} {label}{'s' if len(chosen) != 1 else ''}, the most mentioned first."
        else:
            present = ", ".join(self.engine.actors.types()) or "none"
            message = f"No {label}s in the loaded articles; types present: {present}."
        return ActorList(tuple(chosen), message, wanted)

    def actor(self, name: str) -> ActorLookup:
        """One actor by any of its names, forgiving case, hyphens and small typos; else suggestions.

        A name with no words in it is an InputError, raised by the lookup."""
        return self.engine.actors.lookup(name)

    def actor_names(self) -> list[str]:
        """Every canonical name and alias, for autocomplete."""
        return self.engine.actors.names()

    def actor_types(self) -> list[str]:
        return self.engine.actors.types()

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
                    encoding=article.encoding,
                    layout=article.layout,
                    content_hash=article.content_hash,
                    kind=article.kind,
                )
            )
        retrieval = self.engine.config.retrieval
        settings = {
            "passages": msgspec.structs.asdict(retrieval.passages),
            "bm25": msgspec.structs.asdict(retrieval.bm25),
            "stemming": retrieval.stemming,
            "stop_words": retrieval.stop_words,
            "top_k": retrieval.top_k,
        }
        problems = (*self.engine.problems, *layout_notes(list(self.engine.articles.values())))
        return SourceInfo(tuple(infos), self.engine.mode, settings, problems)

    def dispatch(self, line: str) -> Any:
        """Run a text command ("/ask ...", "help", or a bare question) and return its result."""
        name, rest = parse_command(line)
        if name == "ask":
            return self.ask(rest)
        if name == "help":
            return self.help()
        if name == "source":
            return self.source()
        if name == "timeline":
            words, options = parse_options(rest, ("actor",))
            return self.timeline(" ".join(words) or None, options.get("actor"))
        if name == "actors":
            words, options = parse_options(rest, ("type",))
            return self.actors(options.get("type") or " ".join(words) or None)
        if name == "actor":
            words, _ = parse_options(rest, ())
            return self.actor(" ".join(words))
        known = ", ".join(c.name for c in self.commands)
        raise InputError(f"unknown command /{name}; try one of: {known}")


def parse_command(line: str) -> tuple[str, str]:
    """Split "/name rest" into ("name", "rest"); text without a leading slash is a question."""
    text = line.strip()
    if not text.startswith("/"):
        return "ask", text
    head, _, rest = text[1:].partition(" ")
    return head.lower(), rest.strip()


def parse_options(rest: str, names: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Split "2016-2018 --actor kataib hezbollah" into words and {"actor": "kataib hezbollah"}.

    An option's value runs to the next option, so names of several words need no quotes.
    """
    words: list[str] = []
    options: dict[str, list[str]] = {}
    current: list[str] = words
    for token in split_arguments(rest):
        if token.startswith("--") and len(token) > 2:
            option, _, value = token[2:].partition("=")
            if option not in names:
                allowed = ", ".join(f"--{n}" for n in names) or "none"
                raise InputError(f"unknown option {token.partition('=')[0]}; allowed: {allowed}")
            current = options.setdefault(option, [])
            if value:
                current.append(value)
        else:
            current.append(token)
    values = {}
    for option, parts in options.items():
        if not parts:
            raise InputError(f"--{option} needs a value")
        values[option] = " ".join(parts)
    return words, values


def split_arguments(rest: str) -> list[str]:
    """Shell-like splitting of a command's arguments, with a clear error for unbalanced quotes."""
    try:
        return shlex.split(rest)
    except ValueError as exc:
        raise InputError(f"cannot read the arguments ({exc}); check your quotes") from None
