"""Answer-quality evaluation: ask a YAML set of questions through the router, score the passages.

A question file lists questions with gold quotes (verbatim snippets of an article). A returned
passage is a hit when it contains a gold quote (both sides compared with ``normalize_for_match``).
Questions marked ``answerable: false`` should be declined. The evaluator asks through
``Router.ask`` -- the same path a user's question takes: hit@1 and hit@3 are counted on the answer
a user gets, and a deeper ask supplies the ranks past it for MRR and hit@10.

``baseline=True`` scores the anchor instead: plain rank-bm25 ``BM25Okapi`` (library defaults) over
the article's raw lines with lower-case whitespace tokens; it never declines.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from .errors import InputError, where
from .schema import Text, from_document
from .textnorm import normalize_for_match
from .yamlfile import read_yaml

DEPTH = 10  # passages fetched per question; MRR is MRR@10
MAX_SHORT_WORDS = 14  # a short answer longer than this does not count as correct
AnswerableKind = Literal["lexical", "paraphrase", "alias", "pronoun", "typo", "lowercase", "short"]
UnanswerableKind = Literal["off_topic", "not_in_text"]
ANSWERABLE_KINDS: tuple[str, ...] = typing.get_args(AnswerableKind)
UNANSWERABLE_KINDS: tuple[str, ...] = typing.get_args(UnanswerableKind)
# Gold quotes and gold short answers: one quote, or a list of them (verbatim snippets of the article).
Quotes = Annotated[list[Text] | Text, Meta(description="a quote from the article, or a list of them")]


class QuestionEntry(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One entry of a question file's ``questions:`` list."""

    q: Text
    kind: Literal[AnswerableKind, UnanswerableKind]
    gold: Quotes = []
    answerable: bool = True
    short: Quotes = []


class QuestionFile(Struct, frozen=True, forbid_unknown_fields=True):
    """A question file (tests/data/eval.yaml)."""

    questions: Annotated[
        list[QuestionEntry],
        Meta(min_length=1, description="a list of questions, each with q, kind and gold (or answerable: false)"),
    ]


@dataclass(frozen=True)
class EvalQuestion:
    """One question of the set; ``gold`` is empty exactly when it is not answerable."""

    question: str
    kind: str
    gold: tuple[str, ...]
    line: int | None = None
    short: tuple[str, ...] = ()  # gold short answers of a factoid question (verbatim snippets; any one counts)

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


@dataclass(frozen=True)
class Retrieved:
    """What the bot returned for a question: answered or not, and passage ids/texts best first."""

    answered: bool
    passages: tuple[tuple[str, str], ...]  # (passage id, text)
    short_answer: str | None = None  # the short answer's text, if the bot gave one


@dataclass(frozen=True)
class QuestionResult:
    """One question's outcome; ``rank`` is the 1-based rank of the first gold passage, if any."""

    question: EvalQuestion
    answered: bool
    rank: int | None
    top: str | None  # the first passage's id, to show what won instead
    short_answer: str | None = None

    @property
    def missed(self) -> bool:
        """An answerable question whose first passage is not gold, or an unanswerable one answered."""
        return self.rank != 1 if self.question.answerable else self.answered

    @property
    def short_correct(self) -> bool:
        """The short answer holds the gold one and has at most MAX_SHORT_WORDS words."""
        golds, given = self.question.short, self.short_answer
        if not golds or given is None or not self.answered or len(given.split()) > MAX_SHORT_WORDS:
            return False
        return any(normalize_for_match(gold) in normalize_for_match(given) for gold in golds)

    @property
    def short_wrong(self) -> bool:
        """A short answer was given (on an answered factoid question) that does not hold the gold one:
        a confident wrong answer, worse than none."""
        return bool(self.question.short) and self.answered and self.short_answer is not None and not self.short_correct

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question.question,
            "kind": self.question.kind,
            "answerable": self.question.answerable,
            "answered": self.answered,
            "rank": self.rank,
            "top": self.top,
            "short_answer": self.short_answer,
            "gold_short": list(self.question.short),
        }


@dataclass(frozen=True)
class Metrics:
    """Figures for a group of questions (None where the group has no question of that sort)."""

    answerable: int
    unanswerable: int
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_10: float | None
    mrr: float | None
    answered: float | None  # share of answerable questions answered
    declined: float | None  # share of unanswerable questions declined
    factoid: int = 0  # questions with a gold short answer
    short_correct: float | None = None  # share of those whose short answer holds the gold one
    short_wrong: float | None = None  # share of those given a short answer that does not hold it

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


@dataclass(frozen=True)
class EvalReport:
    """Overall figures, figures per kind, and every question that missed."""

    path: str
    mode: str
    overall: Metrics
    by_kind: dict[str, Metrics]
    results: tuple[QuestionResult, ...] = field(repr=False)

    @property
    def misses(self) -> list[QuestionResult]:
        """Answerable questions whose first passage is not gold, and unanswerable ones answered."""
        return [r for r in self.results if r.missed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "mode": self.mode,
            "overall": self.overall.to_dict(),
            "by_kind": {kind: m.to_dict() for kind, m in self.by_kind.items()},
            "misses": [r.to_dict() for r in self.misses],
        }


def load_eval_set(path: Path) -> list[EvalQuestion]:
    """Read and check a question file; a problem is one line naming the file, line and fix."""
    document = read_yaml(path, InputError)
    questions = []
    for index, item in enumerate(from_document(document, QuestionFile, InputError).questions):
        line = document.line_of("questions", index)
        place = where(path, line)
        short = quote_list(item.short)
        if short and not item.answerable:
            raise InputError(f"{place}: 'short' lists the gold short answers of an answerable question, as quotes")
        gold = checked_gold(quote_list(item.gold), item.answerable, place, "question")
        if item.answerable == (item.kind in UNANSWERABLE_KINDS):
            raise InputError(f"{place}: kind {item.kind!r} does not match answerable: {item.answerable}")
        questions.append(EvalQuestion(item.q, item.kind, gold, line, short))
    return questions


def quote_list(quotes: list[str] | str) -> tuple[str, ...]:
    """One quote or a list of them, as a tuple."""
    return (quotes,) if isinstance(quotes, str) else tuple(quotes)


def checked_gold(gold: tuple[str, ...], answerable: bool, place: str, what: str) -> tuple[str, ...]:
    """``gold`` when it fits ``answerable`` (an answerable ``what`` has quotes, another none); raises InputError."""
    if answerable and not gold:
        raise InputError(f"{place}: an answerable {what} needs gold quotes (or set answerable: false)")
    if not answerable and gold:
        raise InputError(f"{place}: a {what} with answerable: false cannot have gold quotes")
    return gold


def missing_gold(questions: Sequence[EvalQuestion], article_texts: Sequence[str]) -> list[tuple[EvalQuestion, str]]:
    """Gold quotes that occur in none of the articles (each would make its question unwinnable)."""
    haystacks = [normalize_for_match(text) for text in article_texts]
    return [
        (q, quote)
        for q in questions
        for quote in (*q.gold, *q.short)
        if not any(normalize_for_match(quote) in hay for hay in haystacks)
    ]


def score(question: EvalQuestion, retrieved: Retrieved) -> QuestionResult:
    """Where the first gold passage landed in what the bot returned."""
    rank = None
    if question.answerable and retrieved.answered:
        quotes = [normalize_for_match(g) for g in question.gold]
        for position, (_, text) in enumerate(retrieved.passages, start=1):
            normalized = normalize_for_match(text)
            if any(quote in normalized for quote in quotes):
                rank = position
                break
    top = retrieved.passages[0][0] if retrieved.answered and retrieved.passages else None
    return QuestionResult(question, retrieved.answered, rank, top, retrieved.short_answer)


def summarize(results: Sequence[QuestionResult]) -> Metrics:
    """hit@1/3/10, MRR and answered share over answerable results; declined share over the rest."""
    positive = [r for r in results if r.question.answerable]
    negative = [r for r in results if not r.question.answerable]

    def share(items: Sequence[QuestionResult], test: Callable[[QuestionResult], bool]) -> float | None:
        return sum(1 for r in items if test(r)) / len(items) if items else None

    mrr = sum(1.0 / r.rank for r in positive if r.rank) / len(positive) if positive else None
    factoid = [r for r in positive if r.question.short]
    return Metrics(
        answerable=len(positive),
        unanswerable=len(negative),
        hit_at_1=share(positive, lambda r: r.rank == 1),
        hit_at_3=share(positive, lambda r: r.rank is not None and r.rank <= 3),
        hit_at_10=share(positive, lambda r: r.rank is not None),
        mrr=mrr,
        answered=share(positive, lambda r: r.answered),
        declined=share(negative, lambda r: not r.answered),
        factoid=len(factoid),
        short_correct=share(factoid, lambda r: r.short_correct),
        short_wrong=share(factoid, lambda r: r.short_wrong),
    )


def evaluate(
    questions: Sequence[EvalQuestion], retrieve: Callable[[str], Retrieved], *, path: str = "", mode: str = ""
) -> EvalReport:
    """Ask every question through ``retrieve`` and build the report."""
    results = tuple(score(q, retrieve(q.question)) for q in questions)
    kinds = [k for k in ANSWERABLE_KINDS + UNANSWERABLE_KINDS if any(r.question.kind == k for r in results)]
    by_kind = {kind: summarize([r for r in results if r.question.kind == kind]) for kind in kinds}
    return EvalReport(path, mode, summarize(results), by_kind, results)


def router_retriever(router: Any, depth: int = DEPTH) -> Callable[[str], Retrieved]:
    """Questions go through ``Router.ask`` exactly as a user's do; ranks past top-k from a deeper ask.

    The first passages are the answer a user gets (the configured top-k): the responder merges
    overlapping windows into one passage, and asked for more passages it reads more hits, so a deeper
    answer's first passages can be longer than the ones a user sees. Ranks past top-k (for MRR and
    hit@10) come from an answer with ``depth`` passages.
    """

    def retrieve(question: str) -> Retrieved:
        shown = router.ask(question)
        deeper = router.ask(question, top_k=depth) if depth > len(shown.passages) else shown
        passages = shown.passages + deeper.passages[len(shown.passages) :]
        short = shown.short_answer.text if getattr(shown, "short_answer", None) else None
        return Retrieved(shown.answered, tuple((p.passage_id, p.text) for p in passages), short)

    return retrieve


def baseline_retriever(article_texts: dict[str, str], depth: int = DEPTH) -> Callable[[str], Retrieved]:
    """The anchor: BM25Okapi (library defaults) over raw lines, lower-case whitespace tokens."""
    from rank_bm25 import BM25Okapi

    docs: list[tuple[str, str]] = []
    for article_id, text in article_texts.items():
        lines = [line.strip() for line in text.split("\n") if line.strip()][1:]  # the first line is the title
        docs.extend((f"{article_id}:line{number}", line) for number, line in enumerate(lines, start=1))
    bm25 = BM25Okapi([text.lower().split() for _, text in docs])

    def retrieve(question: str) -> Retrieved:
        scores = bm25.get_scores(question.lower().split())
        order = sorted(range(len(docs)), key=lambda i: (-scores[i], i))[:depth]
        return Retrieved(True, tuple(docs[i] for i in order))

    return retrieve


def render_report(report: EvalReport) -> str:
    """A plain-text table of the figures, then the misses."""

    def cell(value: float | None) -> str:
        return "    -" if value is None else f"{value:5.2f}"

    header = (
        f"{'':12} {'n':>4} {'hit@1':>5} {'hit@3':>5} {'hit@10':>6} {'MRR':>5} {'answ':>5} {'decl':>5}"
        f" {'short':>5} {'wrong':>5} {'(of)':>4}"
    )
    rows = [f"{report.path}  (mode: {report.mode})", header]
    groups = [("overall", report.overall), *report.by_kind.items()]
    for name, m in groups:
        n = m.answerable + m.unanswerable
        rows.append(
            f"{name:12} {n:>4} {cell(m.hit_at_1)} {cell(m.hit_at_3)} {cell(m.hit_at_10):>6} {cell(m.mrr)}"
            f" {cell(m.answered)} {cell(m.declined)} {cell(m.short_correct)} {cell(m.short_wrong)} {m.factoid or '':>4}"
        )
    rows.append("short: share of factoid questions (a gold short answer) whose short answer holds it;")
    rows.append("wrong: share of them given a short answer that does not hold it (none is better)")
    misses = report.misses
    rows.append("")
    rows.append(f"misses ({len(misses)}):" if misses else "misses: none")
    for r in misses:
        if r.question.answerable:
            where = "declined" if not r.answered else (f"gold at rank {r.rank}" if r.rank else "gold not in top 10")
            rows.append(f"  [{r.question.kind}] {r.question.question!r}: {where}; first: {r.top}")
        else:
            rows.append(f"  [{r.question.kind}] {r.question.question!r}: answered with {r.top}")
    wrong = [r for r in report.results if r.question.short and not r.short_correct]
    rows.append("")
    rows.append(f"short answers missed ({len(wrong)}):" if wrong else "short answers missed: none")
    for r in wrong:
        rows.append(f"  {r.question.question!r}: gave {r.short_answer!r}, gold {' or '.join(r.question.short)!r}")
    return "\n".join(rows)
