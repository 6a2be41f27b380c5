"""Token rows as compressed sparse arrays: the form the index is scored, read and kept on disk in.

A :class:`TokenRows` holds the distinct tokens of each row (a passage or a sentence) and how often
each occurs, as ids into one shared vocabulary, in compressed sparse row (CSR) layout: row ``i``'s
token ids are ``ids[indptr[i]:indptr[i + 1]]`` (ascending) and their counts ``counts[...]`` at the
same positions. :meth:`TokenRows.columns` gives the transpose (compressed sparse columns: the
passages of each token, i.e. postings lists), which the sparse BM25 scorer and the lexicon's document
frequencies read.

Why arrays rather than a frozenset per passage and per sentence: at 2,000 articles that is 190,000
Python sets (hundreds of MB, seconds to build at every start); as arrays they are a few tens of MB
that load from the cache in one read (``bot.retrieval.state``), and a row's set is made only for the
handful of passages a question reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

ID = np.int32  # token and row ids: 2**31 tokens or passages is far past one machine's knowledge folder
COUNT = np.int32


class TokenRows:
    """Rows of token ids over a shared vocabulary (CSR), each id with its count; read-only.

    ``vocabulary`` maps id -> token; ``indptr`` has one more entry than there are rows; ``ids`` and
    ``counts`` have ``indptr[-1]`` entries. Raises ValueError from the constructor when the arrays do
    not fit together (so arrays read from disk are checked before any is indexed with).
    """

    def __init__(self, vocabulary: Sequence[str], indptr: np.ndarray, ids: np.ndarray, counts: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.indptr, self.ids, self.counts = indptr, ids, counts
        _check_csr(indptr, ids, counts, len(vocabulary))

    @classmethod
    def from_lists(
        cls, token_lists: Sequence[Iterable[str]], vocabulary: Sequence[str], index: dict[str, int]
    ) -> TokenRows:
        """Rows for ``token_lists`` (one iterable of tokens per row, repeats counted) over ``vocabulary``
        (id -> token) and its ``index`` (token -> id), which must hold every token (see :func:`vocabulary_of`)."""
        lists = [tokens if isinstance(tokens, (list, tuple)) else list(tokens) for tokens in token_lists]
        sizes = np.fromiter(map(len, lists), np.int64, count=len(lists))
        terms = np.fromiter(map(index.__getitem__, chain.from_iterable(lists)), np.int64, count=int(sizes.sum()))
        rows = np.repeat(np.arange(len(lists), dtype=np.int64), sizes)
        span = max(len(vocabulary), 1)
        # One entry per (row, token) pair, sorted by row then token id.
        pairs, counts = np.unique(rows * span + terms, return_counts=True)
        indptr = np.searchsorted(pairs // span, np.arange(len(lists) + 1)).astype(np.int64)
        return cls(vocabulary, indptr, (pairs % span).astype(ID), counts.astype(COUNT))

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def token_set(self, row: int) -> frozenset[str]:
        """The distinct tokens of ``row``."""
        vocabulary = self.vocabulary
        return frozenset(vocabulary[i] for i in self.ids[self.indptr[row] : self.indptr[row + 1]].tolist())

    def token_list(self, row: int) -> list[str]:
        """The tokens of ``row`` with their repeats, grouped by token (the order of the text is not kept)."""
        start, end = self.indptr[row], self.indptr[row + 1]
        vocabulary = self.vocabulary
        return [
            vocabulary[i]
            for i, n in zip(self.ids[start:end].tolist(), self.counts[start:end].tolist(), strict=True)
            for _ in range(n)
        ]

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The transpose: (column pointers, rows, counts).

        Token ``t``'s rows are ``rows[ptr[t]:ptr[t+1]]``, ascending: its postings list.
        """
        order = np.argsort(self.ids, kind="stable")  # rows stay ascending within each token
        ptr = np.searchsorted(self.ids[order], np.arange(len(self.vocabulary) + 1)).astype(np.int64)
        rows = np.repeat(np.arange(len(self), dtype=ID), np.diff(self.indptr))[order]
        return ptr, rows, self.counts[order]

    def document_frequencies(self) -> np.ndarray:
        """How many rows hold each vocabulary id (int64, one entry per id)."""
        return np.bincount(self.ids, minlength=len(self.vocabulary)).astype(np.int64)


def vocabulary_of(*groups: Iterable[Iterable[str]]) -> tuple[list[str], dict[str, int]]:
    """Every token of the rows in ``groups``, sorted (so ids are the same on every run), and token -> id."""
    tokens = sorted({token for rows in groups for row in rows for token in row})
    return tokens, {token: i for i, token in enumerate(tokens)}


def rows_holding(
    columns: tuple[np.ndarray, np.ndarray, np.ndarray], index: dict[str, int], tokens: Iterable[str], row_count: int
) -> np.ndarray:
    """Indices (ascending) of the rows holding at least one of ``tokens``, read from the ``columns``
    (``TokenRows.columns()``) over ``index`` (token -> id)."""
    ptr, rows, _ = columns
    holding = np.zeros(row_count, dtype=bool)
    for token in set(tokens):
        column = index.get(token)
        if column is not None:
            holding[rows[ptr[column] : ptr[column + 1]]] = True
    return np.flatnonzero(holding)


def _check_csr(indptr: np.ndarray, ids: np.ndarray, counts: np.ndarray, vocabulary_size: int) -> None:
    if indptr.ndim != 1 or ids.ndim != 1 or counts.ndim != 1 or len(indptr) < 1:
        raise ValueError("token rows: arrays must be one-dimensional")
    if int(indptr[0]) != 0 or int(indptr[-1]) != len(ids) or len(ids) != len(counts):
        raise ValueError("token rows: pointers do not match the ids")
    if len(indptr) > 1 and bool((np.diff(indptr) < 0).any()):
        raise ValueError("token rows: pointers decrease")
    if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= vocabulary_size or int(counts.min()) < 1):
        raise ValueError("token rows: a token id outside the vocabulary or a count below 1")
