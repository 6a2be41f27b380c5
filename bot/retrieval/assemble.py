"""The index's tokens assembled from per-article parts (``bot.articleindex``), in one linear pass.

Each article brings its sentences' folded words (kept on disk between runs); here they are stemmed
under the acronyms of all articles (a word written in capitals anywhere stays whole everywhere),
and every sentence's actors are found once, with one automaton for every name (``bot.namefinder``).
A passage's tokens are its sentences' tokens in order and its actors the union of theirs, so
nothing is tokenised or matched twice, however much the sentence windows overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..entities import EntityMatcher
from ..indexer import CAPTION
from .analysis import CAPTION_WORDS, Analyzer, PassageTokens

if TYPE_CHECKING:
    from ..articleindex import ArticleIndex

SentenceKey = tuple[str, int]  # article id, sentence start


@dataclass(frozen=True)
class AssembledTokens:
    """Passage tokens for the scorer and lexicon, sentence token sets for the highlight, typo candidates."""

    passages: PassageTokens
    sentences: dict[SentenceKey, frozenset[str]]
    surface_words: frozenset[str]


class EntityStore(Protocol):
    """Where the actors found in an article's sentences are kept between runs (see bot.engine)."""

    def get(self, index: ArticleIndex) -> list[frozenset[str]] | None: ...

    def put(self, index: ArticleIndex, found: list[frozenset[str]]) -> None: ...


def assemble(
    indexes: Sequence[ArticleIndex], analyzer: Analyzer, entities: EntityMatcher, store: EntityStore | None = None
) -> AssembledTokens:
    """Tokens of every passage and sentence of ``indexes`` (``ArticleIndex`` objects, in index order).

    ``store`` keeps each article's per-sentence actor tokens for the same names between runs.
    """
    unstemmed = analyzer.unstemmed
    caption = tuple(analyzer.tokenize(CAPTION_WORDS))
    passage_words: list[tuple[str, ...]] = []
    passage_entities: list[tuple[str, ...]] = []
    sentences: dict[SentenceKey, frozenset[str]] = {}
    surface: set[str] = set()
    for index in indexes:
        if not index.complete:
            raise ValueError(f"{index.article_id}: an entry read without its words cannot be assembled")
        article_id = index.article_id
        surface |= index.surface_words
        own: dict[int, tuple[str, ...]] = {}
        named: dict[int, frozenset[str]] = {}
        # Acronyms stay whole (stemmed, "ISIS" would become "isi"); which words are acronyms depends on
        # every article, so it is decided here, not in the kept entry.
        stems = {w: w if w in unstemmed else t for w, t in index.stems.items()}
        found_actors = store.get(index) if store is not None else None
        if found_actors is None or len(found_actors) != len(index.sentences):
            # Each sentence's text, cut from the first passage that holds it (passages are verbatim spans).
            text_of = {
                s.start: p.text[s.start - p.start : s.end - p.start]
                for p in reversed(index.passages)
                for s in p.sentences
            }
            found_actors = [frozenset(entities.in_text(text_of[s.start])) for s in index.sentences]
            if store is not None:
                store.put(index, found_actors)
        for sentence, found, context, actors in zip(
            index.sentences, index.sentence_words, index.context_names, found_actors, strict=True
        ):
            tokens = tuple(stems[w] for w in found)
            own[sentence.start], named[sentence.start] = tokens, actors
            token_set = frozenset(tokens) | actors
            if context:
                token_set |= frozenset(analyzer.tokenize(context)) | entities.in_text(context)
            sentences[(article_id, sentence.start)] = token_set
        for passage in index.passages:
            words = [*caption] if passage.kind == CAPTION else []
            actors_of: set[str] = set()
            for sentence in passage.sentences:
                words.extend(own[sentence.start])
                actors_of |= named[sentence.start]
            passage_words.append(tuple(words))
            passage_entities.append(tuple(sorted(actors_of)))
    return AssembledTokens(PassageTokens(tuple(passage_words), tuple(passage_entities)), sentences, frozenset(surface))
