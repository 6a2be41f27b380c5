"""The lexicon: which tokens the indexed passages use, in how many passages, and the one IDF.

One IDF serves ranking (the BM25 scorer), the decline rule's coverage and the highlight, so a word
weighs the same everywhere. It is the Robertson-Sparck Jones IDF with 1 added inside the logarithm,
as Lucene's BM25Similarity computes it: ``log(1 + (N - df + 0.5) / (df + 0.5))``. It is positive
for every df and decreases as df grows, so a word found in most passages still counts a little
(Okapi's ``log((N - df + 0.5) / (df + 0.5))`` is zero or negative past half the passages, which
made "What is the breakwater made of?" unanswerable on a two-paragraph article).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from .typos import TypoIndex

# Words shorter than this are never typo-corrected, so the lexicon does not list them as candidates.
MIN_SURFACE_LENGTH = 4


def idf(passage_count: int, document_frequency: int) -> float:
    """Lucene's BM25 IDF: ``log(1 + (N - df + 0.5) / (df + 0.5))``; > 0, falls as ``df`` grows.

    ``passage_count`` is N (>= 0), ``document_frequency`` the passages containing the token (0..N).
    Source: Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009),
    with Lucene's +1 inside the logarithm (org.apache.lucene.search.similarities.BM25Similarity).
    """
    n, df = passage_count, document_frequency
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class Lexicon:
    """Document frequencies over per-passage token lists, and the article words a typo may be read as."""

    def __init__(self, token_lists: Sequence[Iterable[str]], surface_words: Iterable[str] = ()) -> None:
        self.passage_count = len(token_lists)
        # Counted in C: one set per passage, all counted at once (a Python loop per token was slow at scale).
        self._document_frequency: dict[str, int] = dict(Counter(chain.from_iterable(map(set, token_lists))))
        # Sorted so a typo fix picks the same word on every run.
        self.surface_words: tuple[str, ...] = tuple(sorted({w for w in surface_words if len(w) >= MIN_SURFACE_LENGTH}))
        self.typos = TypoIndex(self.surface_words)

    @classmethod
    def from_frequencies(
        cls, passage_count: int, document_frequency: dict[str, int], surface_words: Iterable[str] = ()
    ) -> Lexicon:
        """The lexicon of ``passage_count`` passages whose tokens have the given document frequencies (> 0)."""
        lexicon = cls([], surface_words)
        lexicon.passage_count = passage_count
        lexicon._document_frequency = document_frequency
        return lexicon

    def __contains__(self, token: object) -> bool:
        return token in self._document_frequency

    def document_frequency(self, token: str) -> int:
        """How many passages contain ``token`` (0 when none does)."""
        return self._document_frequency.get(token, 0)

    @property
    def max_idf(self) -> float:
        """The highest IDF this lexicon can give (a token no passage has): ``log(2N + 2)``."""
        return idf(self.passage_count, 0)

    def idf(self, token: str) -> float:
        """The one IDF (see :func:`idf`); a token no passage has gets the highest value."""
        return idf(self.passage_count, self._document_frequency.get(token, 0))
