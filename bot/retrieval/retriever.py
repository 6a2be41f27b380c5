"""The retriever: passages ranked for a query, each hit with its scores, coverage and best sentence.

Built once from the passages (or from their token lists computed earlier), then only read, so
concurrent handlers can share it. In bm25 mode passages are ranked by BM25; with the semantic extra
by the z-score convex combination of BM25 and the cosine to the question (``fusion``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..config import RetrievalSettings
from ..entities import EntityMatcher
from ..indexer import Passage, Sentence
from ..textnorm import words
from .analysis import Analyzer, compound_heads, tokenize_passages, with_compound_heads
from .answerability import CoverageWeights, Thresholds, coverage_weights
from .assemble import EntityStore, assemble
from .fusion import convex_combination
from .highlight import SentenceIndex, sentence_token_sets
from .lexicon import MIN_SURFACE_LENGTH, Lexicon
from .postings import rows_holding
from .query import Query, QueryParser, alias_expansions
from .scorer import Scorer, scorer_for_rows
from .state import RetrieverState

if TYPE_CHECKING:
    from ..articleindex import ArticleIndex
    from ..semantic import SemanticIndex


@dataclass(frozen=True)
class Hit:
    """A ranked passage.

    ``score`` is the ranking score that orders the hits (and the one shown to users): BM25 in bm25
    mode, the fused z-score combination (any sign) in semantic mode. ``bm25`` is the BM25 score
    (>= 0) and ``similarity`` the cosine to the question (None without the semantic extra).
    ``coverage`` is the share (0..1) of the question's weight the passage covers; ``tokens`` the
    passage's index tokens (what the decline rule reads the passage's words from).
    """

    passage: Passage
    score: float
    bm25: float
    coverage: float
    best_sentence: Sentence
    similarity: float | None = None
    tokens: frozenset[str] = frozenset()


class Retriever:
    """Ranks the passages of the loaded articles for a question."""

    def __init__(
        self,
        passages: Sequence[Passage],
        settings: RetrievalSettings,
        alias_groups: Iterable[Sequence[str]] = (),
        semantic: SemanticIndex | None = None,
        thresholds: Thresholds | None = None,
        articles: Sequence[ArticleIndex] = (),
        entity_store: EntityStore | None = None,
        state: RetrieverState | None = None,
    ) -> None:
        """Index ``passages``, or take their index from ``state`` (a :class:`RetrieverState` built
        earlier for the same passages and names, e.g. read from the cache; ValueError when its passage
        count differs).

        With ``articles`` (the per-article parts of the same passages, in the same order, see
        ``bot.articleindex``), tokens are assembled from their sentence words in one linear pass
        (``bot.retrieval.assemble``) instead of tokenising every passage and sentence again.
        """
        self.passages = list(passages)
        self.settings = settings
        self.thresholds = thresholds or Thresholds()
        self.semantic = semantic
        alias_groups = [tuple(group) for group in alias_groups]
        if state is not None:
            if state.passage_count != len(self.passages):
                raise ValueError(f"index state of {state.passage_count} passages for {len(self.passages)}")
            self.analyzer = Analyzer(settings, state.unstemmed)
            self.entities = EntityMatcher(alias_groups, self.analyzer.stem)
        else:
            if articles:
                self.analyzer = Analyzer(settings, frozenset().union(*(a.acronyms for a in articles)))
            else:
                self.analyzer = Analyzer.for_passages(self.passages, settings)
            self.entities = EntityMatcher(alias_groups, self.analyzer.stem)
            state = self._build_state(alias_groups, articles, entity_store)
        self.state = state
        self.lexicon = Lexicon.from_frequencies(state.passage_count, state.document_frequencies(), state.surface_words)
        self.scorer: Scorer = scorer_for_rows(
            state.passages, state.index, state.columns, state.lengths, settings.bm25, settings.scorer
        )
        self.sentences = SentenceIndex(state)
        prefix = self.thresholds.name_prefix_letters
        known_words = [*self.lexicon.surface_words, *state.name_words]
        self.parser = QueryParser(
            self.analyzer,
            self.lexicon,
            self.entities,
            state.expansions,
            settings,
            frozenset(w[:prefix] for w in known_words if len(w) >= prefix),
            prefix,
        )

    def _build_state(
        self,
        alias_groups: list[tuple[str, ...]],
        articles: Sequence[ArticleIndex],
        entity_store: EntityStore | None,
    ) -> RetrieverState:
        """Tokens of every passage and sentence, from the articles' kept words or from the text."""
        if articles:
            assembled = assemble(articles, self.analyzer, self.entities, entity_store)
            tokens, sentence_tokens = assembled.passages, assembled.sentences
            surface_words: Iterable[str] = assembled.surface_words
        else:
            tokens = tokenize_passages(self.passages, self.analyzer, self.entities)
            sentence_tokens = sentence_token_sets(
                self.passages, self.analyzer, self.entities, self.settings.pronoun_context
            )
            surface_words = {w for p in self.passages for w in words(p.text)}
        # "strikes" finds "airstrikes": a passage also carries the heads of its closed compounds.
        heads = compound_heads(surface_words, {t for words_ in tokens.words for t in words_}, self.analyzer)
        token_lists = with_compound_heads(tokens.combined, heads)
        for key, found in sentence_tokens.items():
            extra = {heads[t] for t in found if t in heads}
            if extra:
                sentence_tokens[key] = found | extra
        return RetrieverState.build(
            token_lists,
            tokens.lengths,
            sentence_tokens,
            (w for w in surface_words if len(w) >= MIN_SURFACE_LENGTH),
            self.analyzer.unstemmed,
            alias_expansions(alias_groups, self.analyzer, token_lists),
            (w for group in alias_groups for name in group for w in words(name)),
        )

    def token_set(self, index: int) -> frozenset[str]:
        """The index tokens of passage ``index`` (its words' tokens, its actors', its compounds' heads)."""
        return self.state.passages.token_set(index)

    @property
    def mode(self) -> str:
        """The retrieval mode running: "semantic" (BM25 fused with embeddings) or "bm25"."""
        return "semantic" if self.semantic is not None else "bm25"

    def parse(self, question: str) -> Query:
        """The question's query terms (see ``bot.retrieval.query``)."""
        return self.parser.parse(question)

    def search(self, query: Query, limit: int) -> list[Hit]:
        """The ``limit`` best passages, best first; in BM25 mode only those that share a token with the question
        (with embeddings, a passage may match on meaning alone)."""
        if not query.terms or not self.passages:
            return []
        # bm25 mode scores a name once, by its actor's token: with its words as well, a common name
        # ("Iran") counted twice and outranked the passage that answers (tests/data/eval.yaml, bm25:
        # hit@1 0.73 -> 0.80). In semantic mode the words stay: there it measured worse without them.
        tokens = query.tokens if self.semantic is not None else query.tokens_once
        bm25 = self.scorer.scores(tokens)
        similarities = None
        if self.semantic is not None:
            similarities = self.semantic.similarities(self._embedding_text(query)) or None
        weights = coverage_weights(query, self.thresholds)
        rank_by: Sequence[float] | Mapping[int, float]
        if similarities:
            rank_by = convex_combination(list(bm25), similarities, self.settings.semantic_weight)
            order: Iterable[int] = ranked(rank_by, limit)
        else:
            order, rank_by = self._coordinated(bm25, query, weights, limit)
        wanted = set(query.tokens)
        hits: list[Hit] = []
        for index in order:
            token_set = self.token_set(index)
            if similarities is None and token_set.isdisjoint(wanted):
                continue  # BM25L/Plus score passages that share nothing; that is noise
            passage = self.passages[index]
            hits.append(
                Hit(
                    passage,
                    score=float(rank_by[index]),
                    bm25=float(bm25[index]),
                    coverage=weights.coverage(token_set),
                    best_sentence=self.best_sentence(passage, query),
                    similarity=similarities[index] if similarities else None,
                    tokens=token_set,
                )
            )
            if len(hits) == limit:
                break
        return hits

    def _coordinated(
        self, bm25: Sequence[float], query: Query, weights: CoverageWeights, limit: int
    ) -> tuple[list[int], dict[int, float]]:
        """BM25 mode: passages ordered by ``bm25 * coverage ** retrieval.coordination``, best first.

        The coordination factor of Lucene's classic similarity, with coverage (the IDF-weighted share
        of the question's words a passage holds) for its share of query terms: BM25 lets one word
        repeated outscore a passage holding more of the question ("town" twice against "controls the
        town"). The factor is at most 1, so candidates are read in BM25 order, a window at a time,
        until no unread passage can reach the ``limit``-th score: the order of rescoring them all.
        Only passages sharing a token with the question are read (a sparse index lists them).
        """
        power = self.settings.coordination
        subset = rows_holding(self.state.columns, self.state.index, query.tokens, len(self.passages))
        window = max(limit, RESCORE_WINDOW)
        while True:
            candidates = ranked_subset(bm25, subset, window)
            scores = {i: bm25[i] * weights.coverage(self.token_set(i)) ** power for i in candidates}
            order = sorted(candidates, key=lambda i: (-scores[i], i))
            if len(candidates) >= len(subset) or scores[order[limit - 1]] >= bm25[candidates[-1]]:
                return order, scores
            window *= 4

    def _embedding_text(self, query: Query) -> str:
        # The embedding model has never seen "KH" or "Daesh": it reads the article's names for them too.
        # It reads every question with one question mark, however it was typed (MiniLM was trained
        # on questions that have one: without it, 3 more misses on tests/data/eval.yaml).
        text = query.text if not query.also_known_as else f"{query.text} ({', '.join(query.also_known_as)})"
        return text + "?"

    def best_sentence(self, passage: Passage, query: Query) -> Sentence:
        """The sentence of ``passage`` that matches the question best (the earliest on a tie)."""
        return self.sentences.best_sentence(passage, query, self.lexicon)

    def ranked_sentences(self, passage: Passage, query: Query) -> list[Sentence]:
        """The sentences of ``passage``, the best match for the question first."""
        return self.sentences.ranked_sentences(passage, query, self.lexicon)


RESCORE_WINDOW = 32  # bm25 mode: candidates rescored at first; the order does not depend on it (only the time)
SMALL_RANKING = 4096  # up to this many passages a full sort is as quick as selecting the best


def ranked(scores: Sequence[float], wanted: int) -> Iterator[int]:
    """Passage indices by descending score, the lower index first on a tie: the order of a full sort.

    Past ``SMALL_RANKING`` passages only the best few are sorted first (``numpy.partition``), and the
    rest only if the caller reads past them, so a question does not sort 50,000 passages.
    """
    if len(scores) <= SMALL_RANKING:
        yield from sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return
    values = np.asarray(scores, dtype=np.float64)
    count = min(values.size, max(64, wanted * 8))
    threshold = np.partition(values, values.size - count)[values.size - count]
    for part in (np.flatnonzero(values >= threshold), np.flatnonzero(values < threshold)):
        yield from part[np.lexsort((part, -values[part]))].tolist()


def ranked_subset(scores: Sequence[float], subset: np.ndarray, limit: int) -> list[int]:
    """The best ``limit`` indices of ``subset`` (and any tied with the last) by descending score, the
    lower index first on a tie: the start of a full sort's order, without sorting the whole subset."""
    values = np.asarray(scores, dtype=np.float64)[subset]
    if len(values) > limit:
        kth = np.partition(values, len(values) - limit)[len(values) - limit]
        keep = values >= kth
        subset, values = subset[keep], values[keep]
    return [int(i) for i in subset[np.lexsort((subset, -values))]]
