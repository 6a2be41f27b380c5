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
from typing import Any

from .actors import ACTOR_TYPES, Actor, ActorQuote, find_mentions, lookup_key
from .errors import KnowledgeError, where
from .knowledge import WARNING, Article, Problem
from .textnorm import fold, normalize_for_match
from .timeline import PRECISIONS, TimelineEvent, parse_date, sort_events
from .yamlfile import YamlDocument, read_yaml

TIMELINE_SUFFIX = ".timeline.yaml"
ACTORS_SUFFIX = ".actors.yaml"
EVENT_KEYS = ("id", "date", "precision", "year_inferred", "event", "actors", "paragraph", "quote")
EVENT_REQUIRED = ("date", "event", "paragraph", "quote")
ACTOR_KEYS = ("name", "type", "aliases", "role", "quotes")
ACTOR_REQUIRED = ("name", "type", "role", "quotes")
QUOTE_KEYS = ("paragraph", "quote")
QUOTE_SHOWN = 90


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
    text = ArticleText(article)
    actor_entries, actors_source = _curated_or_drafted(
        article, actors_path if has_actors else None, "actors", draft, "actors"
    )
    event_entries, events_source = _curated_or_drafted(
        article, timeline_path if has_timeline else None, "events", draft, "timeline"
    )
    return build_knowledge(
        article,
        text,
        actor_entries,
        actors_source,
        event_entries,
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
        draft["actors"],
        Source(name, None),
        draft["timeline"],
        Source(name, None),
        actors_automatic=True,
        timeline_automatic=True,
    )


def _curated_or_drafted(
    article: Article, path: Path | None, key: str, draft: dict[str, list[dict[str, Any]]] | None, draft_key: str
) -> tuple[Sequence[Any], Source]:
    """The entries under ``key`` of the curated file at ``path``, else (no path) the extractor's draft."""
    if path is not None:
        document = read_yaml(path, KnowledgeError)
        return _entries(document, key), Source(str(path), document)
    assert draft is not None, "load_knowledge drafts whenever a curated file is not used"
    return draft[draft_key], Source(f"{article.path} (extracted {draft_key})", None)


def build_knowledge(
    article: Article,
    text: ArticleText,
    actor_entries: Sequence[Any],
    actors_source: Source,
    event_entries: Sequence[Any],
    events_source: Source,
    *,
    actors_automatic: bool,
    timeline_automatic: bool,
) -> ArticleKnowledge:
    """Validate both lists of entries against the article and link actors and events."""
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
    """Where entries came from, for error messages: a file (with lines) or a draft."""

    name: str
    document: YamlDocument | None

    def fail(self, key: tuple[str | int, ...], entry: str, problem: str) -> KnowledgeError:
        line = self.document.line_of(*key) if self.document else None
        return KnowledgeError(f"{where(self.name, line)}: {entry}: {problem}")


def _entries(document: YamlDocument, key: str) -> list[Any]:
    data = document.data
    if data is None:
        return []
    if not isinstance(data, dict):
        raise KnowledgeError(f"{document.path}:1: expected a mapping with one key, {key}:")
    for other in data:
        if other != key:
            line = document.line_of(str(other))
            raise KnowledgeError(f"{document.path}:{line}: unknown key {other!r}; the file holds only {key}:")
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise KnowledgeError(f"{document.path}:{document.line_of(key)}: {key} must be a list of entries")
    return entries


def _clip(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_SHOWN else text[: QUOTE_SHOWN - 1] + "…"


def _check_keys(
    entry: Any, key: tuple[str | int, ...], label: str, source: Source, allowed: Sequence[str], required: Sequence[str]
) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise source.fail(key, label, f"expected a mapping with keys {', '.join(allowed)}")
    for name in entry:
        if name not in allowed:
            raise source.fail((*key, str(name)), label, f"unknown key {name!r}; allowed: {', '.join(allowed)}")
    for name in required:
        if entry.get(name) in (None, ""):
            raise source.fail(key, label, f"missing {name}")
    return entry


def _text(
    entry: dict[str, Any], name: str, key: tuple[str | int, ...], label: str, source: Source, one_line: bool = True
) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise source.fail((*key, name), label, f"{name} must be text")
    # A quote may wrap as its paragraph does (hard-wrapped mail, a folded YAML scalar): it is located
    # ignoring spacing, and the text shown is the article's own span.
    if one_line and "\n" in value.strip():
        raise source.fail((*key, name), label, f"{name} must be one line")
    return value.strip()


def _paragraph(value: Any, key: tuple[str | int, ...], label: str, source: Source, text: ArticleText) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise source.fail(key, label, "paragraph must be a whole number (as `briefbot index` counts them)")
    if value not in text.paragraphs:
        last = max(text.paragraphs)
        raise source.fail(key, label, f"paragraph {value} does not exist; the article has paragraphs 0..{last}")
    return value


def _quote(
    quote: str, paragraph: int, key: tuple[str | int, ...], label: str, source: Source, text: ArticleText
) -> ActorQuote:
    span = text.locate(quote, paragraph)
    if span is None:
        elsewhere = text.locate(quote)
        if elsewhere is not None:
            found_in = text.paragraph_of(elsewhere[0])
            problem = f'quote is in paragraph {found_in}, not {paragraph}: "{_clip(quote)}"'
        else:
            problem = f'quote not found in the article: "{_clip(quote)}"; copy it exactly from paragraph {paragraph}'
        raise source.fail(key, label, problem)
    start, end = span
    return ActorQuote(paragraph, text.article.text[start:end], start)


def _read_actor(entry: Any, index: int, source: Source, text: ArticleText) -> dict[str, Any]:
    key: tuple[str | int, ...] = ("actors", index)
    name_value = entry.get("name") if isinstance(entry, dict) else None
    label = f'actor "{name_value}"' if isinstance(name_value, str) else f"actor #{index + 1}"
    _check_keys(entry, key, label, source, ACTOR_KEYS, ACTOR_REQUIRED)
    name = _text(entry, "name", key, label, source)
    actor_type = _text(entry, "type", key, label, source)
    if actor_type not in ACTOR_TYPES:
        raise source.fail((*key, "type"), label, f"type {actor_type!r} is not one of: {', '.join(ACTOR_TYPES)}")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise source.fail((*key, "aliases"), label, "aliases must be a list of names")
    role = _text(entry, "role", key, label, source)
    quotes_value = entry.get("quotes")
    if not isinstance(quotes_value, list) or not quotes_value:
        raise source.fail((*key, "quotes"), label, "quotes must be a list of {paragraph, quote}, at least one")
    quotes = []
    for number, item in enumerate(quotes_value):
        item_key = (*key, "quotes", number)
        _check_keys(item, item_key, label, source, QUOTE_KEYS, QUOTE_KEYS)
        paragraph = _paragraph(item["paragraph"], (*item_key, "paragraph"), label, source, text)
        quote = _text(item, "quote", item_key, label, source, one_line=False)
        quotes.append(_quote(quote, paragraph, (*item_key, "quote"), label, source, text))
    names = [name, *(a.strip() for a in aliases)]
    return {"name": name, "type": actor_type, "names": names, "role": role, "quotes": quotes, "key": key}


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
                raise source.fail(where, f'actor "{raw["name"]}"', f'"{name}" {what}; keep it once')
            index[key] = raw["name"]
    return index


def _read_event(
    entry: Any, index: int, source: Source, text: ArticleText, canonical: dict[str, str], *, strict: bool, article: str
) -> TimelineEvent:
    key: tuple[str | int, ...] = ("events", index)
    id_value = entry.get("id") if isinstance(entry, dict) else None
    label = f'event "{id_value}"' if isinstance(id_value, str) and id_value else f"event #{index + 1}"
    _check_keys(entry, key, label, source, EVENT_KEYS, EVENT_REQUIRED)
    raw_date = entry["date"]
    if isinstance(raw_date, bool) or not isinstance(raw_date, (str, int)) and not hasattr(raw_date, "isoformat"):
        raise source.fail((*key, "date"), label, 'date must be text like "2016-06-28"')
    date_text = raw_date.isoformat() if hasattr(raw_date, "isoformat") else str(raw_date)
    try:
        span = parse_date(date_text)
    except ValueError as exc:
        raise source.fail((*key, "date"), label, str(exc)) from None
    precision = entry.get("precision", span.precision)
    if precision not in PRECISIONS or precision != span.precision:
        raise source.fail(
            (*key, "precision"),
            label,
            f"precision {precision!r} does not match the date {span.text!r} ({span.precision})",
        )
    inferred = entry.get("year_inferred", False)
    if not isinstance(inferred, bool):
        raise source.fail((*key, "year_inferred"), label, "year_inferred must be true or false")
    event_id = entry.get("id") or ""
    if not isinstance(event_id, str):
        raise source.fail((*key, "id"), label, "id must be text")
    summary = _text(entry, "event", key, label, source)
    paragraph = _paragraph(entry["paragraph"], (*key, "paragraph"), label, source, text)
    quote = _quote(
        _text(entry, "quote", key, label, source, one_line=False), paragraph, (*key, "quote"), label, source, text
    )
    actor_names = entry.get("actors") or []
    if not isinstance(actor_names, list) or not all(isinstance(a, str) for a in actor_names):
        raise source.fail((*key, "actors"), label, "actors must be a list of names")
    resolved: list[str] = []
    for position, name in enumerate(actor_names):
        found = canonical.get(lookup_key(name))
        if found is None:
            if strict:
                raise source.fail(
                    (*key, "actors", position),
                    label,
                    f'unknown actor "{name}"; add it to the actors file or use one of its names',
                )
            continue
        if found not in resolved:
            resolved.append(found)
    return TimelineEvent(
        date=span.text,
        precision=span.precision,
        year_inferred=inferred,
        event=summary,
        actors=tuple(resolved),
        article=article,
        paragraph=paragraph,
        quote=quote.quote,
        id=event_id,
        automatic=not strict,
        quote_start=quote.start,
    )


def _check_unique_ids(events: Sequence[TimelineEvent], source: Source) -> None:
    seen: set[str] = set()
    for index, event in enumerate(events):
        if event.id and event.id in seen:
            raise source.fail(("events", index, "id"), f'event "{event.id}"', "the id is used twice; keep ids unique")
        seen.add(event.id)
