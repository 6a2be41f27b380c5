"""Answers as plain data: the best passages, verbatim, each with a citation. No I/O, no formatting.

Whether the best passage answers is the decline rule of ``bot.retrieval.answerability``; its
thresholds were chosen by measurement on tests/data/eval.yaml (``briefbot eval``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .actors import Actor
from .config import AnswerSettings
from .indexer import Sentence, merge_passages, overlaps
from .knowledge import Article
from .retrieval import Hit, Query, Retriever, is_answerable, sentence_text
from .retrieval.answerability import Evidence
from .retrieval.short_answer import (
    DATE,
    ExpectedType,
    ShortAnswer,
    ShortAnswerFinder,
    expected_type,
    requires_value,
)
from .retrieval.timing import When, question_time, rank, sentence_time
from .textnorm import fold, normalize_for_match
from .wording import plural

EMPTY_QUESTION = "empty_question"
TOO_LONG = "question_too_long"
NO_WORDS = "no_searchable_words"
NOT_IN_ARTICLE = "not_in_article"
SHORT_ANSWER_PASSAGES = 2  # passages read, best first, for a short answer


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from; ``start``/``end`` are character offsets into the article text."""

    article: str
    title: str
    paragraph: int  # 0 is the photo caption
    sentence: int
    start: int
    end: int

    def __str__(self) -> str:
        where = "photo caption" if self.paragraph == 0 else f"¶{self.paragraph}"
        return f"{self.title}, {where}, sentence {self.sentence}"


@dataclass(frozen=True)
class AnswerPassage:
    """One returned passage: verbatim text, the sentence that best matches, and where it is from."""

    article: str
    title: str
    paragraph: int
    paragraphs: tuple[int, ...]
    sentences: tuple[str, ...]  # "paragraph.sentence" labels, e.g. ("10.1", "10.2")
    text: str
    highlight: str
    highlight_start: int  # offset of ``highlight`` inside ``text``
    score: float
    coverage: float
    citation: Citation
    passage_id: str
    kind: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        data["sentences"] = list(self.sentences)
        data["score"] = round(self.score, 4)
        data["coverage"] = round(self.coverage, 4)
        data["citation"] = str(self.citation)
        data["source"] = asdict(self.citation)
        return data


@dataclass(frozen=True)
class Answer:
    """The reply to a question. ``answered`` is False when the bot declines or the input is bad."""

    question: str  # as the person gave it (JSON echoes it); see normalized_question
    answered: bool
    message: str
    passages: tuple[AnswerPassage, ...] = ()
    reason: str | None = None  # why it was not answered
    corrections: dict[str, str] = field(default_factory=dict)
    mode: str = "bm25"
    read_as: str | None = None  # a follow-up as resolved against the conversation (None: used as typed)
    short_answer: ShortAnswer | None = None  # the verbatim span answering a factoid question, if any

    @property
    def normalized_question(self) -> str:
        """The question as searched and as text renderers show it: quotes and dashes folded to ASCII
        (a code fence's backticks become quotes), controls dropped, whitespace runs one space."""
        return " ".join(fold(self.question).split())

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "normalized_question": self.normalized_question,
            "read_as": self.read_as,
            "answered": self.answered,
            "message": self.message,
            "short_answer": self.short_answer.to_dict() if self.short_answer else None,
            "passages": [p.to_dict() for p in self.passages],
            "reason": self.reason,
            "corrections": dict(self.corrections),
            "mode": self.mode,
        }


class Responder:
    """Turns a question into an :class:`Answer` using a :class:`Retriever`."""

    def __init__(
        self,
        retriever: Retriever,
        articles: dict[str, Article],
        settings: AnswerSettings,
        actors: Sequence[Actor] = (),
    ) -> None:
        self.retriever = retriever
        self.articles = articles
        self.settings = settings
        # Who / which group questions are answered with the names of the actors index (curated or drafted).
        self.short_answers = ShortAnswerFinder(actors, retriever.analyzer, retriever.lexicon.idf)

    def answer(self, question: str, top_k: int = 3) -> Answer:
        """The ``top_k`` best passages, or a plain sentence saying why there are none."""
        cleaned = " ".join(fold(question).split())
        if not cleaned:
            return Answer(question, False, "Ask a question: the text was empty.", reason=EMPTY_QUESTION, mode=self.mode)
        limit = self.settings.max_question_chars
        if len(cleaned) > limit:
            return Answer(
                question,
                False,
                f"That question is {len(cleaned):,} characters long; keep it under {limit:,}.",
                reason=TOO_LONG,
                mode=self.mode,
            )
        query = self.retriever.parse(cleaned)
        if not query.question_terms:
            return Answer(
                question,
                False,
                "I found no words to search for in that question; try asking with words.",
                reason=NO_WORDS,
                mode=self.mode,
            )
        # Fetch extra hits: overlapping sentence windows are merged below, so several hits may make one passage.
        hits = self.retriever.search(query, limit=top_k * 3 + 3)
        best = hits[0] if hits else None
        if best is None or not self._answerable(query, hits, top_k):
            return Answer(
                question,
                False,
                f"The article does not answer that: nothing in {self._titles()} matches your question.",
                reason=NOT_IN_ARTICLE,
                corrections=query.corrections,
                mode=self.mode,
            )
        merged = self._merge_overlapping(hits, query, top_k)
        expected = expected_type(query.text)
        top = merged[0].passage
        article_text = self.articles[top.article_id].text
        short = None
        when = self.short_answers.time_asked(query, expected, question_time(query.text))
        # The best passage first; when it holds nothing of the type asked for, the next one. A question
        # asking about a time ("in 2016", "before that", "who controls ...?" now) reads every passage
        # shown: the sentence that best fits its time answers, wherever it ranks.
        fitted: list[tuple[tuple[int, int], int, ShortAnswer]] = []
        reading_all = when.scoped and expected is not None and self.short_answers.states_relation(query, expected)
        for index, hit in enumerate(merged[: len(merged) if reading_all else SHORT_ANSWER_PASSAGES]):
            passage = hit.passage
            sentences = self.retriever.ranked_sentences(passage, query)
            text = self.articles[passage.article_id].text
            title = self.articles[passage.article_id].title
            found = self.short_answers.find(
                query, expected, passage.article_id, text, passage, sentences, title, when
            ) if expected is not None else None
            if found is not None and not reading_all:
                short = found
                break
            if found is not None:
                said = next(s for s in passage.sentences if s.start <= found.start < s.end)
                fitted.append((rank(when, sentence_time(text, said.start, said.end)), -index, found))
        if fitted:
            short = max(fitted, key=lambda item: item[:2])[2]
        # A how-many or when question whose best passage gives no number or date (other than the
        # question's own) is not answered by the text, however close the passage is, unless the next
        # passage gives one in a sentence that says what the best one leaves out ("... led the work,
        # which cost 2 million dollars" after "reopened after three years of repairs").
        if (
            expected is not None
            and expected.counted
            and not self.short_answers.has_candidate(query, expected, article_text, top)
            and (
                short is None
                or short.article != top.article_id
                or not self.short_answers.adds_to(query, expected, article_text, short, top)
            )
        ):
            what = "number" if expected.kind != "date" else "date"
            closest = "the passage closest to your question has none"
            return self._declined(question, query, f"The article does not give that {what}: {closest}.")
        if short is None and expected is not None and requires_value(expected):
            # A date or number in a sentence that says what is asked ("When will the contract be
            # signed?" - "The contract has not been signed", no date), in any passage shown: else the
            # article does not give it, though a date or number stands nearby.
            kinds = [expected]
            if expected.measure == "long":
                kinds.append(ExpectedType(DATE, counted=True))  # "studied the colony since 2015"
            if not any(self._states_value(query, e, hit, when) for e in kinds for hit in merged):
                what = "number" if expected.kind != "date" else "date"
                shown = "no passage close to your question states it"
                return self._declined(question, query, f"The article does not give that {what}: {shown}.")
        if short is None and expected is not None and self.short_answers.asks_for_another_actor(query, expected):
            # "Who owns Halvorsen Civil?": a who question asks for someone besides the names it gives;
            # when no passage shown names anyone of a fitting type, the article does not say who.
            if not any(self._names_a_candidate(query, expected, hit) for hit in merged):
                nobody = "no passage close to your question names anyone else"
                return self._declined(question, query, f"The article does not say who: {nobody}.")
        passages = tuple(self._answer_passage(hit) for hit in merged)
        if len(passages) == 1:
            message = "From the article (1 passage)."
        else:
            message = f"From the article, best match first ({plural(len(passages), 'passage')})."
        return Answer(
            question, True, message, passages, corrections=query.corrections, mode=self.mode, short_answer=short
        )

    @property
    def mode(self) -> str:
        """The retrieval mode answers come from: "semantic" (BM25 fused with embeddings) or "bm25"."""
        return self.retriever.mode

    def _declined(self, question: str, query: Query, message: str) -> Answer:
        """An answer declining ``question`` as not in the article, with ``message`` saying why."""
        return Answer(
            question, False, message, reason=NOT_IN_ARTICLE, corrections=query.corrections, mode=self.mode
        )

    def _states_value(self, query: Query, expected: ExpectedType, hit: Hit, when: When) -> bool:
        """True when ``hit``'s passage states a value of the type asked for where it says what is asked
        (``ShortAnswerFinder.find`` with ``earlier_dates``)."""
        passage = hit.passage
        sentences = self.retriever.ranked_sentences(passage, query)
        article = self.articles[passage.article_id]
        found = self.short_answers.find(
            query, expected, passage.article_id, article.text, passage, sentences, article.title, when, True
        )
        return found is not None

    def _names_a_candidate(self, query: Query, expected: ExpectedType, hit: Hit) -> bool:
        """True when a sentence of ``hit``'s passage names an actor of the type asked for."""
        text = self.articles[hit.passage.article_id].text
        return self.short_answers.has_candidate(query, expected, text, hit.passage)

    def _answerable(self, query: Query, hits: list[Hit], top_k: int) -> bool:
        best = hits[0]
        evidence = Evidence(
            bm25_share=best.bm25 / self.retriever.lexicon.max_idf,
            coverage=best.coverage,
            similarity=best.similarity,
            shown_tokens=tuple(hit.tokens for hit in hits[:top_k]),
        )
        return is_answerable(query, evidence, self.retriever.thresholds)

    def _merge_overlapping(self, hits: list[Hit], query: Query, top_k: int) -> list[Hit]:
        """Up to ``top_k`` passages, best first; a hit that overlaps a chosen one is merged into it.

        Dropping the overlapping window instead could hide the sentence that answers (a window
        ranked second may hold it while sharing two sentences with the first), and showing both
        would repeat text. A merged passage spans the union of its windows' sentences, keeps the
        rank, score and coverage of its best window and highlights the best sentence of the union.
        Hits are read until a hit would open passage ``top_k + 1``. A hit with the same text as one
        read before (the same paragraph in two articles) is skipped: an answer never shows it twice.
        """
        groups: list[list[Hit]] = []
        seen: set[str] = set()
        for hit in hits:
            text = normalize_for_match(hit.passage.text)
            if text in seen:
                continue
            seen.add(text)
            touching = [g for g in groups if any(overlaps(hit.passage, h.passage) for h in g)]
            if not touching:
                if len(groups) == top_k:
                    break
                groups.append([hit])
                continue
            # A window can bridge two chosen passages; they become one, at the better one's place.
            keep = touching[0]
            for other in touching[1:]:
                keep.extend(other)
                groups.remove(other)
            keep.append(hit)
        merged = []
        for group in groups:
            first = group[0]
            if len(group) == 1:
                merged.append(first)
                continue
            article = self.articles[first.passage.article_id]
            passage = merge_passages(article, [h.passage for h in group])
            best = self.retriever.best_sentence(passage, query)
            coverage = max(h.coverage for h in group)
            merged.append(replace(first, passage=passage, coverage=coverage, best_sentence=best))
        return merged

    def _titles(self) -> str:
        titles = [f"“{a.title}”" for a in self.articles.values()]
        return titles[0] if len(titles) == 1 else "the loaded articles"

    def _answer_passage(self, hit: Hit) -> AnswerPassage:
        passage, sentence = hit.passage, hit.best_sentence
        article = self.articles[passage.article_id]
        return AnswerPassage(
            article=article.id,
            title=article.title,
            paragraph=sentence.paragraph,
            paragraphs=passage.paragraphs,
            sentences=tuple(f"{s.paragraph}.{s.number}" for s in passage.sentences),
            text=passage.text,
            highlight=sentence_text(passage, sentence),
            highlight_start=sentence.start - passage.start,
            score=hit.score,
            coverage=hit.coverage,
            citation=_citation(article, sentence),
            passage_id=passage.id,
            kind=passage.kind,
        )


def _citation(article: Article, sentence: Sentence) -> Citation:
    return Citation(article.id, article.title, sentence.paragraph, sentence.number, sentence.start, sentence.end)
