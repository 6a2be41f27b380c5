"""The BM25 scorer behind a small interface, so another backend can replace rank-bm25.

A :class:`Scorer` is built from per-passage token lists (and each passage's length) and returns one
score per passage for a list of query tokens. The default is rank-bm25 (the design card names it),
configured by ``retrieval.bm25`` (variant, k1, b, delta), with one change: its IDF is replaced by the
lexicon's one IDF (``bot.retrieval.lexicon.idf``, Lucene's) by overriding rank-bm25's ``_calc_idf``
hook, which every rank-bm25 class calls once from its constructor with each token's document
frequency. rank-bm25's own Okapi IDF is zero or negative for a token in half the passages or more
(clamped to ``epsilon`` times the mean IDF), so on a two-paragraph article every word scored 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from ..config import BM25Settings
from .lexicon import idf
from .postings import TokenRows

# From this many passages on, "auto" scores with the sparse matrix: measured with
# benchmarks/bench_scale.py, rank-bm25 takes about 1 ms per question per 1,000 passages (2 ms at the
# 2,000 passages of about 80 articles) while the sparse matrix stays well under 1 ms at any size; below
# it rank-bm25, the scorer the design card names, is as fast and builds faster.
SPARSE_FROM_PASSAGES = 2000


class Scorer(Protocol):
    """Scores every indexed passage for a query; read-only after construction (shared across threads)."""

    def scores(self, query_tokens: Sequence[str]) -> Sequence[float]:
        """One BM25 score (>= 0) per passage, in index order; a repeated query token counts again."""
        ...


class _OneIDF:
    """Mixin for rank-bm25 classes: the lexicon's IDF instead of the class's own."""

    corpus_size: int
    idf: dict[str, float]

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {token: idf(self.corpus_size, df) for token, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


class _Okapi(_OneIDF, BM25Okapi):
    pass


class _L(_OneIDF, BM25L):
    pass


class _Plus(_OneIDF, BM25Plus):
    pass


class RankBM25Scorer:
    """rank-bm25 (Okapi, L or Plus) over given token lists, with given passage lengths."""

    def __init__(self, token_lists: Sequence[Sequence[str]], lengths: Sequence[int], settings: BM25Settings) -> None:
        # rank-bm25 divides by zero on an empty document, so give those a placeholder token.
        corpus = [list(tokens) or ["\x00"] for tokens in token_lists]
        self._bm25: BM25Okapi | BM25L | BM25Plus
        if not corpus:
            self._bm25 = None  # type: ignore[assignment]
            return
        if settings.variant == "l":
            self._bm25 = _L(corpus, k1=settings.k1, b=settings.b, delta=settings.delta)
        elif settings.variant == "plus":
            self._bm25 = _Plus(corpus, k1=settings.k1, b=settings.b, delta=settings.delta)
        else:
            self._bm25 = _Okapi(corpus, k1=settings.k1, b=settings.b)
        # rank-bm25 keeps lengths in doc_len/avgdl and reads them at scoring time.
        self._bm25.doc_len = [max(1, n) for n in lengths]
        self._bm25.avgdl = sum(self._bm25.doc_len) / len(self._bm25.doc_len)

    def scores(self, query_tokens: Sequence[str]) -> list[float]:
        if self._bm25 is None:
            return []
        return [float(x) for x in self._bm25.get_scores(list(query_tokens))]


def build_scorer(
    token_lists: Sequence[Sequence[str]], lengths: Sequence[int], settings: BM25Settings, choice: str = "auto"
) -> Scorer:
    """The scorer for ``token_lists`` (one list per passage) with ``lengths`` as the passages' lengths.

    ``choice`` is ``retrieval.scorer``: "rank-bm25", "sparse", or "auto" (sparse from
    ``SPARSE_FROM_PASSAGES`` passages on). Both give the same scores.
    """
    if choice == "sparse" or (choice == "auto" and len(token_lists) >= SPARSE_FROM_PASSAGES):
        from .sparse import SparseBM25Scorer

        return SparseBM25Scorer(token_lists, lengths, settings)
    return RankBM25Scorer(token_lists, lengths, settings)


def scorer_for_rows(
    rows: TokenRows,
    index: dict[str, int],
    columns: tuple[np.ndarray, np.ndarray, np.ndarray],
    lengths: Sequence[int] | np.ndarray,
    settings: BM25Settings,
    choice: str = "auto",
) -> Scorer:
    """:func:`build_scorer` for passages given as token rows (``bot.retrieval.postings``) and their
    ``columns`` (``rows.columns()``, kept on disk with them): the same scorer, the same scores."""
    if choice == "sparse" or (choice == "auto" and len(rows) >= SPARSE_FROM_PASSAGES):
        from .sparse import SparseBM25Scorer

        return SparseBM25Scorer.from_columns(index, len(rows), columns, lengths, settings)
    return RankBM25Scorer([rows.token_list(i) for i in range(len(rows))], [int(n) for n in lengths], settings)
