"""Answerability: the decline rule and every threshold it uses, in one settings object.

The bot answers only when

- the question names nothing the article does not know: a word written with a capital inside the
  question ("Paris", "Netanyahu": not the first word of a sentence, not Title Case or capitals
  throughout) that neither the article nor any actor's names use, nor share their first
  ``name_prefix_letters`` letters with ("Lebanon" and "Lebanese"), is a name from elsewhere;
- the question is about the news, not the asker ("how do I ...", "my ...") nor things in general
  ("who invented the satellite?", "what is the best fridge to buy?") while naming nothing of the
  article; "how do <bare noun> ..." ("how do drones fly?") declines only when no passage shown
  holds its subject and its predicate (``min_predicate_coverage``, see ``general_knowledge_words``);
- the best passage covers ``min_coverage`` of the question's weight; except in semantic mode, where
  the best passage's cosine similarity to the question must reach ``min_similarity`` and either the
  coverage or the BM25 score is high enough: at least ``min_bm25_share`` of the highest IDF the
  index can give (``log(2N + 2)`` for N passages), so the floor means the same on an article of two
  paragraphs as on one of two thousand; a best passage covering ``lexical_coverage`` of the
  question's weight needs no cosine.

Coverage: each question word weighs its IDF (a word the article never uses weighs
``unknown_word_weight`` times the rarest word's IDF); a word counts as covered when the passage holds
its token or a token that covers it (the actor it names, another name of its alias); a typo fix is a
guess and covers only ``typo_credit`` of its word's weight.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from ..config import AnswerSettings
from ..textnorm import capitalised, words
from .query import ACTOR, CORRECTED, Query, QueryTerm


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the decline rule; the first three come from ``answer.*`` in config.yaml."""

    min_coverage: float = 0.3  # share of the question's weight the best passage must cover
    min_similarity: float = 0.17  # semantic mode: cosine the best passage must reach
    # semantic mode: a best passage under min_coverage must score this share of the highest IDF.
    min_bm25_share: float = 0.3
    # semantic mode: a best passage covering this share of the question's weight is answered whatever
    # its cosine (checked on eval.yaml: no change there; see README "Answer quality").
    lexical_coverage: float = 0.5
    # Paraphrase words the article lacks ("worried", "bigger") count this share of the rarest word.
    unknown_word_weight: float = 0.5
    # A typo fix may be wrong ("write" read as "wrote"): it covers this share of its word's weight.
    typo_credit: float = 0.65
    # A general-knowledge form ("how do drones fly?") must find this share of what it asks about its
    # subject in one of the passages shown (see general_knowledge_words).
    min_predicate_coverage: float = 0.6
    # Letters a capitalised word shares with an article word to count as related to it.
    name_prefix_letters: int = 5

    @classmethod
    def from_config(cls, settings: AnswerSettings) -> Thresholds:
        """The thresholds with ``answer.*`` taken from the configuration."""
        return cls(
            min_coverage=settings.min_coverage,
            min_similarity=settings.min_similarity,
            min_bm25_share=settings.min_bm25_share,
        )


@dataclass(frozen=True)
class CoverageWeights:
    """A question's words as (token, weight, credit when matched, tokens that also cover it)."""

    items: tuple[tuple[str, float, float, frozenset[str]], ...]
    total: float

    def coverage(self, passage_tokens: Collection[str]) -> float:
        """Share (0..1) of the question's weight that a passage with ``passage_tokens`` covers."""
        covered = sum(
            weight * credit
            for token, weight, credit, others in self.items
            if token in passage_tokens or any(o in passage_tokens for o in others)
        )
        return covered / self.total


def coverage_weights(query: Query, thresholds: Thresholds) -> CoverageWeights:
    """The weights coverage is measured with (one entry per distinct question token)."""
    guessed = {t.token for t in query.terms if t.origin == CORRECTED}
    weights: dict[str, float] = {}
    covers: dict[str, frozenset[str]] = {}
    for term in query.question_terms:
        if term.token not in weights:
            weights[term.token] = term.idf * (1.0 if term.in_vocabulary else thresholds.unknown_word_weight)
        covers[term.token] = covers.get(term.token, frozenset()) | term.covered_by
    items = tuple(
        (token, weight, thresholds.typo_credit if token in guessed else 1.0, covers[token])
        for token, weight in weights.items()
    )
    return CoverageWeights(items, sum(weights.values()) or 1.0)


@dataclass(frozen=True)
class Evidence:
    """What the decline rule reads about the best passage(s).

    ``bm25_share``: the best passage's BM25 score over the highest IDF of the index (``Lexicon.max_idf``);
    ``coverage``: the share (0..1) of the question's weight it covers; ``similarity``: its cosine to the
    question (None in bm25 mode); ``shown_tokens``: the index tokens of the passages an answer shows.
    """

    bm25_share: float
    coverage: float
    similarity: float | None = None
    shown_tokens: tuple[frozenset[str], ...] = ()  # the index tokens of the passages shown, best first


# A question about the asker's own affairs ("how do I ...", "my dog", "can you recommend ...") is
# never answered by a news article, whatever words it shares with one.
_ABOUT_THE_ASKER = re.compile(
    r"\b(?:(?:how|where|what|when) (?:do|can|should|could|would|shall) i|my|recommend|suggest)\b", re.IGNORECASE
)


def asks_about_the_asker(question: str) -> bool:
    """True for "how do I build a bridge in minecraft?", "my border collie ...", "recommend a podcast"."""
    return _ABOUT_THE_ASKER.search(" ".join(words(question))) is not None


# Questions about things in general rather than about what happened: how a kind of thing works ("how do
# drones fly?", "how is sugar made?": present tense, a bare or indefinite subject), who invented or
# discovered something, or which is best or good (advice). A news article reports events; such a
# question shares a word with it ("drones") without being about it. The form alone cannot tell "how do
# drones fly?" from "how do militias cross the border?" (the article says "militias crossing back and
# forth"), so the form only asks the evidence: see general_knowledge_words.
_SPECIFIC_SUBJECTS = "the|this|that|these|those|its|their|his|her|our|your|it|they|he|she|we|you|i|there"
_GENERAL_KNOWLEDGE = re.compile(rf"^how (?:do|does|is|are|can) (?!(?:{_SPECIFIC_SUBJECTS})\b)(?P<subject>\w+)")
# Who invented something, which is best or good: a news article never answers these, whatever words
# they share with it, unless they name something of the article.
_GENERAL_ADVICE = re.compile(r"\bwho (?:invented|discovered)\b|\b(?:the|a|are|is) (?:best|good|fun|cheapest|easiest)\b")


def names_the_article(query: Query) -> bool:
    """True when the question names an actor or a capitalised word of the article."""
    return any(t.origin == ACTOR for t in query.terms) or any(capitalised(query.text)[1:])


# A preposition says where, not what is done ("moving across the border": the article says "crossing").
_PREPOSITIONS = frozenset(
    {"across", "through", "over", "into", "onto", "from", "toward", "towards", "around", "along", "between", "within"}
)


@dataclass(frozen=True)
class GeneralForm:
    """A "how do <subject> <predicate>?" question: its subject's weight item and its predicate's
    (verb first), as coverage weights (see :func:`general_knowledge_words`)."""

    subject: tuple[str, float, float, frozenset[str]] | None
    predicate: CoverageWeights

    def coverage(self, passage_tokens: Collection[str]) -> float:
        """Share (0..1) of the predicate's weight a passage covers; 0 unless it holds the subject and the
        predicate's verb (so a passage must say the subject does it: "how do drones work?" finds "work"
        in "work has been done" and drones elsewhere)."""
        items = self.predicate.items
        if self.subject is None or not items:
            return 0.0
        verb = items[0]
        holds = CoverageWeights((self.subject, (verb[0], 1.0, 1.0, verb[3])), 2.0)
        return self.predicate.coverage(passage_tokens) if holds.coverage(passage_tokens) == 1.0 else 0.0


def general_knowledge_words(query: Query, thresholds: Thresholds) -> GeneralForm | None:
    """For a question "how do <subject> <predicate>?" ("how do drones fly?", "how is sugar made from
    beet?") naming no actor and no capitalised word of the article: what a passage shown must hold.
    None for any other question.

    The predicate's weights are those of its words the article uses ("use the area"); words it never
    uses ("moving") are paraphrase and weigh nothing either way, nor do prepositions. A passage must
    hold the subject and the predicate's first such word (its verb) outright, and
    ``min_predicate_coverage`` of the predicate's weight. When the subject or every predicate word is
    unknown to the article ("beavers", "fly"), nothing can hold them and the question declines.
    """
    if names_the_article(query):
        return None
    match = _GENERAL_KNOWLEDGE.search(" ".join(words(query.text)))
    if match is None:
        return None
    subject = match.group("subject")
    weights = coverage_weights(query, thresholds)
    terms = _first_terms(query)
    pairs = list(zip(weights.items, terms, strict=True))
    subject_item = next((item for item, term in pairs if term.surface == subject and term.in_vocabulary), None)
    wanted = tuple(
        (token, weight, credit, others)
        for (token, weight, credit, others), term in pairs
        if term.surface != subject and term.in_vocabulary and term.surface not in _PREPOSITIONS
    )
    return GeneralForm(
        None if subject_item is None else (subject_item[0], 1.0, 1.0, subject_item[3]),
        CoverageWeights(wanted, sum(item[1] for item in wanted) or 1.0),
    )


def _first_terms(query: Query) -> list[QueryTerm]:
    """The first question term of each distinct token, in the order :func:`coverage_weights` lists them."""
    seen: dict[str, QueryTerm] = {}
    for term in query.question_terms:
        seen.setdefault(term.token, term)
    return list(seen.values())


def is_answerable(query: Query, evidence: Evidence, thresholds: Thresholds) -> bool:
    """The decline rule (module docstring) for the best passage's :class:`Evidence`."""
    if query.unknown_names or asks_about_the_asker(query.text):
        return False
    if _GENERAL_ADVICE.search(" ".join(words(query.text))) and not names_the_article(query):
        return False
    general = general_knowledge_words(query, thresholds)
    if general is not None and max(
        (general.coverage(tokens) for tokens in evidence.shown_tokens), default=0.0
    ) < thresholds.min_predicate_coverage:
        return False
    if evidence.similarity is None:
        return evidence.coverage >= thresholds.min_coverage
    # With embeddings, similarity carries paraphrases that share few words with their answer, as long as
    # what they share is not only the article's most common words ...
    lexical = evidence.coverage >= thresholds.min_coverage or evidence.bm25_share >= thresholds.min_bm25_share
    # ... and a passage that holds most of what the question asks needs no cosine: a short question
    # ("What did the inspectors find?") is far in embedding space from a long passage that answers it.
    words_suffice = evidence.coverage >= thresholds.lexical_coverage
    return words_suffice or (lexical and evidence.similarity >= thresholds.min_similarity)
