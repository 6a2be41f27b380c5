"""Highlight selection: the sentence of a passage that best matches the question.

A sentence's weight is the sum of the IDFs of the query tokens it holds, a name counted once, by its
actor's token (``Query.tokens_once``): its words as well made the sentence naming the subject outweigh
the one that says what the question asks about it. A sentence that opens by
referring back ("This group is run by ...") also carries the names in the sentences it leans on, so
it can be picked for a question that names the group; only the names, so the earlier sentence still
wins for its own other words. A paragraph whose first word is a personal pronoun ("It received
backing from the US") leans on the paragraph before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..entities import EntityMatcher
from ..indexer import Passage, Sentence
from ..textnorm import words
from .analysis import Analyzer
from .lexicon import Lexicon
from .query import Query

if TYPE_CHECKING:
    from .state import RetrieverState

# Words that, among a sentence's first two, mean it leans on the previous sentence for its subject.
REFERRING_WORDS = frozenset(
    ["it", "its", "this", "that", "these", "those", "he", "his", "him", "she", "her", "they", "their", "them"]
    + ["then", "such"]
)
# Of those, the ones that as a paragraph's first word still lean on the paragraph before ("It received
# backing from the US"); a paragraph opening "This is the situation ..." sums up instead.
PERSONAL_PRONOUNS = frozenset(["it", "its", "he", "his", "him", "she", "her", "they", "their", "them"])
CONTEXT_SENTENCES = 2  # how far back a chain of referring sentences may reach


def sentence_token_sets(
    passages: Sequence[Passage], analyzer: Analyzer, entities: EntityMatcher, pronoun_context: bool
) -> dict[tuple[str, int], frozenset[str]]:
    """Each sentence's tokens (with the names of the sentences it refers back to), by (article id, start).

    What ``bot.retrieval.assemble`` computes from kept per-article entries, computed from the passages' text.
    """
    context = referent_context(passages) if pronoun_context else {}

    def token_set(text: str) -> frozenset[str]:
        return frozenset(analyzer.tokenize(text)) | entities.in_text(text)

    tokens: dict[tuple[str, int], frozenset[str]] = {}
    for p in passages:
        for s in p.sentences:
            key = (p.article_id, s.start)
            if key not in tokens:
                tokens[key] = token_set(sentence_text(p, s)) | token_set(names_in(context.get(key, "")))
    return tokens


class SentenceIndex:
    """Token sets of every sentence of the indexed passages (kept in a ``RetrieverState``); read-only."""

    def __init__(self, state: RetrieverState) -> None:
        self._state = state

    def tokens(self, passage: Passage, sentence: Sentence) -> frozenset[str]:
        """The tokens of ``sentence`` of ``passage`` (with its referent's names)."""
        return self._state.sentence_tokens((passage.article_id, sentence.start))

    def best_sentence(self, passage: Passage, query: Query, lexicon: Lexicon) -> Sentence:
        """The sentence of ``passage`` holding the most query-token IDF (the earliest on a tie)."""
        return self.ranked_sentences(passage, query, lexicon)[0]

    def ranked_sentences(self, passage: Passage, query: Query, lexicon: Lexicon) -> list[Sentence]:
        """The sentences of ``passage``, most query-token IDF first (a name once; the earlier first on a tie)."""
        wanted = set(query.tokens_once)

        def weight(sentence: Sentence) -> float:
            return sum(lexicon.idf(t) for t in self.tokens(passage, sentence) & wanted)

        return sorted(passage.sentences, key=lambda s: (-weight(s), s.start))


def opens_with_reference(text: str) -> bool:
    """True for "This group is run by ...", "Then it decided ...", "He was accused ..."."""
    return any(word in REFERRING_WORDS for word in words(text)[:2])


def referent_context(passages: Sequence[Passage]) -> dict[tuple[str, int], str]:
    """For each referring sentence (by article and start): the text of the sentences it leans on.

    Walks back over earlier sentences of the same paragraph until one that does not itself open
    with a reference, at most ``CONTEXT_SENTENCES`` back. A paragraph's first sentence leans on the
    last sentence of the paragraph before only when its first word is a personal pronoun ("It", "He").
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
        if back >= 0 and not _same_paragraph(ordered[back], key, paragraph_of):
            # A paragraph's first sentence: "It received ..." refers back, "This is the situation ..." sums up.
            if not _leans_on_previous_paragraph(ordered[back], key, texts[key], paragraph_of):
                continue
            earlier.append(texts[ordered[back]])
        else:
            while back >= 0 and len(earlier) < CONTEXT_SENTENCES and _same_paragraph(ordered[back], key, paragraph_of):
                earlier.append(texts[ordered[back]])
                if not opens_with_reference(texts[ordered[back]]):
                    break
                back -= 1
        if earlier:
            context[key] = " ".join(reversed(earlier))
    return context


def _leans_on_previous_paragraph(
    previous: tuple[str, int], key: tuple[str, int], text: str, paragraph_of: dict[tuple[str, int], int]
) -> bool:
    first = words(text)[:1]
    return (
        previous[0] == key[0]
        and paragraph_of[previous] == paragraph_of[key] - 1
        and paragraph_of[previous] > 0  # never the photo caption
        and bool(first)
        and first[0] in PERSONAL_PRONOUNS
    )


def _same_paragraph(a: tuple[str, int], b: tuple[str, int], paragraph_of: dict[tuple[str, int], int]) -> bool:
    return a[0] == b[0] and paragraph_of[a] == paragraph_of[b]


def names_in(text: str) -> str:
    """The capitalised words of ``text`` (names, and at worst a sentence's first word)."""
    return " ".join(word for word in text.split() if word[:1].isupper())


def sentence_text(passage: Passage, sentence: Sentence) -> str:
    """The text of ``sentence``, cut from its passage."""
    offset = passage.start
    return passage.text[sentence.start - offset : sentence.end - offset]
