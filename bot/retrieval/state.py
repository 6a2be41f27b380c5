"""The retriever's index as data: every array and word list it ranks and reads with, kept on disk whole.

Building it takes a pass over every sentence of every article (stemming under the acronyms of all
articles, every actor's names, closed compounds' heads, which alias names the articles use); all of
that depends on every article at once, so it cannot live in the per-article cache entries. Kept as
one file beside the folder snapshot (``bot.engine``), a warm start reads it instead: at 2,000
articles that was most of an 8-second start.

A :class:`RetrieverState` turns into named arrays plus plain JSON data (:meth:`to_parts`) and back
(:meth:`from_parts`, which checks every array's shape, type and range before any is indexed with,
raising ValueError). ``bot.arrayfile`` writes and reads the parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .postings import ID, TokenRows, vocabulary_of
from .query import AliasExpansion

SentenceKey = tuple[str, int]  # article id, sentence start
Columns = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class RetrieverState:
    """Everything the retriever derives from the passages; read-only.

    ``passages`` has one row per passage (its word tokens, actor tokens and compound heads, counted)
    and ``columns`` is its transpose (``TokenRows.columns()``: the postings the sparse scorer and the
    lexicon read); ``lengths[i]`` is passage i's BM25 length (its word tokens). ``sentences`` has one
    row per sentence, found by ``sentence_rows[(article id, start)]``. ``surface_words`` are the
    article words a typo may be read as, ``unstemmed`` the acronyms kept whole, ``expansions`` the
    alias expansions of the query parser (``query.alias_expansions``) and ``name_words`` the folded
    words of every actor's names (what a capitalised question word may be a form of).
    """

    vocabulary: Sequence[str]
    passages: TokenRows
    columns: Columns
    lengths: np.ndarray
    sentence_rows: dict[SentenceKey, int]
    sentences: TokenRows
    surface_words: tuple[str, ...]
    unstemmed: frozenset[str]
    expansions: tuple[AliasExpansion, ...]
    name_words: tuple[str, ...]
    index: dict[str, int] = field(repr=False, compare=False)

    @classmethod
    def build(
        cls,
        passage_tokens: Sequence[Sequence[str]],
        lengths: Sequence[int],
        sentence_tokens: Mapping[SentenceKey, Iterable[str]],
        surface_words: Iterable[str],
        unstemmed: Iterable[str],
        expansions: Iterable[AliasExpansion],
        name_words: Iterable[str] = (),
    ) -> RetrieverState:
        """The state of passages with these token lists (repeats counted) and sentences with these tokens."""
        keys = list(sentence_tokens)
        sentence_lists = [sentence_tokens[key] for key in keys]
        vocabulary, index = vocabulary_of(passage_tokens, sentence_lists)
        passages = TokenRows.from_lists(passage_tokens, vocabulary, index)
        sentences = TokenRows.from_lists(sentence_lists, vocabulary, index)
        return cls(
            vocabulary,
            passages,
            passages.columns(),
            np.asarray(lengths, dtype=np.int32),
            {key: row for row, key in enumerate(keys)},
            sentences,
            tuple(sorted(set(surface_words))),
            frozenset(unstemmed),
            tuple(expansions),
            tuple(sorted(set(name_words))),
            index,
        )

    @property
    def passage_count(self) -> int:
        return len(self.passages)

    def document_frequencies(self) -> dict[str, int]:
        """token -> how many passages hold it (every token of the passages, none with 0)."""
        counts = np.diff(self.columns[0]).tolist()
        return {token: n for token, n in zip(self.vocabulary, counts, strict=True) if n}

    def sentence_tokens(self, key: SentenceKey) -> frozenset[str]:
        """The tokens of the sentence at ``key``; KeyError for a sentence not indexed."""
        return self.sentences.token_set(self.sentence_rows[key])

    # --- kept on disk -------------------------------------------------------------------------

    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Plain JSON data and named arrays that :meth:`from_parts` turns back into this state."""
        articles: dict[str, int] = {}
        sentence_article = [articles.setdefault(article, len(articles)) for article, _ in self.sentence_rows]
        order = np.fromiter(self.sentence_rows.values(), np.int64, count=len(self.sentence_rows))
        data = {
            "vocabulary": list(self.vocabulary),
            "articles": list(articles),
            "surface_words": list(self.surface_words),
            "unstemmed": sorted(self.unstemmed),
            "expansions": [[list(e.phrase), list(e.other_tokens), list(e.other_names)] for e in self.expansions],
            "name_words": list(self.name_words),
        }
        arrays = {
            "passage_indptr": self.passages.indptr,
            "passage_ids": self.passages.ids,
            "passage_counts": self.passages.counts,
            "column_indptr": self.columns[0],
            "column_rows": self.columns[1],
            "column_counts": self.columns[2],
            "lengths": self.lengths,
            "sentence_row": order,
            "sentence_article": np.asarray(sentence_article, dtype=ID),
            "sentence_start": np.fromiter((start for _, start in self.sentence_rows), np.int64, count=len(order)),
            "sentence_indptr": self.sentences.indptr,
            "sentence_ids": self.sentences.ids,
            "sentence_counts": self.sentences.counts,
        }
        return data, arrays

    @classmethod
    def from_parts(
        cls, data: Any, arrays: Mapping[str, np.ndarray], passage_count: int | None = None
    ) -> RetrieverState:
        """The state :meth:`to_parts` gave (for an index of ``passage_count`` passages, when given);
        ValueError when anything is missing, of the wrong type or shape, or out of range."""
        try:
            vocabulary = _strings(data["vocabulary"])
            articles = _strings(data["articles"])
            expansions = tuple(
                AliasExpansion(tuple(_strings(a)), tuple(_strings(b)), tuple(_strings(c)))
                for a, b, c in data["expansions"]
            )
            surface_words, unstemmed = tuple(_strings(data["surface_words"])), frozenset(_strings(data["unstemmed"]))
            name_words = tuple(_strings(data["name_words"]))
            passages = TokenRows(
                vocabulary, *(_array(arrays, f"passage_{n}", "i") for n in ("indptr", "ids", "counts"))
            )
            sentences = TokenRows(
                vocabulary, *(_array(arrays, f"sentence_{n}", "i") for n in ("indptr", "ids", "counts"))
            )
            columns = tuple(_array(arrays, f"column_{n}", "i") for n in ("indptr", "rows", "counts"))
            lengths = _array(arrays, "lengths", "i")
            row, article, start = (_array(arrays, f"sentence_{n}", "i") for n in ("row", "article", "start"))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"index state: missing or malformed part ({exc})") from None
        if passage_count is not None and len(passages) != passage_count:
            raise ValueError(f"index state: {len(passages)} passages, the articles have {passage_count}")
        passage_count = len(passages)
        if len(lengths) != passage_count:
            raise ValueError("index state: passage lengths do not match the passages")
        ptr, rows, counts = columns
        if len(ptr) != len(vocabulary) + 1 or int(ptr[0]) != 0 or int(ptr[-1]) != len(rows) or len(rows) != len(counts):
            raise ValueError("index state: postings do not match the vocabulary")
        if len(rows) != len(passages.ids) or (len(rows) and (int(rows.min()) < 0 or int(rows.max()) >= passage_count)):
            raise ValueError("index state: postings name passages that do not exist")
        if bool((np.diff(ptr) < 0).any()):
            raise ValueError("index state: postings pointers decrease")
        if not len(row) == len(article) == len(start) == len(sentences):
            raise ValueError("index state: sentence keys do not match the sentences")
        if len(row) and (int(article.min()) < 0 or int(article.max()) >= len(articles)):
            raise ValueError("index state: a sentence of an unknown article")
        if len(row) and not np.array_equal(np.sort(row), np.arange(len(row))):
            raise ValueError("index state: sentence rows are not a permutation")
        names = [articles[i] for i in article.tolist()]
        sentence_rows = dict(zip(zip(names, start.tolist(), strict=True), row.tolist(), strict=True))
        index = {token: i for i, token in enumerate(vocabulary)}
        if len(index) != len(vocabulary):
            raise ValueError("index state: a token twice in the vocabulary")
        return cls(
            vocabulary,
            passages,
            columns,
            lengths,
            sentence_rows,
            sentences,
            surface_words,
            unstemmed,
            expansions,
            name_words,
            index,
        )


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("expected a list of strings")
    return value


def _array(arrays: Mapping[str, np.ndarray], name: str, kind: str) -> np.ndarray:
    array = arrays[name]
    if not isinstance(array, np.ndarray) or array.ndim != 1 or array.dtype.kind != kind:
        raise TypeError(f"{name} must be a one-dimensional array of kind {kind!r}")
    return array
