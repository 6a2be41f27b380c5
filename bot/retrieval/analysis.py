"""Text analysis for retrieval: one tokeniser for passages and questions, and the index's token lists.

Tokens are folded, case-folded words minus stop words, Snowball-stemmed (``bot.textnorm``), except
acronyms the article writes in capitals: stemmed, "ISIS" would become "isi" (ImageSat International).
Every actor a passage names, under any of its names, adds one entity token (``bot.entities``).

:func:`tokenize_passages` is separate from building the scorer so that an index can be built from
token lists computed earlier (a cache on disk) as well as from the passages themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from ..config import RetrievalSettings
from ..entities import EntityMatcher
from ..indexer import CAPTION, Passage
from ..textnorm import acronyms, stem, tokenize

# A caption is found by asking about "the photo" or "the picture" (its credit line, which said so, is cut off).
CAPTION_WORDS = "photo photograph picture image caption"


class Analyzer:
    """Turns text into retrieval tokens under one configuration; immutable, so shared across threads."""

    def __init__(self, settings: RetrievalSettings, unstemmed: frozenset[str] = frozenset()) -> None:
        self.stemming = settings.stemming
        self.stop_words = settings.stop_words
        self.unstemmed = unstemmed  # case-folded acronyms of the article, kept whole

    @classmethod
    def for_passages(cls, passages: Sequence[Passage], settings: RetrievalSettings) -> Analyzer:
        """An analyzer that keeps the acronyms of ``passages`` unstemmed."""
        return cls(settings, acronyms(" ".join(p.text for p in passages)))

    def stem(self, word: str) -> str:
        """The token of one case-folded word (stemmed unless stemming is off or it is an acronym)."""
        return stem(word) if self.stemming and word not in self.unstemmed else word

    def tokenize(self, text: str) -> list[str]:
        """The retrieval tokens of ``text``, in order, with repeats."""
        return tokenize(text, stemming=self.stemming, stop_words=self.stop_words, unstemmed=self.unstemmed)


@dataclass(frozen=True)
class PassageTokens:
    """Per-passage tokens, in passage order: word tokens and entity tokens kept apart.

    ``words[i]`` are the tokens of passage i's own words (their count is its BM25 length: an
    actor's token is a second view of words already counted, so it does not make a passage longer);
    ``entities[i]`` are the tokens of the actors it names, sorted.
    """

    words: tuple[tuple[str, ...], ...]
    entities: tuple[tuple[str, ...], ...]

    @property
    def combined(self) -> list[list[str]]:
        """What the scorer indexes for each passage: its word tokens, then its entity tokens."""
        return [[*w, *e] for w, e in zip(self.words, self.entities, strict=True)]

    @property
    def lengths(self) -> list[int]:
        """Each passage's length for BM25: its word tokens only."""
        return [len(w) for w in self.words]


MIN_COMPOUND_PART = 3  # letters before a compound's head ("air" in "airstrikes")
MIN_COMPOUND_HEAD = 5  # letters of the head ("strikes"; "city" in "capacity" is too short to be one)


def compound_heads(surface_words: Iterable[str], tokens: Collection[str], analyzer: Analyzer) -> dict[str, str]:
    """Token of each closed compound of the article -> token of its head ("airstrik" -> "strike").

    A word is a compound when, after at least ``MIN_COMPOUND_PART`` letters, it ends with a form of
    another word of the article (the head, at least ``MIN_COMPOUND_HEAD`` letters, whose token is
    in ``tokens``, the index's: "strikes" and "strike"); the longest such head is taken. English writes many compounds
    closed ("airstrikes", "paramilitary") while a question names the head ("strikes"). Only endings
    that start like an article word are stemmed, so this stays about linear in the words.
    """
    known = set(surface_words)
    starts = {w[:MIN_COMPOUND_HEAD] for w in known if len(w) >= MIN_COMPOUND_HEAD}
    heads: dict[str, str] = {}
    for word in known:
        for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_HEAD + 1):
            if word[cut : cut + MIN_COMPOUND_HEAD] not in starts:
                continue
            head = analyzer.stem(word[cut:])
            if head in tokens:
                compound = analyzer.stem(word)
                if compound != head:
                    heads[compound] = head
                break
    return heads


def with_compound_heads(token_lists: Sequence[Sequence[str]], heads: dict[str, str]) -> list[list[str]]:
    """Each token list with the heads of its compounds it lacks added once (see :func:`compound_heads`)."""
    result = []
    for tokens in token_lists:
        present = set(tokens)
        extra = sorted({heads[t] for t in present if t in heads} - present)
        result.append([*tokens, *extra])
    return result


def indexed_text(passage: Passage) -> str:
    """The text a passage is indexed under: its own, with "photo caption" before a caption."""
    return (CAPTION_WORDS + " " if passage.kind == CAPTION else "") + passage.text


def tokenize_passages(passages: Sequence[Passage], analyzer: Analyzer, entities: EntityMatcher) -> PassageTokens:
    """Word tokens and entity tokens of every passage (see :class:`PassageTokens`)."""
    return PassageTokens(
        words=tuple(tuple(analyzer.tokenize(indexed_text(p))) for p in passages),
        entities=tuple(tuple(sorted(entities.in_text(p.text))) for p in passages),
    )
