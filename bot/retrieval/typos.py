"""Typo tolerance: an unknown question word read as the article word one or two edits away.

:class:`TypoIndex` keeps the candidates by first letter and length, so a question word is compared
only with words that could be one or two edits away (same first letter, length within the edits
allowed) instead of with the whole vocabulary; the distance is rapidfuzz's optimal string alignment
(C code, the same distance as :func:`edit_distance`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz.distance import OSA

TYPO_MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
TYPO_LONG_WORD = 8  # from this length on, two edits are allowed


def nearest_word(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate one edit away (two for words of ``TYPO_LONG_WORD`` letters or more) with the same
    first letter, the closest first and the earliest on a tie; None when there is none or ``word`` is
    short or a number."""
    if len(word) < TYPO_MIN_LENGTH or word.isdigit():
        return None
    allowed = 1 if len(word) < TYPO_LONG_WORD else 2
    best: tuple[int, str] | None = None
    for candidate in candidates:
        if candidate[0] != word[0] or abs(len(candidate) - len(word)) > allowed:
            continue
        distance = edit_distance(word, candidate, allowed)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


class TypoIndex:
    """Candidate words by (first letter, length); read-only after construction."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self._buckets: dict[tuple[str, int], list[str]] = {}
        for word in sorted(set(candidates)):
            if word:
                self._buckets.setdefault((word[0], len(word)), []).append(word)

    def nearest(self, word: str) -> str | None:
        """What :func:`nearest_word` returns for these candidates: the closest, then the alphabetically first."""
        if len(word) < TYPO_MIN_LENGTH or word.isdigit():
            return None
        allowed = 1 if len(word) < TYPO_LONG_WORD else 2
        best: tuple[int, str] | None = None
        for length in range(len(word) - allowed, len(word) + allowed + 1):
            for candidate in self._buckets.get((word[0], length), ()):
                distance = OSA.distance(word, candidate, score_cutoff=allowed)
                if distance <= allowed and (best is None or (distance, candidate) < best):
                    best = (distance, candidate)
        return best[1] if best else None


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
