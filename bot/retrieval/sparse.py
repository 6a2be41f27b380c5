"""BM25 as a sparse term-by-passage matrix, for knowledge folders too big for rank-bm25's per-query loop.

rank-bm25 computes every query token's score for every passage in Python at each question (57 ms
at 48,000 passages). Here the BM25 contribution of each (token, passage) pair is computed once at
build time and stored by token (compressed sparse columns), so a question only adds up the columns
of its tokens: "eager sparse scoring", as bm25s does it (Lù, "BM25S: Orders of magnitude faster
lexical search via eager sparse scoring", 2024).

Why not bm25s itself: briefbot gives each passage its own length (an actor's token is a second view
of words already counted, so it does not lengthen a passage) and one IDF for every variant (the
lexicon's, Lucene's); bm25s derives lengths from the token lists and ties its IDF to the variant.
Computing the same formulas as the rank-bm25 scorer keeps every score equal to its scores (to float
rounding), so the answer thresholds mean the same at any size.
BM25+ also gives a passage without the token a constant share; it is added per query token, as
bm25s does with its "non-occurrence" array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import BM25Settings
from .postings import TokenRows, vocabulary_of

EMPTY_PASSAGE_TOKEN = "\x00"  # what rank-bm25 is given for a passage without tokens, here too


class SparseBM25Scorer:
    """rank-bm25's Okapi, L or Plus scores from a sparse matrix; read-only after construction."""

    def __init__(self, token_lists: Sequence[Sequence[str]], lengths: Sequence[int], settings: BM25Settings) -> None:
        lists = [tokens or (EMPTY_PASSAGE_TOKEN,) for tokens in token_lists]
        vocabulary, index = vocabulary_of(lists)
        rows = TokenRows.from_lists(lists, vocabulary, index)
        self._weigh(index, len(lists), *rows.columns(), lengths, settings)

    @classmethod
    def from_columns(
        cls,
        index: dict[str, int],
        passage_count: int,
        columns: tuple[np.ndarray, np.ndarray, np.ndarray],
        lengths: Sequence[int] | np.ndarray,
        settings: BM25Settings,
    ) -> SparseBM25Scorer:
        """The scorer of a term-by-passage matrix given by columns (``TokenRows.columns()`` of the
        passages: pointers, passages, term frequencies) over ``index`` (token -> column)."""
        scorer = cls.__new__(cls)
        scorer._weigh(index, passage_count, *columns, lengths, settings)
        return scorer

    def _weigh(
        self,
        index: dict[str, int],
        n: int,
        starts: np.ndarray,
        passages: np.ndarray,
        counts: np.ndarray,
        lengths: Sequence[int] | np.ndarray,
        settings: BM25Settings,
    ) -> None:
        self.passage_count = n
        self._vocabulary = index
        self._starts, self._passages = starts, passages
        size = len(starts) - 1
        df = np.diff(starts).astype(np.float64)
        doc_len = np.maximum(1, np.asarray(lengths, dtype=np.float64)) if n else np.ones(0)
        avgdl = float(doc_len.mean()) if n else 1.0
        k1, b, delta = settings.k1, settings.b, settings.delta
        norm = 1 - b + b * doc_len[passages] / avgdl  # per pair: the passage's length normalisation
        tf = counts.astype(np.float64)
        # The lexicon's one IDF (Lucene's, never negative), as the rank-bm25 scorer uses it for every variant.
        self._idf = np.log1p((n - df + 0.5) / (df + 0.5)) if size else np.zeros(0)
        if settings.variant == "l":
            ctd = tf / norm
            # rank-bm25's BM25L multiplies by the term frequency too, so an absent token adds nothing.
            gain = tf * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
            absent = 0.0
        elif settings.variant == "plus":
            gain = delta + tf * (k1 + 1) / (k1 * norm + tf)
            absent = delta
        else:
            gain = tf * (k1 + 1) / (tf + k1 * norm)
            absent = 0.0
        column_idf = np.repeat(self._idf, np.diff(starts))
        self._weights = column_idf * (gain - absent)  # the passage's score for the token, past the constant
        self._absent = self._idf * absent  # what every passage gets for the token (BM25+ only)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """One score per passage (float64 array), equal to rank-bm25's; repeated tokens count again."""
        total = np.zeros(self.passage_count)
        constant = 0.0
        for token in query_tokens:
            column = self._vocabulary.get(token)
            if column is None:
                continue
            start, end = self._starts[column], self._starts[column + 1]
            total[self._passages[start:end]] += self._weights[start:end]
            constant += float(self._absent[column])
        return total + constant if constant else total
