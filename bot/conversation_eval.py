"""Follow-up evaluation: conversations asked turn by turn through one :class:`Conversation` each.

A conversation file (tests/data/conversations.yaml) lists conversations of turns; each turn has a
question ``q``, a ``kind`` and gold quotes, or ``answerable: false`` (kind ``not_in_text``). Every
turn is asked through ``Router.ask`` with the conversation of the turns before it, exactly as
``briefbot ask --follow-ups`` and the front ends do, and scored like ``bot.evaluate`` scores a
question: hit@1 on the answer a user gets. The report keeps first turns and follow-ups apart.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from .conversation import Conversation
from .errors import InputError, where
from .evaluate import (
    EvalQuestion,
    Metrics,
    QuestionResult,
    Quotes,
    Retrieved,
    checked_gold,
    quote_list,
    score,
    summarize,
)
from .schema import Text, from_document
from .yamlfile import read_yaml

FIRST = "first"
NOT_IN_TEXT = "not_in_text"
TurnKind = Literal["first", "pronoun", "ellipsis", "enumeration", "standalone", "not_in_text"]
TURN_KINDS: tuple[str, ...] = typing.get_args(TurnKind)
FOLLOW_UP_KINDS = tuple(kind for kind in TURN_KINDS if kind not in (FIRST, NOT_IN_TEXT))


class TurnEntry(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One turn of a conversation; ``kind`` may be left out on the first turn only."""

    q: Text
    kind: TurnKind | None = None
    gold: Quotes = []
    answerable: bool = True


class ConversationEntry(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One conversation: its turns in order, and an optional name for people."""

    turns: Annotated[list[TurnEntry], Meta(min_length=1, description="a list of turns, each with q, kind and gold")]
    name: str | None = None


class ConversationFile(Struct, frozen=True, forbid_unknown_fields=True):
    """A conversation file (tests/data/conversations.yaml)."""

    conversations: Annotated[
        list[ConversationEntry], Meta(min_length=1, description="a list of conversations, each with a turns: list")
    ]


@dataclass(frozen=True)
class ConversationTurnResult:
    """One turn's outcome and how the question was read."""

    conversation: int  # 0-based index in the file
    turn: int  # 0-based; 0 is the first turn
    result: QuestionResult
    read_as: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"conversation": self.conversation, "turn": self.turn, **self.result.to_dict(), "read_as": self.read_as}


@dataclass(frozen=True)
class ConversationReport:
    """First-turn and follow-up figures, figures per kind, and the misses."""

    path: str
    mode: str
    first: Metrics
    follow_ups: Metrics
    by_kind: dict[str, Metrics]
    turns: tuple[ConversationTurnResult, ...] = field(repr=False)

    @property
    def misses(self) -> list[ConversationTurnResult]:
        return [t for t in self.turns if t.result.missed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "mode": self.mode,
            "first_turns": self.first.to_dict(),
            "follow_ups": self.follow_ups.to_dict(),
            "by_kind": {kind: m.to_dict() for kind, m in self.by_kind.items()},
            "misses": [t.to_dict() for t in self.misses],
        }


def load_conversations(path: Path) -> list[list[EvalQuestion]]:
    """Read and check a conversation file; a problem is one line naming the file, line and fix."""
    document = read_yaml(path, InputError)
    conversations = []
    for c_index, item in enumerate(from_document(document, ConversationFile, InputError).conversations):
        conversation = []
        for t_index, turn in enumerate(item.turns):
            line = document.line_of("conversations", c_index, "turns", t_index)
            conversation.append(_turn(turn, t_index, where(path, line), line))
        conversations.append(conversation)
    return conversations


def _turn(turn: TurnEntry, index: int, place: str, line: int | None) -> EvalQuestion:
    kind = turn.kind or (FIRST if index == 0 else None)
    if kind is None:
        raise InputError(f"{place}: a follow-up turn needs a kind, one of: {', '.join(TURN_KINDS[1:])}")
    if (kind == FIRST) != (index == 0):
        raise InputError(f"{place}: kind 'first' is for a conversation's first turn and only for it")
    gold = checked_gold(quote_list(turn.gold), turn.answerable, place, "turn")
    if not turn.answerable and kind != NOT_IN_TEXT:
        raise InputError(f"{place}: a turn with answerable: false has kind {NOT_IN_TEXT!r}")
    if turn.answerable and kind == NOT_IN_TEXT:
        raise InputError(f"{place}: kind {NOT_IN_TEXT!r} needs answerable: false")
    return EvalQuestion(turn.q, kind, gold, line)


def evaluate_conversations(
    conversations: Sequence[Sequence[EvalQuestion]], router: Any, *, path: str = "", mode: str = ""
) -> ConversationReport:
    """Ask every conversation turn by turn through ``router`` and build the report."""
    turns = []
    for c_index, conversation in enumerate(conversations):
        state = Conversation()
        for t_index, question in enumerate(conversation):
            answer = router.ask(question.question, conversation=state)
            retrieved = Retrieved(answer.answered, tuple((p.passage_id, p.text) for p in answer.passages))
            turns.append(ConversationTurnResult(c_index, t_index, score(question, retrieved), answer.read_as))
    results = [t.result for t in turns]
    first = summarize([t.result for t in turns if t.turn == 0])
    follow_ups = summarize([t.result for t in turns if t.turn > 0])
    kinds = [k for k in TURN_KINDS if any(r.question.kind == k for r in results)]
    by_kind = {kind: summarize([r for r in results if r.question.kind == kind]) for kind in kinds}
    return ConversationReport(path, mode, first, follow_ups, by_kind, tuple(turns))


def render_conversation_report(report: ConversationReport) -> str:
    """First turns and follow-ups side by side, per kind, then the misses with how they were read."""

    def cell(value: float | None) -> str:
        return "    -" if value is None else f"{value:5.2f}"

    rows = [f"{report.path}  (mode: {report.mode})", f"{'':12} {'n':>4} {'hit@1':>5} {'hit@3':>5} {'decl':>5}"]
    for name, m in [("first turns", report.first), ("follow-ups", report.follow_ups), *report.by_kind.items()]:
        n = m.answerable + m.unanswerable
        rows.append(f"{name:12} {n:>4} {cell(m.hit_at_1)} {cell(m.hit_at_3)} {cell(m.declined)}")
    misses = report.misses
    rows.append("")
    rows.append(f"misses ({len(misses)}):" if misses else "misses: none")
    for t in misses:
        r = t.result
        read = f" (read as {t.read_as!r})" if t.read_as else ""
        if r.question.answerable:
            what = "declined" if not r.answered else (f"gold at rank {r.rank}" if r.rank else "gold not shown")
            rows.append(
                f"  #{t.conversation + 1}.{t.turn + 1} [{r.question.kind}] {r.question.question!r}{read}: "
                f"{what}; first: {r.top}"
            )
        else:
            rows.append(
                f"  #{t.conversation + 1}.{t.turn + 1} [{r.question.kind}] {r.question.question!r}{read}: "
                f"answered with {r.top}"
            )
    return "\n".join(rows)
