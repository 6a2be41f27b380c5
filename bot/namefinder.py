"""Every name of every actor found in a text in one pass: an Aho-Corasick automaton (pyahocorasick).

One regex per name (:func:`bot.actors.alias_pattern`) run over every passage made the index build
grow with names x passages; the automaton reads each text once, whatever the number of names
(Aho & Corasick, "Efficient string matching", CACM 1975). pyahocorasick is the well-kept C
implementation; measured against one alternation regex of all names, it was the faster to build
and to run (see benchmarks/bench_names.py).

The matches are those of :func:`bot.actors.alias_pattern`: any case (acronyms only in capitals, so
"us" is not the US), any quote style for an apostrophe or none ("Kata'ib", "Kataib"), spaces,
hyphens and dashes alike ("Iran-Iraq"), dotted acronyms ("U.S."), a leading "al-"/"the" optional
("Tanf" for al-Tanf), whole words only. The text is mapped one character to one character into a
canonical form (lower case, one kind of apostrophe, a space for every separator) so offsets stay
true; each name enters the automaton in the variants its regex accepts. Overlaps are settled as
:func:`bot.actors.find_mentions` always did: longer names first, then the earlier, then the first
group, so "Kata'ib Hezbollah" is not also Hezbollah.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
import weakref
from collections.abc import Sequence
from functools import lru_cache

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick ships no type stubs

from .textnorm import fold

APOSTROPHES = "'\u2018\u2019\u02bc\u02be`\u00b4"
# What \s matches in Python's re, plus the hyphen and dashes alias_pattern treats as a separator.
SEPARATORS = (
    " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000-\u2010\u2011\u2012\u2013\u2014\u2015"
)
_CANON = str.maketrans({**{ch: "'" for ch in APOSTROPHES}, **{ch: " " for ch in SEPARATORS}})
_PARTICLE = re.compile(r"(?i)(al|el|the)[ -](?=\w)")
MAX_VARIANTS = 32  # apostrophes and dots are optional: 2^n spellings (all for a 5-letter acronym)

Span = tuple[int, int, int]  # start, end (offsets in the text), group index


def is_acronym(name: str) -> bool:
    """ "US", "IS", "U.S.", "IRGC": matched case-sensitively so "us" and "is" are not mentions."""
    letters = [ch for ch in name if ch.isalpha()]
    return 0 < len(letters) <= 5 and all(ch.isupper() for ch in letters)


def _lower(text: str) -> str:
    """Lower case, one character for one (a character whose lower case is longer stays as it is)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _collapse(text: str) -> tuple[str, list[int] | None]:
    """Runs of spaces as one space, with each kept character's index (None when nothing changed)."""
    if "  " not in text:
        return text, None
    kept: list[int] = []
    chars: list[str] = []
    for index, ch in enumerate(text):
        if ch == " " and chars and chars[-1] == " ":
            continue
        chars.append(ch)
        kept.append(index)
    return "".join(chars), kept


@lru_cache(maxsize=1 << 16)  # the same names come from many articles and feed two finders per index
def _spellings(name: str) -> tuple[tuple[str, bool], ...]:
    """(canonical spelling with case kept, acronym?) for every way the text may write ``name``."""
    folded = fold(name).strip()
    acronym = is_acronym(name)
    bodies = [folded]
    particle = _PARTICLE.match(folded)
    if particle:
        bodies = [folded, folded[particle.end() :]]
    variants: list[str] = []
    for body in bodies:
        body, _ = _collapse(body.translate(_CANON))
        if acronym:
            bare = body.replace(".", "")
            # Every letter may carry a dot ("U.S.", "U.S", "US."): the regex reads the full stop after
            # "the US." as part of the name, so the spans agree only with every combination.
            dotted = "".join(ch + "." if ch.isalpha() else ch for ch in bare)
            for form in _optional(dotted, "."):
                variants.extend(_optional(form, "'"))
        else:
            for form in _optional(body, "."):
                variants.extend(_optional(form, "'"))
    return tuple((variant, acronym) for variant in dict.fromkeys(variants) if variant.strip())


def _optional(text: str, char: str) -> list[str]:
    """``text`` with each ``char`` kept or dropped (all combinations, at most MAX_VARIANTS)."""
    pieces = text.split(char)
    if len(pieces) == 1:
        return [text]
    out = []
    for choice in itertools.islice(itertools.product((char, ""), repeat=len(pieces) - 1), MAX_VARIANTS):
        out.append(pieces[0] + "".join(sep + piece for sep, piece in zip(choice, pieces[1:], strict=True)))
    return out


class _Automaton:
    """One automaton over every spelling of a list of distinct name groups; built once, then only read.

    pyahocorasick's iterators keep their own position and state and only read the automaton (its
    C code checks a version counter that only adding words changes), so threads share it safely.
    """

    def __init__(self, groups: Sequence[tuple[str, ...]]) -> None:
        self.index = {group: position for position, group in enumerate(groups)}  # group -> its position
        entries: dict[str, list[tuple[int, str | None]]] = {}
        for group_index, names in enumerate(groups):
            for name in names:
                for spelling, acronym in _spellings(name):
                    bucket = entries.setdefault(_lower(spelling), [])
                    entry = (group_index, spelling if acronym else None)
                    if entry not in bucket:
                        bucket.append(entry)
        self.automaton: ahocorasick.Automaton | None = None
        if entries:
            automaton = ahocorasick.Automaton()
            for key, bucket in entries.items():
                automaton.add_word(key, (len(key), tuple(bucket)))
            automaton.make_automaton()
            self.automaton = automaton


# Automata alive in this process, so the three users of one index's names (entity tokens, short
# answers, follow-ups) share one instead of building three (0.2-0.4 s each at 2,000 articles).
# Weak references: an automaton lives as long as a NameFinder uses it, and a reload's new names
# build a new one.
_shared: list[weakref.ref[_Automaton]] = []
_shared_lock = threading.Lock()


def _cleaned(name_groups: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Each group as a tuple of its names that hold more than white space (the others never match)."""
    return [
        names if type(names) is tuple and all(map(str.strip, names)) else tuple(n for n in names if n.strip())
        for names in name_groups
    ]


def _first_positions(core: _Automaton, groups: list[tuple[str, ...]]) -> list[int]:
    """Automaton group -> the position of the first of ``groups`` that is that group (-1: none is);
    KeyError when a group is not in the automaton.

    The first, because a name shared by two groups has always gone to the first: the finder built
    over these groups alone gives the same spans (see tests/test_namefinder.py).
    """
    index = core.index
    own = [-1] * len(index)
    for position, group in enumerate(groups):
        if group:
            at = index[group]
            if own[at] < 0:
                own[at] = position
    return own


class NameFinder:
    """Finds the names of groups of names (one group per actor) in texts; built once, then only read."""

    def __init__(self, name_groups: Sequence[Sequence[str]]) -> None:
        groups = _cleaned(name_groups)
        # A group repeated (the same actor drafted in many articles) enters the automaton once.
        self._core = _Automaton(list(dict.fromkeys(group for group in groups if group)))
        self._own = _first_positions(self._core, groups)

    @classmethod
    def shared(cls, name_groups: Sequence[Sequence[str]]) -> NameFinder:
        """A finder of ``name_groups`` that finds what ``NameFinder(name_groups)`` finds, on the automaton of
        a live finder whose groups include all of these when there is one (else a new one, shared from now).

        Safe from many threads: the search and a build run under one lock, so two callers with the
        same names build it once.
        """
        groups = _cleaned(name_groups)
        finder = cls.__new__(cls)
        with _shared_lock:
            live = [core for ref in _shared if (core := ref()) is not None]
            for core in live:
                try:
                    finder._own = _first_positions(core, groups)
                except KeyError:
                    continue
                finder._core = core
                break
            else:
                finder._core = _Automaton(list(dict.fromkeys(group for group in groups if group)))
                finder._own = _first_positions(finder._core, groups)
                live.append(finder._core)
            _shared[:] = [weakref.ref(c) for c in live]
        return finder

    def find(self, text: str) -> list[Span]:
        """(start, end, group) of every name in ``text``, non-overlapping, in text order.

        Longer matches win overlaps, then earlier ones, then the lower group index.
        """
        automaton = self._core.automaton
        if automaton is None or not text:
            return []
        own = self._own
        cased, positions = _collapse(text.translate(_CANON))
        canonical = _lower(cased)
        size = len(canonical)
        candidates: list[Span] = []
        for last, (length, bucket) in automaton.iter(canonical):
            first = last - length + 1
            if (first > 0 and canonical[first - 1].isalnum()) or (last + 1 < size and canonical[last + 1].isalnum()):
                continue
            start = positions[first] if positions else first
            end = (positions[last] if positions else last) + 1
            for group, exact in bucket:
                mine = own[group]
                if mine >= 0 and (exact is None or cased[first : last + 1] == exact):
                    candidates.append((start, end, mine))
        return longest_first(candidates)


def longest_first(candidates: list[Span]) -> list[Span]:
    """The non-overlapping spans, longer ones first, then earlier, then lower group; in text order.

    The spans taken so far never overlap, so sorted by start their ends are sorted too, and a span
    overlaps one of them exactly when the last one starting before its end reaches past its start:
    one binary search per candidate instead of a scan of every span taken (an article's ~200 names
    made the scan the slowest part of a warm start).
    """
    candidates.sort(key=lambda s: (s[0] - s[1], s[0], s[2]))
    starts: list[int] = []
    ends: list[int] = []
    taken: list[Span] = []
    for span in candidates:
        start, end, _ = span
        before = bisect.bisect_left(starts, end)
        if before and ends[before - 1] > start:
            continue
        starts.insert(before, start)
        ends.insert(before, end)
        taken.append(span)
    taken.sort()
    return taken
