"""An article's paragraphs as a reader counts them: numbered body paragraphs and the photo caption.

Input is the reader's documented text and paragraph spans (:mod:`bot.reader`). Front matter that
repeats later (a pull-quote, a caption's alt text) is dropped so no answer shows the same text
twice, photo credits are cut off captions, and a line that was only a credit disappears. Body
paragraphs are numbered from 1; the caption is paragraph 0. Each block is split into sentences
with absolute offsets into the documented text.

The repeat check is linear: exact repeats (same normalised text) are found by hashing, and only the
first :data:`FRONT_MATTER_LINES` lines, where pull-quotes and captions sit, are compared word by
word with the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from .textnorm import normalize_for_match, words

CAPTION = "caption"
BODY = "body"
FRONT_MATTER_LINES = 4
DUPLICATE_OVERLAP = 0.8  # Jaccard overlap of word sets at which a front-matter line is a repeat

_CREDIT = re.compile(r"\s*\((?:photo|image|picture|video)?\s*credits?\s*:[^)]*\)\s*$", re.IGNORECASE)
_HAS_WORD = re.compile(r"[^\W_]")
# A sentence ends at . ! ? (or an ellipsis), maybe followed by closing quotes/brackets, then space and
# something that starts a sentence. "hidden... on June 30" does not end one: lower case follows.
_SENTENCE_END = re.compile(r"""(?:[.!?]|\.\.\.|…)["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_ABBREVIATIONS = (
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "St.",
    "Gen.",
    "Col.",
    "Lt.",
    "Sgt.",
    "Capt.",
    "Sen.",
    "Rep.",
    "U.S.",
    "U.N.",
    "U.K.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
    "No.",
    "vs.",
)


class Sentence(msgspec.Struct, frozen=True, array_like=True):
    """One sentence: its paragraph, its number inside the paragraph and its offsets in the article.

    A msgspec Struct, kept on disk as ``[paragraph, number, start, end]``: a warm start at 2,000
    articles decodes 136,000 of them straight from the snapshot (in C), instead of building each in Python.
    """

    paragraph: int
    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """A paragraph of the article after front-matter handling."""

    kind: str
    paragraph: int  # 1.. for body paragraphs, 0 for the caption
    start: int
    end: int
    sentences: tuple[Sentence, ...]


def split_sentences(text: str, start: int, end: int, paragraph: int) -> tuple[Sentence, ...]:
    """Sentences of ``text[start:end]`` with absolute offsets."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start() + len(match.group(0).rstrip())
        if text[cursor:stop].endswith(_ABBREVIATIONS):  # str.endswith takes the tuple: one C call
            continue
        spans.append((cursor, stop))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return tuple(Sentence(paragraph, number, a, b) for number, (a, b) in enumerate(spans, start=1))


def split_blocks(text: str, paragraphs: Sequence[tuple[int, int]]) -> tuple[Block, ...]:
    """Body paragraphs (numbered) and the caption of ``text``, from the reader's paragraph spans."""
    lines: list[tuple[int, int, bool]] = []  # start, end, had a photo credit
    for start, end in paragraphs:
        credit = _CREDIT.search(text, start, end)
        if credit is not None:
            end = credit.start()
        if _HAS_WORD.search(text, start, end):  # a line that was only "(Photo credit: Staff)" is gone
            lines.append((start, end, credit is not None))

    captions = {i for i, (_, _, credit) in enumerate(lines) if credit}
    dropped: set[int] = set()
    for i, j in _repeat_candidates(text, lines):
        if i in dropped or j in dropped:
            continue
        # A caption keeps its first (credit-stripped) copy; any other repeat keeps the body copy.
        if i in captions or j in captions:
            captions.update((i, j))
            dropped.add(j)
        else:
            dropped.add(i)

    blocks: list[Block] = []
    paragraph = 0
    for i, (start, end, _) in enumerate(lines):
        if i in dropped:
            continue
        if i in captions:
            blocks.append(Block(CAPTION, 0, start, end, split_sentences(text, start, end, 0)))
        else:
            paragraph += 1
            blocks.append(Block(BODY, paragraph, start, end, split_sentences(text, start, end, paragraph)))
    return tuple(blocks)


def _repeat_candidates(text: str, lines: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of lines that repeat each other, in the order they should be resolved."""
    keys = [normalize_for_match(text[a:b]) for a, b, _ in lines]
    pairs: set[tuple[int, int]] = set()
    last_seen: dict[str, int] = {}
    for j, key in enumerate(keys):
        if key in last_seen:
            pairs.add((last_seen[key], j))
        last_seen[key] = j
    front = range(min(FRONT_MATTER_LINES, len(lines)))
    bags = [set(words(key)) for key in keys] if front else []
    for i in front:
        for j in range(i + 1, len(lines)):
            if keys[i] != keys[j] and _is_near_repeat(keys[i], keys[j], bags[i], bags[j]):
                pairs.add((i, j))
    return sorted(pairs)


def _is_near_repeat(a: str, b: str, bag_a: set[str], bag_b: set[str]) -> bool:
    if a.startswith(b) or b.startswith(a):
        return True
    if not bag_a or not bag_b:
        return False
    return len(bag_a & bag_b) / len(bag_a | bag_b) >= DUPLICATE_OVERLAP
