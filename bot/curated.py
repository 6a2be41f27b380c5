"""Curated timeline and actors files beside an article: load, validate, check every quote.

``<id>.timeline.yaml`` and ``<id>.actors.yaml`` sit beside ``<id>.txt`` (formats in README.md and
in the shipped files' header comments). Every entry carries a quote that must occur in the
paragraph it names, modulo quote style, white space and case; the bot refuses to start on one it
cannot find, naming the file, the line, the entry and the quote.

An article without curated files gets drafts from :mod:`bot.extraction`, marked automatic. Drafts go
through the same checks, so what `briefbot extract` prints is a file this module accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from msgspec import Meta, Struct

from .actors import ACTOR_TYPES, Actor, ActorQuote, find_mentions, lookup_key
from .errors import KnowledgeError, where
from .knowledge import WARNING, Article, Problem
from .schema import OneLine, Text, convert, dotted
from .textnorm import fold, normalize_for_match
from .timeline import TimelineEvent, parse_date, sort_events
from .yamlfile import Key, YamlDocument, read_yaml

TIMELINE_SUFFIX = ".timeline.yaml"
ACTORS_SUFFIX = ".actors.yaml"
QUOTE_SHOWN = 90
T = TypeVar("T")

# --- the schemas of the two files (and of the extractor's drafts, checked the same way) -------------

Paragraph = Annotated[int, Meta(ge=0, description="a paragraph number, as `briefbot index` counts them")]


class _Entry(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """An entry of a curated file: typed, and no key it does not declare."""


class QuoteEntry(_Entry, frozen=True):
    """Where an actor is named: a paragraph and a quote from it."""

    paragraph: Paragraph
    quote: Text  # may wrap as its paragraph does: located ignoring spacing


class ActorEntry(_Entry, frozen=True):
    """One entry of ``<id>.actors.yaml``."""

    name: OneLine
    type: Literal[ACTOR_TYPES]  # type: ignore[valid-type]  # the tuple's names, one list for all of briefbot
    role: OneLine
    quotes: Annotated[list[QuoteEntry], Meta(min_length=1)]
    aliases: Annotated[list[OneLine], Meta(description="a list of names")] = []


class EventEntry(_Entry, frozen=True):
    """One entry of ``<id>.timeline.yaml``; the date's form and its precision are checked by parse_date."""

    date: Annotated[str | int, Meta(description='a date like "2016-06-28", "2016-06", "2016", "1980s" or START/END')]
    event: OneLine
    paragraph: Paragraph
    quote: Text
    id: str | None = None
    precision: str | None = None
    year_inferred: bool = False
    actors: Annotated[list[OneLine], Meta(description="a list of names from the actors file")] = []


class TimelineFile(_Entry, frozen=True):
    events: list[EventEntry] = []


class ActorsFile(_Entry, frozen=True):
    actors: list[ActorEntry] = []


@dataclass(frozen=True)
class ArticleKnowledge:
    """An article's timeline and actors, curated or drafted."""

    article: str
    events: tuple[TimelineEvent, ...]
    actors: tuple[Actor, ...]
    timeline_automatic: bool
    actors_automatic: bool
    problems: tuple[Problem, ...] = ()  # a curated file that failed its checks and was replaced by drafts


def curated_paths(article: Article) -> tuple[Path, Path]:
    """Where the curated timeline and actors files of ``article`` live."""
    return (
        article.path.with_name(article.id + TIMELINE_SUFFIX),
        article.path.with_name(article.id + ACTORS_SUFFIX),
    )


def load_knowledge(article: Article, *, curated: bool = True) -> ArticleKnowledge:
    """The curated files of ``article`` checked against its text, or extracted drafts where missing.

    ``curated=False`` ignores the curated files and drafts both (the fallback for a bad one).
    Raises KnowledgeError naming file, line, entry and problem.
    """
    timeline_path, actors_path = curated_paths(article)
    has_timeline, has_actors = curated and timeline_path.exists(), curated and actors_path.exists()
    if has_timeline and not has_actors:
        raise KnowledgeError(
            f"{timeline_path}: needs {actors_path.name} beside it (event actors are checked against it); "
            "draft one with `briefbot extract`"
        )
    draft: dict[str, list[dict[str, Any]]] | None = None
    if not (has_timeline and has_actors):
        from .extraction import extract  # only articles without curated files pay for the extractor

        draft = extract(article)
    actors_source = _curated_or_drafted(article, actors_path if has_actors else None, "actors", draft, "actors")
    events_source = _curated_or_drafted(article, timeline_path if has_timeline else None, "events", draft, "timeline")
    return build_knowledge(
        article,
        ArticleText(article),
        actors_source,
        events_source,
        actors_automatic=not has_actors,
        timeline_automatic=not has_timeline,
    )


def load_knowledge_or_drafts(article: Article) -> ArticleKnowledge:
    """Like :func:`load_knowledge`, but a bad curated file falls back to drafts and never raises.

    A curated file that fails its checks (a quote no longer in the text after an edit, a typo in
    a key) should not cost the article its answers or the other articles theirs: the drafted
    timeline and actors stand in, marked automatic, and ``problems`` says what to fix.
    """
    try:
        return load_knowledge(article)
    except KnowledgeError as exc:
        path = next((p for p in curated_paths(article) if str(p) in str(exc)), article.path)
        problem = Problem(path, f"{exc} (using drafted timeline and actors until it is fixed)", WARNING)
    try:
        drafted = load_knowledge(article, curated=False)
    except KnowledgeError as exc:
        failed = Problem(article.path, f"{exc} (no timeline or actors for this article)", WARNING)
        return ArticleKnowledge(article.id, (), (), True, True, (problem, failed))
    return replace(drafted, problems=(problem,))


def draft_knowledge(article: Article, draft: dict[str, list[dict[str, Any]]] | None = None) -> ArticleKnowledge:
    """The extractor's drafts (``extraction.extract(article)`` unless given) checked like curated files."""
    if draft is None:
        from .extraction import extract

        draft = extract(article)
    name = f"{article.path} (extracted)"
    return build_knowledge(
        article,
        ArticleText(article),
        Source(name, {"actors": draft["actors"]}),
        Source(name, {"events": draft["timeline"]}),
        actors_automatic=True,
        timeline_automatic=True,
    )


def _curated_or_drafted(
    article: Article, path: Path | None, key: str, draft: dict[str, list[dict[str, Any]]] | None, draft_key: str
) -> Source:
    """The curated file at ``path`` (its entries under ``key``), else (no path) the extractor's draft."""
    if path is not None:
        document = read_yaml(path, KnowledgeError)
        return Source(str(path), document.data, document)
    assert draft is not None, "load_knowledge drafts whenever a curated file is not used"
    return Source(f"{article.path} (extracted {draft_key})", {key: draft[draft_key]})


def build_knowledge(
    article: Article,
    text: ArticleText,
    actors_source: Source,
    events_source: Source,
    *,
    actors_automatic: bool,
    timeline_automatic: bool,
) -> ArticleKnowledge:
    """Check both sources against their schemas and the article, and link actors and events."""
    actor_entries = actors_source.convert(ActorsFile).actors
    event_entries = events_source.convert(TimelineFile).events
    raw_actors = [_read_actor(entry, i, actors_source, text) for i, entry in enumerate(actor_entries)]
    canonical = _name_index(raw_actors, actors_source)
    read = [
        _read_event(entry, i, events_source, text, canonical, strict=not timeline_automatic, article=article.id)
        for i, entry in enumerate(event_entries)
    ]
    _check_unique_ids(read, events_source)
    events = sort_events(read)
    mentions = find_mentions(text.segments, [raw["names"] for raw in raw_actors])
    # Group once: filtering every mention and event per actor is quadratic on a long article.
    mentions_of: dict[int, list[Any]] = {}
    for mention in mentions:
        mentions_of.setdefault(mention.actor, []).append(mention)
    events_of: dict[str, list[TimelineEvent]] = {}
    for event in events:
        for name in event.actors:
            events_of.setdefault(name, []).append(event)
    actors = []
    for index, raw in enumerate(raw_actors):
        own = mentions_of.get(index, [])
        actors.append(
            Actor(
                name=raw["name"],
                type=raw["type"],
                aliases=tuple(raw["names"][1:]),
                role=raw["role"],
                mentions=len(own),
                first_paragraph=min((m.paragraph for m in own), default=raw["quotes"][0].paragraph),
                quotes=tuple(raw["quotes"]),
                events=tuple(dict.fromkeys(events_of.get(raw["name"], []))),
                article=article.id,
                automatic=actors_automatic,
            )
        )
    return ArticleKnowledge(article.id, events, tuple(actors), timeline_automatic, actors_automatic)


# --- the article text, paragraph by paragraph ---------------------------------------------------


class ArticleText:
    """An article's paragraphs as `briefbot index` numbers them, with forgiving quote search."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.segments: list[tuple[int, int, str]] = [
            (block.paragraph, block.start, article.text[block.start : block.end]) for block in article.blocks
        ]
        self.paragraphs = {paragraph: (start, body) for paragraph, start, body in self.segments}
        self._normalized = [_normalized_with_positions(body) for _, _, body in self.segments]
        self._by_paragraph: dict[int, list[int]] = {}
        for index, (paragraph, _, _) in enumerate(self.segments):
            self._by_paragraph.setdefault(paragraph, []).append(index)

    def locate(self, quote: str, paragraph: int | None = None) -> tuple[int, int] | None:
        """Offsets of ``quote`` in the article (inside ``paragraph`` if given), or None."""
        needle = normalize_for_match(quote)
        if not needle:
            return None
        chosen = range(len(self.segments)) if paragraph is None else self._by_paragraph.get(paragraph, [])
        for index in chosen:
            _, offset, _ = self.segments[index]
            haystack, positions = self._normalized[index]
            at = haystack.find(needle)
            if at >= 0:
                return offset + positions[at], offset + positions[at + len(needle) - 1] + 1
        return None

    def paragraph_of(self, offset: int) -> int | None:
        for paragraph, start, body in self.segments:
            if start <= offset < start + len(body):
                return paragraph
        return None


def _normalized_with_positions(text: str) -> tuple[str, list[int]]:
    """normalize_for_match(text), plus for each of its characters the index it came from."""
    out: list[str] = []
    positions: list[int] = []
    whole = fold(text).casefold()
    # Usually folding keeps every character in place; only then can the whole string be used.
    pieces = list(whole) if len(whole) == len(text) else [fold(char).casefold() for char in text]
    for index, piece in enumerate(pieces):
        for folded in piece:
            if folded.isspace():
                if not out or out[-1] == " ":
                    continue
                folded = " "
            out.append(folded)
            positions.append(index)
    while out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


# --- validation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where entries came from, for error messages: a file (with lines) or a draft, and its raw data."""

    name: str
    data: Any  # {"events": [...]} or {"actors": [...]}, as read
    document: YamlDocument | None = None

    def convert(self, type_: type[T]) -> T:
        """The data as ``type_`` (a schema above); raises KnowledgeError naming file, line, entry and key."""
        line_of = self.document.line_of if self.document else None
        data = {} if self.data is None else self.data
        return convert(data, type_, KnowledgeError, name=self.name, line_of=line_of, label=self.label)

    def entry(self, key: Key) -> str:
        """'event "id"' or 'actor "name"' (else '#n') for a key inside an entry; the dotted key otherwise."""
        if len(key) < 2 or key[0] not in ("events", "actors") or not isinstance(key[1], int):
            return dotted(key)
        entries = self.data.get(key[0]) if isinstance(self.data, dict) else None
        raw = entries[key[1]] if isinstance(entries, list) and key[1] < len(entries) else None
        kind, name_key = ("event", "id") if key[0] == "events" else ("actor", "name")
        name = raw.get(name_key) if isinstance(raw, dict) else None
        return f'{kind} "{name}"' if isinstance(name, str) and name else f"{kind} #{key[1] + 1}"

    def label(self, key: Key) -> str:
        """The entry, then the key inside it: 'event "x": year_inferred'."""
        inside = key[2:] if self.entry(key) != dotted(key) else ()
        return f"{self.entry(key)}: {dotted(inside)}" if inside else self.entry(key)

    def fail(self, key: Key, problem: str) -> KnowledgeError:
        line = self.document.line_of(*key) if self.document else None
        return KnowledgeError(f"{where(self.name, line)}: {self.entry(key)}: {problem}")


def _clip(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_SHOWN else text[: QUOTE_SHOWN - 1] + "…"


def _paragraph(value: int, key: Key, source: Source, text: ArticleText) -> int:
    if value not in text.paragraphs:
        last = max(text.paragraphs)
        raise source.fail(key, f"paragraph {value} does not exist; the article has paragraphs 0..{last}")
    return value


def _quote(quote: str, paragraph: int, key: Key, source: Source, text: ArticleText) -> ActorQuote:
    span = text.locate(quote, paragraph)
    if span is None:
        elsewhere = text.locate(quote)
        if elsewhere is not None:
            found_in = text.paragraph_of(elsewhere[0])
            problem = f'quote is in paragraph {found_in}, not {paragraph}: "{_clip(quote)}"'
        else:
            problem = f'quote not found in the article: "{_clip(quote)}"; copy it exactly from paragraph {paragraph}'
        raise source.fail(key, problem)
    start, end = span
    return ActorQuote(paragraph, text.article.text[start:end], start)


def _read_actor(entry: ActorEntry, index: int, source: Source, text: ArticleText) -> dict[str, Any]:
    key: Key = ("actors", index)
    quotes = []
    for number, item in enumerate(entry.quotes):
        item_key = (*key, "quotes", number)
        paragraph = _paragraph(item.paragraph, (*item_key, "paragraph"), source, text)
        quotes.append(_quote(item.quote.strip(), paragraph, (*item_key, "quote"), source, text))
    name = entry.name.strip()
    names = [name, *(alias.strip() for alias in entry.aliases)]
    return {"name": name, "type": entry.type, "names": names, "role": entry.role.strip(), "quotes": quotes, "key": key}


def _name_index(raw_actors: list[dict[str, Any]], source: Source) -> dict[str, str]:
    """lookup key of every name and alias -> canonical name; a name used twice is an error."""
    index: dict[str, str] = {}
    for raw in raw_actors:
        for position, name in enumerate(raw["names"]):
            key = lookup_key(name)
            owner = index.get(key)
            if owner is not None:
                where = raw["key"] if position == 0 else (*raw["key"], "aliases", position - 1)
                what = "repeats its own name" if owner == raw["name"] else f'is already a name of "{owner}"'
                raise source.fail(where, f'"{name}" {what}; keep it once')
            index[key] = raw["name"]
    return index


def _read_event(
    entry: EventEntry,
    index: int,
    source: Source,
    text: ArticleText,
    canonical: dict[str, str],
    *,
    strict: bool,
    article: str,
) -> TimelineEvent:
    key: Key = ("events", index)
    try:
        span = parse_date(str(entry.date))
    except ValueError as exc:
        raise source.fail((*key, "date"), str(exc)) from None
    if entry.precision is not None and entry.precision != span.precision:
        raise source.fail(
            (*key, "precision"),
            f"precision {entry.precision!r} does not match the date {span.text!r} ({span.precision})",
        )
    paragraph = _paragraph(entry.paragraph, (*key, "paragraph"), source, text)
    quote = _quote(entry.quote.strip(), paragraph, (*key, "quote"), source, text)
    resolved: list[str] = []
    for position, name in enumerate(entry.actors):
        found = canonical.get(lookup_key(name))
        if found is None:
            if strict:
                problem = f'unknown actor "{name}"; add it to the actors file or use one of its names'
                raise source.fail((*key, "actors", position), problem)
            continue
        if found not in resolved:
            resolved.append(found)
    return TimelineEvent(
        date=span.text,
        precision=span.precision,
        year_inferred=entry.year_inferred,
        event=entry.event.strip(),
        actors=tuple(resolved),
        article=article,
        paragraph=paragraph,
        quote=quote.quote,
        id=entry.id or "",
        automatic=not strict,
        quote_start=quote.start,
    )


def _check_unique_ids(events: Sequence[TimelineEvent], source: Source) -> None:
    seen: set[str] = set()
    for index, event in enumerate(events):
        if event.id and event.id in seen:
            raise source.fail(("events", index, "id"), "the id is used twice; keep ids unique")
        seen.add(event.id)
