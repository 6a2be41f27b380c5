"""Candidate spans of one type in a sentence: numbers with their unit noun, dates, the phrase a
preposition introduces, names given with a head noun. Pure functions over text; offsets are into
the string they are given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..textnorm import STOP_WORDS
from .analysis import Analyzer
from .question_type import PREPOSITIONS

MAX_WORDS = 14  # a short answer longer than this is no short answer
PHRASE_STOPS = frozenset(
    [
        "after",
        "before",
        "and",
        "but",
        "or",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "while",
        "where",
        "because",
        "since",
        "until",
        "as",
        "than",
        "if",
        "so",
        "then",
        "though",
        "although",
    ]
)
LOCATIVE = ("at", "in", "on", "near", "from", "into", "inside", "across", "outside", "to")
NUMBER_WORDS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "dozen",
        "dozens",
    ]
)
# Words that only say how a "who" question is phrased.
TIMES_WORDS = frozenset({"once", "twice", "thrice"})
_NUMBER = re.compile(
    r"(?<![\w.,])(?:(?:up to|about|around|nearly|almost|over|more than|fewer than|less than|at least|"
    r"some|roughly|just)\s+)?(?:\d[\d,]*(?:\.\d+)?|(?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))"
    r"(?:[\s-](?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))*(?![\w])"
)
_TIMES = re.compile(r"(?<!\w)(?i:once|twice|thrice)(?!\w)")
WORD_SPAN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def is_modifier(text: str, end: int) -> bool:
    """True for a name that is the first half of a hyphenated compound ("US-backed SDF"): it
    describes what follows; the name that follows is what the sentence is about."""
    return re.match(r"-[^\W\d_]", text[end : end + 2]) is not None


def joined_to(text: str, start: int, end: int, named: Sequence[tuple[int, int]]) -> bool:
    """True for a name joined by "and", "or" or a comma to a name the question gives ("a Hezbollah and
    IRGC team" asked as "the Hezbollah team"): it is part of what the question names, not its answer."""
    for a, b in named:
        between = text[b:start] if b <= start else text[end:a] if end <= a else None
        if between is not None and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", between):
            return True
    return False


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without end punctuation a name match may carry ("IRGC." at a sentence's end), keeping
    the dots of initials ("U.S.")."""
    while (
        end > start
        and text[end - 1] in ",;:!?"
        or (end > start and text[end - 1] == "." and not re.search(r"(?:^|[^\w])(?:\w\.)+$", text[start:end]))
    ):
        end -= 1
    return start, end


class _Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def dates(text: str) -> list[_Span]:
    from ..extraction.dates import find_dates  # the extractor's date reader, loaded only when needed

    return [_Span(m.start, m.end) for m in find_dates(text)]


def numbers(text: str, question: str, times: bool) -> list[tuple[int, int]]:
    """Numbers with the words they count ("150 men", "up to five mysterious airstrikes"), and with
    ``times`` (a how-many-times question) "once"/"twice"; not inside dates, not given by the question."""
    taken = [(d.start, d.end) for d in dates(text)]
    found = []
    for match in [*_NUMBER.finditer(text), *(_TIMES.finditer(text) if times else ())]:
        a, b = match.span()
        if any(a < end and start < b for start, end in taken):
            continue
        number = match.group(0).split()[-1].casefold()
        if number in question.split() or (number.replace(",", "").isdigit() and number in question):
            continue
        if number in TIMES_WORDS:
            found.append((a, b))
            continue
        end = b
        # The unit: up to two lower-case words after the number ("men", "mysterious airstrikes").
        for word in list(WORD_SPAN.finditer(text, b))[:2]:
            gap = text[end : word.start()]
            if gap.strip() or not word.group(0).islower() or word.group(0).casefold() in STOP_WORDS | PREPOSITIONS:
                break
            end = word.end()
            if word.group(0).casefold() in {"times", "time"}:
                break
        found.append((a, end))
    return found


def phrases(text: str, preposition: str, before: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The noun phrase after each ``preposition`` in ``text`` whose word before it passes ``before``
    ("made" of "made of"), up to a comma, a clause word or another preposition."""
    found = []
    tokens = list(WORD_SPAN.finditer(text))
    for index, match in enumerate(tokens):
        if match.group(0).casefold() != preposition or index == 0:
            continue
        if not before(tokens[index - 1].group(0).casefold()):
            continue
        start = end = None
        for word in tokens[index + 1 : index + 1 + MAX_WORDS]:
            lowered = word.group(0).casefold()
            between = text[(end if end is not None else match.end()) : word.start()]
            if any(ch in between for ch in ',;:.()"“”'):
                break
            if lowered in PHRASE_STOPS or (lowered in PREPOSITIONS and start is not None):
                break
            if start is None and lowered in {"the", "a", "an"}:
                continue
            start = word.start() if start is None else start
            end = word.end()
        if start is not None and end is not None:
            found.append((start, end))
    return found


_CAPITALISED_RUN = r"[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|al-)?[A-Z][\w'’-]*)*"


def named_by_head(text: str, head: str | None, analyzer: Analyzer) -> list[tuple[int, int]]:
    """Names the sentence gives with the question's head noun: "Syrian and Iraqi **armies**" for
    "which armies", "the Iraqi town of **al-Qa'im**" for "which town" (capitalised words only)."""
    if not head:
        return []
    wanted = analyzer.stem(head)
    found = []
    for match in WORD_SPAN.finditer(text):
        if analyzer.stem(match.group(0).casefold()) != wanted:
            continue
        before = re.search(_CAPITALISED_RUN + r"\s+$", text[: match.start()])
        if before and before.group(0).strip() and not _opens_sentence(text, before.start()):
            found.append((before.start(), match.end()))
        after = re.match(r"\s+of\s+(?:the\s+)?(" + _CAPITALISED_RUN + r"|al-[\w'’-]+)", text[match.end() :])
        if after:
            found.append((match.end() + after.start(1), match.end() + after.end(1)))
    return found


def _opens_sentence(text: str, at: int) -> bool:
    """True when ``at`` is the sentence's first word (its capital says nothing)."""
    return not text[:at].strip()
