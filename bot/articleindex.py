"""What the index needs from one article, computed from that article alone, so it can be kept on disk.

An :class:`ArticleIndex` holds an article's passages, its timeline and actors (curated or drafted),
and its words sentence by sentence, folded and without stop words but not yet stemmed: stemming
keeps acronyms whole, and which words are acronyms depends on every article loaded, so it is done
when the whole index is assembled (``bot.retrieval.assemble``). Nothing here depends on another
article, so a changed article rebuilds only its own entry.

:func:`to_json` / :func:`from_json` turn an entry into plain JSON data and back (the on-disk cache
never unpickles anything); :func:`from_json` raises ``ValueError`` on anything malformed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from .actors import Actor, ActorQuote
from .config import RetrievalSettings
from .curated import ArticleKnowledge, load_knowledge_or_drafts
from .indexer import Passage, Sentence, build_passages
from .knowledge import Article, Problem
from .retrieval.highlight import names_in, referent_context, sentence_text
from .textnorm import STOP_WORDS, acronyms, stem, words
from .timeline import TimelineEvent

SURFACE_MIN_LENGTH = 4  # shorter words are never typo candidates


@dataclass(frozen=True)
class ArticleIndex:
    """One article's passages, knowledge and unstemmed sentence words.

    ``sentences`` lists every sentence of the passages once, in text order; ``sentence_words[i]``
    are the folded words of sentence i (stop words out when configured, not stemmed) and
    ``context_names[i]`` the names in the sentences it refers back to ("This group ..."), as text,
    empty for most. ``surface_words`` are the article's words of four letters or more (typo
    candidates) and ``acronyms`` its all-capital words, case-folded. ``stems`` maps each word of
    ``sentence_words`` to its Snowball stem (to itself when stemming is off), so no word is stemmed
    again when the index is assembled from a kept entry. An entry read without its words
    (``complete`` False) serves a retriever whose state is kept (``bot.retrieval.state``).
    """

    article_id: str
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    sentence_words: tuple[tuple[str, ...], ...]
    context_names: tuple[str, ...]
    surface_words: frozenset[str]
    acronyms: frozenset[str]
    knowledge: ArticleKnowledge
    stems: dict[str, str]
    complete: bool = True  # False: read for its passages and knowledge only (see from_json_bytes)


def _words(text: str, stop_words: bool) -> tuple[str, ...]:
    found = words(text)
    return tuple(w for w in found if w not in STOP_WORDS) if stop_words else tuple(found)


def index_article(article: Article, settings: RetrievalSettings) -> ArticleIndex:
    """Split, draft or load the knowledge of, and analyse one article."""
    passages = tuple(build_passages(article, settings.passages))
    by_start: dict[int, tuple[Passage, Sentence]] = {}
    for passage in passages:
        for sentence in passage.sentences:
            by_start.setdefault(sentence.start, (passage, sentence))
    ordered = [by_start[start] for start in sorted(by_start)]
    context = referent_context(passages) if settings.pronoun_context else {}
    sentence_words = tuple(_words(sentence_text(p, s), settings.stop_words) for p, s in ordered)
    context_names = tuple(names_in(context.get((article.id, s.start), "")) for _, s in ordered)
    surface = frozenset(w for p in passages for w in words(p.text) if len(w) >= SURFACE_MIN_LENGTH)
    vocabulary = {w for found in sentence_words for w in found}
    stems = {w: stem(w) if settings.stemming else w for w in vocabulary}
    return ArticleIndex(
        article.id,
        passages,
        tuple(s for _, s in ordered),
        sentence_words,
        context_names,
        surface,
        acronyms(" ".join(p.text for p in passages)),
        load_knowledge_or_drafts(article),
        stems,
    )


# --- JSON -----------------------------------------------------------------------------------------


def to_json(index: ArticleIndex) -> dict[str, Any]:
    """Plain JSON data for ``index`` (words stored once per article, sentences as lists of word ids)."""
    vocabulary: dict[str, int] = {}

    def ids(found: Sequence[str]) -> list[int]:
        return [vocabulary.setdefault(w, len(vocabulary)) for w in found]

    position = {s.start: i for i, s in enumerate(index.sentences)}
    sentence_ids = [ids(found) for found in index.sentence_words]
    return {
        "article": index.article_id,
        "sentences": [[s.paragraph, s.number, s.start, s.end] for s in index.sentences],
        "passages": [[p.kind, [position[s.start] for s in p.sentences]] for p in index.passages],
        "vocabulary": list(vocabulary),
        "stems": [index.stems[w] for w in vocabulary],
        "sentence_words": sentence_ids,
        "context_names": list(index.context_names),
        "surface_words": sorted(index.surface_words),
        "acronyms": sorted(index.acronyms),
        "knowledge": _knowledge_to_json(index.knowledge),
    }


def from_json(data: Any, article: Article) -> ArticleIndex:
    """The entry :func:`to_json` wrote for ``article``; ``ValueError`` when it does not fit."""
    try:
        if data["article"] != article.id:
            raise ValueError(f"entry is for {data['article']!r}, not {article.id!r}")
        vocabulary = [str(w) for w in data["vocabulary"]]
        stems = dict(zip(vocabulary, (str(t) for t in data["stems"]), strict=True))
        sentences = tuple(Sentence(int(a), int(b), int(c), int(d)) for a, b, c, d in data["sentences"])
        for sentence in sentences:
            if not 0 <= sentence.start <= sentence.end <= len(article.text):
                raise ValueError("sentence offsets outside the article")
        passages = tuple(_passage(article, str(kind), tuple(sentences[i] for i in at)) for kind, at in data["passages"])
        return ArticleIndex(
            article.id,
            passages,
            sentences,
            tuple(tuple(map(vocabulary.__getitem__, found)) for found in data["sentence_words"]),
            tuple(str(names) for names in data["context_names"]),
            frozenset(str(w) for w in data["surface_words"]),
            frozenset(str(w) for w in data["acronyms"]),
            _knowledge_from_json(data["knowledge"]),
            stems,
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed index entry: {exc}") from None


class _Located(msgspec.Struct):
    """The parts of a kept entry that locate its passages and hold its knowledge (the rest is skipped)."""

    article: str
    sentences: list[Sentence]
    passages: list[tuple[str, list[int]]]
    knowledge: _KnowledgeJSON


def from_json_bytes(raw: bytes, article: Article, words: bool = True) -> ArticleIndex:
    """:func:`from_json` of the entry's JSON bytes; without ``words``, only its passages and knowledge
    are read (``complete`` False): what a build needs when the retriever's state is kept, in about
    half the time. ValueError when the entry does not fit ``article``."""
    if words:
        try:
            return from_json(msgspec.json.decode(raw), article)
        except msgspec.DecodeError as exc:
            raise ValueError(f"malformed index entry: {exc}") from None
    try:
        data = msgspec.json.decode(raw, type=_Located)
        if data.article != article.id:
            raise ValueError(f"entry is for {data.article!r}, not {article.id!r}")
        sentences = _article_sentences(data.sentences, article)
        passages = tuple(_passage(article, kind, tuple(sentences[i] for i in at)) for kind, at in data.passages)
        knowledge = _knowledge_from_json(data.knowledge)
    except (msgspec.DecodeError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed index entry: {exc}") from None
    return ArticleIndex(
        article.id, passages, sentences, (), (), frozenset(), frozenset(), knowledge, {}, complete=False
    )


def _article_sentences(decoded: list[Sentence], article: Article) -> tuple[Sentence, ...]:
    """The ``decoded`` sentences as the article's own objects where they are the same (its blocks split
    it into the same sentences), so a sentence is one object in memory, not two."""
    known = {s.start: s for block in article.blocks for s in block.sentences}
    size = len(article.text)
    found = []
    for sentence in decoded:
        own = known.get(sentence.start)
        if own is not None and own == sentence:
            sentence = own
        elif not 0 <= sentence.start <= sentence.end <= size:
            raise ValueError("sentence offsets outside the article")
        found.append(sentence)
    return tuple(found)


def _passage(article: Article, kind: str, sentences: tuple[Sentence, ...]) -> Passage:
    if not sentences:
        raise ValueError("a passage without sentences")
    first, last = sentences[0], sentences[-1]
    label = f"{first.paragraph}.{first.number}-{last.paragraph}.{last.number}"
    text = article.text[first.start : last.end]
    return Passage(f"{article.id}:{label}", article.id, kind, sentences, first.start, last.end, text)


_EVENT_FIELDS = (
    "date",
    "precision",
    "year_inferred",
    "event",
    "actors",
    "article",
    "paragraph",
    "quote",
    "id",
    "automatic",
    "quote_start",
)


def _knowledge_to_json(knowledge: ArticleKnowledge) -> dict[str, Any]:
    events = list(knowledge.events)
    position = {id(event): index for index, event in enumerate(events)}  # list.index would be quadratic
    return {
        "article": knowledge.article,
        "timeline_automatic": knowledge.timeline_automatic,
        "actors_automatic": knowledge.actors_automatic,
        "problems": [[str(p.path), p.message, p.severity] for p in knowledge.problems],
        "events": [[getattr(e, name) for name in _EVENT_FIELDS] for e in events],
        "actors": [
            {
                "name": a.name,
                "type": a.type,
                "aliases": list(a.aliases),
                "role": a.role,
                "mentions": a.mentions,
                "first_paragraph": a.first_paragraph,
                "quotes": [[q.paragraph, q.quote, q.start] for q in a.quotes],
                "events": [position[id(e)] if id(e) in position else events.index(e) for e in a.events],
                "article": a.article,
                "automatic": a.automatic,
            }
            for a in knowledge.actors
        ],
    }


class _ActorJSON(msgspec.Struct):
    name: str
    type: str
    aliases: tuple[str, ...]
    role: str
    mentions: int
    first_paragraph: int | None
    quotes: list[tuple[int, str, int]]
    events: list[int]
    article: str
    automatic: bool


class _KnowledgeJSON(msgspec.Struct):
    """An entry's knowledge as :func:`_knowledge_to_json` writes it, every value's type checked by msgspec."""

    article: str
    timeline_automatic: bool
    actors_automatic: bool
    problems: list[tuple[str, str, str]]
    events: list[TimelineEvent]  # each an array of _EVENT_FIELDS, decoded (and type-checked) by msgspec
    actors: list[_ActorJSON]


def _knowledge_from_json(data: Any) -> ArticleKnowledge:
    """The knowledge :func:`_knowledge_to_json` wrote (as plain data or already typed); ValueError when
    it does not fit."""
    try:
        typed = data if isinstance(data, _KnowledgeJSON) else msgspec.convert(data, _KnowledgeJSON)
    except msgspec.ValidationError as exc:
        raise ValueError(f"malformed knowledge: {exc}") from None
    events = tuple(typed.events)
    actors = tuple(
        Actor(
            a.name,
            a.type,
            a.aliases,
            a.role,
            a.mentions,
            a.first_paragraph,
            tuple(ActorQuote(*quote) for quote in a.quotes),
            tuple(events[i] for i in a.events),
            a.article,
            a.automatic,
        )
        for a in typed.actors
    )
    problems = tuple(Problem(Path(path), message, severity) for path, message, severity in typed.problems)
    return ArticleKnowledge(typed.article, events, actors, typed.timeline_automatic, typed.actors_automatic, problems)
