"""When evidence holds: the time a question asks about and the time a sentence speaks of.

A news article tells a story in time: "In June 2014, ... Islamic State ... exert control over the
key border crossing" and, paragraphs later, "Controlled by the Syrian regime, it sits on one side of
the Euphrates". Both state who controls the town; the question's time decides which one answers:

- a question naming a year or a month ("in 2016", "in November 2017") asks about that time, and a
  sentence dated otherwise does not answer it (an undated one may);
- "before November 2017" / "after 2016" ask about the time before or after it;
- a present-tense question ("who controls X?", "who is ...", "now", "today") asks about now, so
  the latest evidence wins: a sentence in the present tense first, then the latest year.

A sentence's time is the dates it gives itself (the timeline's date reader), else the latest one
given before it in its paragraph (a story goes on in the time its paragraph set), else, when it
speaks in the present tense ("is", "sits", "now", "still"), now. Pure functions over text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textnorm import words

NOW = 10_000  # the year of a sentence in the present tense: later than any date
_PRESENT_MARKERS = frozenset({"today", "now", "currently", "still", "presently", "nowadays"})
_PRESENT_VERBS = frozenset({"is", "are", "am", "remains", "remain", "sits", "lies", "stands", "has", "have"})
_PAST_MARKERS = frozenset({"was", "were", "did", "had", "been", "ago", "formerly", "once", "previously"})
_BEFORE = re.compile(r"\b(?:before|until|till|prior\s+to|by)\s+$", re.IGNORECASE)
_AFTER = re.compile(r"\b(?:after|since|from)\s+$", re.IGNORECASE)
# "runs", "controls", "holds" right after the question word: a present-tense verb of the subject asked for.
_PRESENT_SUBJECT_VERB = re.compile(r"^\s*(?:who|what|which\s+\w+)\s+(?!is\b|was\b|has\b|does\b)[a-z]+[^s\W]s\b", re.I)
_QUESTION_PRESENT = re.compile(r"^\s*(?:who|what|which\s+\w+|where|how)\s+(?:is|are|does|do|has|have)\b", re.I)


@dataclass(frozen=True)
class When:
    """The time a question asks about: ``at`` (year, month or None) pairs it names, or a bound
    ``before``/``after`` (year, month or None), or ``present`` (now: the latest evidence first)."""

    at: tuple[tuple[int, int | None], ...] = ()
    before: tuple[int, int | None] | None = None
    after: tuple[int, int | None] | None = None
    present: bool = False

    @property
    def scoped(self) -> bool:
        """True when the question's time decides between sentences."""
        return bool(self.at) or self.before is not None or self.after is not None or self.present

    @property
    def years(self) -> frozenset[str]:
        """The years the question names, as text ("2016"): a condition, not words to find."""
        bounds = [b for b in (self.before, self.after) if b is not None]
        return frozenset(str(year) for year, _ in (*self.at, *bounds))


@dataclass(frozen=True)
class SentenceTime:
    """The time a sentence speaks of: ``dates`` (year, month or None) it gives itself, else
    ``inherited`` from the sentence before it in its paragraph; ``present`` when it speaks of now."""

    dates: tuple[tuple[int, int | None], ...] = ()
    inherited: tuple[int, int | None] | None = None
    present: bool = False

    @property
    def latest(self) -> int | None:
        """The latest year it speaks of (``NOW`` for the present tense), or None when undated."""
        if self.present:
            return NOW
        if self.dates:
            return max(year for year, _ in self.dates)
        return self.inherited[0] if self.inherited else None


def _dated(text: str) -> list[tuple[int, int, int, int | None]]:
    """(start, end, year, month) of the dates ``text`` states with their year; a decade or a range of
    years gives each of its years ("the 1980s": 1980 to 1989)."""
    from ..extraction.dates import find_dates  # the extractor's date reader, loaded only when needed

    found = []
    for mention in find_dates(text):
        year = mention.explicit_year
        if year is None:
            continue
        if mention.kind == "decade" and mention.decade is not None:
            found += [(mention.start, mention.end, y, None) for y in range(mention.decade, mention.decade + 10)]
            continue
        first = mention.first.year if mention.first.year_given and mention.first.year else year
        point = mention.last or mention.first
        month = point.month if point is not None and point.year_given else None
        if first < year and year - first <= 50:
            found += [(mention.start, mention.end, y, None) for y in range(first, year)]
        found.append((mention.start, mention.end, year, month))
    return found


def question_time(question: str) -> When:
    """The time ``question`` asks about (see the module docstring); ``When()`` when it names none."""
    dated = _dated(question)
    at: list[tuple[int, int | None]] = []
    before = after = None
    for start, _, year, month in dated:
        if _BEFORE.search(question[:start]):
            before = (year, month)
        elif _AFTER.search(question[:start]):
            after = (year, month)
        else:
            at.append((year, month))
    if at or before or after:
        return When(tuple(at), before, after)
    typed = set(words(question))
    present = bool(typed & _PRESENT_MARKERS) or (
        not typed & _PAST_MARKERS
        and (_QUESTION_PRESENT.search(question) is not None or _PRESENT_SUBJECT_VERB.search(question) is not None)
    )
    return When(present=present)


def without_time_bounds(question: str) -> str:
    """``question`` without the dates it bounds its time with ("Who held X before November 2017?" ->
    "Who held X?"): the time before a date is not about that date, so its words are not searched for.
    A question of nothing else is kept whole."""
    pieces, cursor = [], 0
    for start, end, _, _ in _dated(question):
        bound = _BEFORE.search(question[:start]) or _AFTER.search(question[:start])
        if bound is not None and bound.start() >= cursor:
            pieces.append(question[cursor : bound.start()])
            cursor = end
    pieces.append(question[cursor:])
    kept = " ".join("".join(pieces).split())
    return kept if words(kept) else question


def sentence_time(text: str, start: int, end: int) -> SentenceTime:
    """The time of the sentence ``text[start:end]`` (offsets into the article ``text``)."""
    own = tuple((year, month) for _, _, year, month in _dated(text[start:end]))
    typed = set(words(text[start:end]))
    if own:
        return SentenceTime(own, present=bool(typed & _PRESENT_MARKERS))
    paragraph = text.rfind("\n", 0, start) + 1
    earlier = _dated(text[paragraph:start])
    inherited = (earlier[-1][2], earlier[-1][3]) if earlier else None
    present = bool(typed & _PRESENT_MARKERS) or (inherited is None and bool(typed & _PRESENT_VERBS))
    return SentenceTime(inherited=inherited, present=present)


def _before(point: tuple[int, int | None], bound: tuple[int, int | None]) -> bool:
    year, month = point
    return year < bound[0] or (year == bound[0] and month is not None and bound[1] is not None and month < bound[1])


def _after(point: tuple[int, int | None], bound: tuple[int, int | None]) -> bool:
    year, month = point
    return year > bound[0] or (year == bound[0] and month is not None and bound[1] is not None and month > bound[1])


def fits(when: When, time: SentenceTime) -> bool:
    """False when the sentence is dated otherwise than the question asks: another year than the one
    it names (by its own dates, or the paragraph's), or not before / after its bound. An undated
    sentence fits (the text does not say it is another time)."""
    points = list(time.dates) or ([time.inherited] if time.inherited else [])
    if time.present and not time.dates:
        points = [(NOW, None)]
    if not points:
        return True
    if when.at:
        return any(
            year == y and (month is None or m is None or month == m) for year, month in when.at for y, m in points
        )
    if when.before is not None:
        return any(_before(p, when.before) for p in points)
    if when.after is not None:
        return any(_after(p, when.after) for p in points)
    return True


def rank(when: When, time: SentenceTime) -> tuple[int, int]:
    """How well a fitting sentence answers the question's time, higher first: for a named time, its
    own month and year (2), its own year (1), the paragraph's (0); for a bound, the nearest to it;
    for a present-tense question, the present tense, then the latest year (undated last)."""
    if when.at:
        matches = [(month, m) for year, month in when.at for y, m in time.dates if y == year]
        own = max((2 if month is not None and m == month else 1 for month, m in matches), default=0)
        return (own, 0)
    latest = time.latest
    if when.before is not None:
        return (0, latest if latest is not None else -NOW)
    if when.after is not None:
        return (0, -latest if latest is not None else -NOW)
    if when.present:
        return (0, latest if latest is not None else -1)
    return (0, 0)
