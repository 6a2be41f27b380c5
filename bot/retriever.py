"""BM25 over passages (rank-bm25), with actors' tokens, alias expansion and typo tolerance.

Every actor a passage or a question names, under any of its names, adds that actor's token
(``bot.entities``), so "ISIS" meets "Islamic State" and "PMU" meets "Popular Mobilization Forces".
Measured on tests/data/eval.yaml (bm25): actors' tokens beside the expansion of names the article
does not use beat either alone (without the expansion, "Daesh" questions answered less often), and
reading "americans" as a form of an actor's name ("America", the US) found what the US did.

The index is built once and then only read, so concurrent handlers can share it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from .config import RetrievalSettings
from .entities import EntityMatcher
from .indexer import CAPTION, Passage, Sentence
from .textnorm import QUESTION_PHRASING_WORDS, STOP_WORDS, acronyms, capitalised, stem, tokenize, words

if TYPE_CHECKING:
    from .semantic import SemanticIndex

TYPO_MIN_LENGTH = 4
# A typo fix is a guess ("write" may be a real word, not "wrote" misspelt): it covers only this share
# of its word's weight.
TYPO_CREDIT = 0.65
TYPO_LONG_WORD = 8
CAPTION_WORDS = "photo caption"
UNKNOWN_WORD_WEIGHT = 0.5  # paraphrase words the article lacks ("worried", "bigger") count half
RELATIVE_PREFIX = 5  # letters a capitalised word shares with an article word to count as related to it
AliasExpansion = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # alias tokens, other tokens, other names


@dataclass(frozen=True)
class Query:
    """A question as the retriever sees it."""

    text: str
    tokens: tuple[str, ...]  # what BM25 scores with (after typo fixes and alias expansion)
    weights: dict[str, float]  # content token -> IDF weight, for coverage
    corrections: dict[str, str]  # typed word -> article word it was read as
    also_known_as: tuple[str, ...] = ()  # the article's names for names in the question it does not use
    entities: dict[str, frozenset[str]] = field(default_factory=dict)  # content token -> actor tokens it names
    unknown_names: tuple[str, ...] = ()  # capitalised words the article and its actors never use ("Paris")
    guessed: frozenset[str] = frozenset()  # tokens read from a typo fix: they cover only in part


@dataclass(frozen=True)
class Hit:
    """A passage with its score, how much of the question it covers, and its best sentence."""

    passage: Passage
    score: float  # BM25
    coverage: float
    best_sentence: Sentence
    similarity: float | None = None  # cosine to the question, when the semantic extra runs


class Retriever:
    """Ranks the passages of the loaded articles for a question."""

    def __init__(
        self,
        passages: Sequence[Passage],
        settings: RetrievalSettings,
        alias_groups: Iterable[Sequence[str]] = (),
        semantic: SemanticIndex | None = None,
    ) -> None:
        self.passages = list(passages)
        self.settings = settings
        alias_groups = [tuple(group) for group in alias_groups]
        self.semantic = semantic
        # Passages are scored on their own words only: adding the referent to a window that opens with
        # "This group ..." measured worse on tests/data/eval.yaml (longer passages, more stray words).
        # Acronyms stay whole on both sides: stemmed, "ISIS" would become "isi" (ImageSat International).
        self._unstemmed = acronyms(" ".join(p.text for p in self.passages))
        # A caption is found by asking about "the photo" (its credit line, which said so, is cut off).
        self._tokens = [
            self._tokenize((CAPTION_WORDS + " " if p.kind == CAPTION else "") + p.text) for p in self.passages
        ]
        word_counts = [len(tokens) for tokens in self._tokens]
        # Every actor a passage names, under any of its names, adds one token for that actor.
        self._entities = EntityMatcher(alias_groups, self._stem)
        for tokens, p in zip(self._tokens, self.passages, strict=True):
            tokens.extend(sorted(self._entities.in_text(p.text)))
        context = _referent_context(self.passages) if settings.pronoun_context else {}
        self._token_sets = [set(tokens) for tokens in self._tokens]
        # A sentence that opens with "This group ..." also carries the names in the sentence it refers
        # back to (what the pronoun stands for), so the highlight can pick it for a question that names
        # the group; only the names, so the earlier sentence still wins for its own other words.
        self._sentence_tokens = {
            (p.article_id, s.start): self._sentence_token_set(sentence_text(p, s))
            | self._sentence_token_set(_names_in(context.get((p.article_id, s.start), "")))
            for p in self.passages
            for s in p.sentences
        }
        # An actor's token is a second view of words already counted: it does not make a passage longer.
        self._bm25 = _make_bm25(self._tokens, settings, word_counts)
        self._document_frequency: dict[str, int] = {}
        for token_set in self._token_sets:
            for token in token_set:
                self._document_frequency[token] = self._document_frequency.get(token, 0) + 1
        self._surface_words = sorted({w for p in self.passages for w in words(p.text) if len(w) >= TYPO_MIN_LENGTH})
        self._aliases = self._alias_token_groups(alias_groups)
        self._alias_vocabulary = {t for phrase, _, _ in self._aliases for t in phrase}
        alias_words = {w for group in alias_groups for name in group for w in words(name)}
        known_words = [*self._surface_words, *alias_words]
        self._prefixes = {w[:RELATIVE_PREFIX] for w in known_words if len(w) >= RELATIVE_PREFIX}

    @property
    def mode(self) -> str:
        """The retrieval mode running: "semantic" (BM25 fused with embeddings) or "bm25"."""
        return "semantic" if self.semantic is not None else "bm25"

    def _sentence_token_set(self, text: str) -> set[str]:
        return set(self._tokenize(text)) | self._entities.in_text(text)

    def _stem(self, word: str) -> str:
        return stem(word) if self.settings.stemming and word not in self._unstemmed else word

    def _tokenize(self, text: str) -> list[str]:
        return tokenize(
            text, stemming=self.settings.stemming, stop_words=self.settings.stop_words, unstemmed=self._unstemmed
        )

    def idf(self, token: str) -> float:
        """Robertson-Sparck Jones IDF with +1 inside the log, so it is positive and monotonic."""
        n = len(self.passages)
        df = self._document_frequency.get(token, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def parse(self, question: str) -> Query:
        """Tokenise a question: typos read as the nearest article word, aliases expanded, the actors it
        names added as their tokens, and capitalised words the article never uses noted as unknown names."""
        corrections: dict[str, str] = {}
        tokens: list[str] = []
        typed: list[str] = []  # every word, typos read as article words, for finding actors' names
        token_at: dict[int, str] = {}  # word position -> its content token
        unknown: set[str] = set()
        related_at: dict[str, frozenset[str]] = {}
        unknown_names: list[str] = []
        question_words = words(question)
        names_at = capitalised(question)
        if len(names_at) != len(question_words):  # casefolding split a word; no name signal then
            names_at = [False] * len(question_words)
        for index, word in enumerate(question_words):
            if self.settings.stop_words and (word in STOP_WORDS or word in QUESTION_PHRASING_WORDS):
                typed.append(word)
                continue
            token = self._stem(word)
            known = token in self._document_frequency or token in self._alias_vocabulary
            if not known and self.settings.typo_tolerance:
                fixed = self._correct(word)
                if fixed is not None:
                    corrections[word] = fixed
                    token = self._stem(fixed)
            if not known and word not in corrections:
                related = self._entities.related(word)
                if related:
                    # "Americans" is a form of "America", a name of the US: the US's token covers it.
                    related_at[token] = related
                else:
                    unknown.add(token)
                    if names_at[index] and not self._has_relative(word):
                        unknown_names.append(word)
            typed.append(corrections.get(word, word))
            token_at[len(typed) - 1] = token
            tokens.append(token)
        expanded = list(tokens)
        names: list[str] = []
        for phrase, extra, surface in self._aliases:
            # Only a name the article does not use ("Daesh", "KH") is expanded, and only into words the
            # article has: expanding names it already uses added noise ("US" -> "state") and measured worse.
            if _contains_sequence(tokens, phrase) and not all(t in self._document_frequency for t in phrase):
                expanded.extend(t for t in extra if t in self._document_frequency and t not in expanded)
                names.extend(n for n in surface if n not in names)
        entities: dict[str, frozenset[str]] = dict(related_at)
        for actor_tokens in related_at.values():
            expanded.extend(t for t in sorted(actor_tokens) if t not in expanded)
        for first, end, actor_tokens in self._entities.in_words(typed):
            expanded.extend(t for t in sorted(actor_tokens) if t not in expanded)
            for position in range(first, end):
                if position in token_at:
                    entities[token_at[position]] = entities.get(token_at[position], frozenset()) | actor_tokens
        # A word the article never uses weighs as its rarest word, times UNKNOWN_WORD_WEIGHT.
        weights = {t: self.idf(t) * (UNKNOWN_WORD_WEIGHT if t in unknown else 1.0) for t in dict.fromkeys(tokens)}
        guessed = frozenset(self._stem(fixed) for fixed in corrections.values())
        return Query(
            question, tuple(expanded), weights, corrections, tuple(names), entities, tuple(unknown_names), guessed
        )

    def _has_relative(self, word: str) -> bool:
        """True when the article or an actor's name has a word with the same first letters ("Lebanon", "Lebanese")."""
        return len(word) >= RELATIVE_PREFIX and word[:RELATIVE_PREFIX] in self._prefixes

    def _correct(self, word: str) -> str | None:
        """The article word one edit away (two for long words) with the same first letter, if any."""
        if len(word) < TYPO_MIN_LENGTH or word.isdigit():
            return None
        allowed = 1 if len(word) < TYPO_LONG_WORD else 2
        best: tuple[int, str] | None = None
        for candidate in self._surface_words:
            if candidate[0] != word[0] or abs(len(candidate) - len(word)) > allowed:
                continue
            distance = edit_distance(word, candidate, allowed)
            if distance <= allowed and (best is None or distance < best[0]):
                best = (distance, candidate)
        return best[1] if best else None

    def _alias_token_groups(self, alias_groups: Iterable[Sequence[str]]) -> list[AliasExpansion]:
        """For every alias: its tokens, and the tokens and names of the other names of the same thing."""
        pairs = []
        for group in alias_groups:
            named = [(name, tuple(self._tokenize(name))) for name in group]
            named = [(name, t) for name, t in named if t]
            # Expand only into names the article itself uses: "Islamic State of Iraq and Syria" would
            # bring in "Iraq" and "Syria", which are everywhere.
            used = [(name, t) for name, t in named if self._occurs(t)]
            for _, phrase in named:
                others = tuple(
                    dict.fromkeys(t for _, other in used if other != phrase for t in other if t not in phrase)
                )
                if others:
                    surface = tuple(name for name, other in used if other != phrase)
                    pairs.append((phrase, others, surface))
        return pairs

    def _occurs(self, phrase: Sequence[str]) -> bool:
        """True when the tokens of ``phrase`` occur in this order, adjacent, in some passage."""
        return any(_contains_sequence(tokens, phrase) for tokens in self._tokens)

    def search(self, query: Query, limit: int) -> list[Hit]:
        """The ``limit`` best passages, best first; in BM25 mode only those that share a token with the question
        (with embeddings, a passage may match on meaning alone)."""
        if not query.tokens:
            return []
        scores = [float(x) for x in self._bm25.get_scores(list(query.tokens))]
        similarities = None
        if self.semantic is not None:
            # The embedding model has never seen "KH" or "Daesh": it reads the article's names for them too.
            text = query.text if not query.also_known_as else f"{query.text} ({', '.join(query.also_known_as)})"
            similarities = self.semantic.similarities(text)
        if similarities:
            # Standardise both (z-scores over the passages) so neither scale dominates, then a weighted
            # sum. Measured on tests/data/eval.yaml: z-scores beat min-max and reciprocal-rank fusion.
            weight = self.settings.semantic_weight
            lexical, semantic = _standardize(scores), _standardize(similarities)
            rank_by = [(1 - weight) * a + weight * b for a, b in zip(lexical, semantic, strict=True)]
        else:
            rank_by = scores
        order = sorted(range(len(self.passages)), key=lambda i: (-rank_by[i], i))
        hits: list[Hit] = []
        total_weight = sum(query.weights.values()) or 1.0
        alias_cover = self._alias_cover(query)
        for index in order:
            token_set = self._token_sets[index]
            if similarities is None and not token_set.intersection(query.tokens):
                continue  # BM25L/Plus score passages that share nothing; that is noise
            covered = sum(
                w * (TYPO_CREDIT if t in query.guessed else 1.0)
                for t, w in query.weights.items()
                if self._covers(t, query, token_set, alias_cover)
            )
            passage = self.passages[index]
            similarity = similarities[index] if similarities else None
            best = self.best_sentence(passage, query)
            hits.append(Hit(passage, scores[index], covered / total_weight, best, similarity))
            if len(hits) == limit:
                break
        return hits

    @staticmethod
    def _covers(token: str, query: Query, token_set: set[str], alias_cover: dict[str, set[str]]) -> bool:
        # A question word is covered by itself, by the actor it names, or by an alias it brought in.
        return (
            token in token_set
            or not token_set.isdisjoint(query.entities.get(token, ()))
            or not token_set.isdisjoint(alias_cover.get(token, ()))
        )

    def _alias_cover(self, query: Query) -> dict[str, set[str]]:
        """For each token of an alias the question uses, the tokens of its other names.

        Worked out once per question: it does not depend on the passage being scored.
        """
        tokens = list(query.tokens)
        cover: dict[str, set[str]] = {}
        for phrase, extra, _ in self._aliases:
            if _contains_sequence(tokens, phrase):
                for token in phrase:
                    cover.setdefault(token, set()).update(extra)
        return cover

    def best_sentence(self, passage: Passage, query: Query) -> Sentence:
        """The sentence of ``passage`` that matches the question best (the earliest on a tie)."""
        wanted = set(query.tokens)

        def weight(sentence: Sentence) -> float:
            present = self._sentence_tokens[(passage.article_id, sentence.start)] & wanted
            return sum(self.idf(t) for t in present)

        return max(passage.sentences, key=lambda s: (weight(s), -s.start))


# Words that, among a sentence's first two, mean it leans on the previous sentence for its subject.
REFERRING_WORDS = frozenset(
    [
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "his",
        "him",
        "she",
        "her",
        "they",
        "their",
        "them",
        "then",
        "such",
    ]
)
CONTEXT_SENTENCES = 2  # how far back a chain of referring sentences may reach


def opens_with_reference(text: str) -> bool:
    """True for "This group is run by ...", "Then it decided ...", "He was accused ..."."""
    return any(word in REFERRING_WORDS for word in words(text)[:2])


def _referent_context(passages: Sequence[Passage]) -> dict[tuple[str, int], str]:
    """For each referring sentence (by article and start): the text of the sentences it leans on.

    Walks back over earlier sentences of the same paragraph until one that does not itself open
    with a reference, at most ``CONTEXT_SENTENCES`` back.
    """
    texts: dict[tuple[str, int], str] = {}
    paragraph_of: dict[tuple[str, int], int] = {}
    for passage in passages:
        for sentence in passage.sentences:
            texts[(passage.article_id, sentence.start)] = sentence_text(passage, sentence)
            paragraph_of[(passage.article_id, sentence.start)] = sentence.paragraph
    ordered = sorted(texts)
    context: dict[tuple[str, int], str] = {}
    for index, key in enumerate(ordered):
        if not opens_with_reference(texts[key]):
            continue
        earlier: list[str] = []
        back = index - 1
        # A paragraph's first sentence ("This is the situation ...") sums up rather than refers back.
        while back >= 0 and len(earlier) < CONTEXT_SENTENCES and _same_paragraph(ordered[back], key, paragraph_of):
            earlier.append(texts[ordered[back]])
            if not opens_with_reference(texts[ordered[back]]):
                break
            back -= 1
        if earlier:
            context[key] = " ".join(reversed(earlier))
    return context


def _same_paragraph(a: tuple[str, int], b: tuple[str, int], paragraph_of: dict[tuple[str, int], int]) -> bool:
    return a[0] == b[0] and paragraph_of[a] == paragraph_of[b]


def _names_in(text: str) -> str:
    """The capitalised words of ``text`` (names, and at worst a sentence's first word)."""
    return " ".join(word for word in text.split() if word[:1].isupper())


def _standardize(values: Sequence[float]) -> list[float]:
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if spread <= 1e-12:
        return [0.0 for _ in values]
    return [(v - mean) / spread for v in values]


def sentence_text(passage: Passage, sentence: Sentence) -> str:
    """The text of ``sentence``, cut from its passage."""
    offset = passage.start
    return passage.text[sentence.start - offset : sentence.end - offset]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one edit), capped at ``limit + 1``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _contains_sequence(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    """True when ``phrase`` occurs in ``tokens`` as adjacent items, in order."""
    if not phrase:
        return False
    wanted, start = list(phrase), 0
    while True:
        try:
            # Jumping between occurrences of the first token keeps index building fast.
            at = tokens.index(wanted[0], start)
        except ValueError:
            return False
        if list(tokens[at : at + len(wanted)]) == wanted:
            return True
        start = at + 1


def _make_bm25(
    corpus: list[list[str]], settings: RetrievalSettings, lengths: Sequence[int]
) -> BM25Okapi | BM25L | BM25Plus:
    """rank-bm25 over ``corpus``, with ``lengths`` (not the token counts) as the documents' lengths."""
    # rank-bm25 divides by zero on an empty document, so give those a placeholder token.
    corpus = [tokens or ["\x00"] for tokens in corpus]
    bm25 = settings.bm25
    scorer: BM25Okapi | BM25L | BM25Plus
    if bm25.variant == "l":
        scorer = BM25L(corpus, k1=bm25.k1, b=bm25.b, delta=bm25.delta)
    elif bm25.variant == "plus":
        scorer = BM25Plus(corpus, k1=bm25.k1, b=bm25.b, delta=bm25.delta)
    else:
        scorer = BM25Okapi(corpus, k1=bm25.k1, b=bm25.b, epsilon=bm25.epsilon)
    # rank-bm25 keeps lengths in doc_len/avgdl and reads them at scoring time.
    scorer.doc_len = [max(1, n) for n in lengths]
    scorer.avgdl = sum(scorer.doc_len) / len(scorer.doc_len) if scorer.doc_len else 1.0
    return scorer
