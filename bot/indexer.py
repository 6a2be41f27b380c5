"""Split an article into passages with stable ids and offsets.

An article is a title line, optional front matter (a pull-quote, a photo caption and its alt
text) and body paragraphs, one per line. Body paragraphs are numbered from 1 as a reader counts
them; front matter that repeats elsewhere is dropped so no answer shows the same text twice, and
photo credits are cut off captions. Very short paragraphs join a neighbour; long ones become
overlapping sentence windows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import PassageSettings
from .knowledge import Article
from .textnorm import normalize_for_match, words

CAPTION = "caption"
BODY = "body"

_CREDIT = re.compile(r"\s*\((?:photo|image|picture|video)?\s*credits?\s*:[^)]*\)\s*$", re.IGNORECASE)
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
DUPLICATE_OVERLAP = 0.8


@dataclass(frozen=True)
class Sentence:
    """One sentence: its paragraph, its number inside the paragraph and its offsets in the article."""

    paragraph: int
    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """A line of the article after front-matter handling."""

    kind: str
    paragraph: int  # 1.. for body paragraphs, 0 for the caption
    start: int
    end: int
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Passage:
    """A retrievable unit: consecutive sentences of one article, verbatim."""

    id: str
    article_id: str
    kind: str
    sentences: tuple[Sentence, ...]
    start: int
    end: int
    text: str

    @property
    def paragraphs(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(s.paragraph for s in self.sentences))


def split_sentences(text: str, start: int, end: int, paragraph: int) -> tuple[Sentence, ...]:
    """Sentences of ``text[start:end]`` with absolute offsets."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start() + len(match.group(0).rstrip())
        if any(text[cursor:stop].endswith(abbr) for abbr in _ABBREVIATIONS):
            continue
        spans.append((cursor, stop))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return tuple(Sentence(paragraph, number, a, b) for number, (a, b) in enumerate(spans, start=1))


def split_blocks(article: Article) -> list[Block]:
    """Body paragraphs (numbered) and the caption, front-matter duplicates and credits removed."""
    text = article.text
    lines: list[tuple[int, int, bool]] = []  # start, end, had a photo credit
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped)
            end = start + len(stripped)
            credit = _CREDIT.search(text, start, end)
            if credit is not None:
                end = credit.start()
            lines.append((start, end, credit is not None))
        offset += len(raw) + 1
    lines = lines[1:]  # the first line is the title

    keys = [normalize_for_match(text[a:b]) for a, b, _ in lines]
    bags = [set(words(key)) for key in keys]
    captions = {i for i, (_, _, credit) in enumerate(lines) if credit}
    dropped: set[int] = set()
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if i in dropped or j in dropped or not _is_duplicate(keys[i], keys[j], bags[i], bags[j]):
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
    return blocks


def _is_duplicate(a: str, b: str, bag_a: set[str], bag_b: set[str]) -> bool:
    if a.startswith(b) or b.startswith(a):
        return True
    if not bag_a or not bag_b:
        return False
    return len(bag_a & bag_b) / len(bag_a | bag_b) >= DUPLICATE_OVERLAP


def build_passages(article: Article, settings: PassageSettings) -> list[Passage]:
    """Passages for one article, in reading order."""
    blocks = split_blocks(article)
    groups = _join_short_paragraphs([b for b in blocks if b.kind == BODY], settings.min_words, article.text)
    passages = [_passage(article, CAPTION, b.sentences) for b in blocks if b.kind == CAPTION]
    for group in groups:
        sentences = tuple(s for block in group for s in block.sentences)
        for window in _windows(sentences, settings, article.text):
            passages.append(_passage(article, BODY, window))
    return passages


def _word_count(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _join_short_paragraphs(blocks: list[Block], min_words: int, text: str) -> list[list[Block]]:
    """Paragraphs under ``min_words`` words join the next paragraph (the previous one at the end)."""
    groups: list[list[Block]] = []
    pending: list[Block] = []
    for block in blocks:
        pending.append(block)
        if _word_count(text, block.start, block.end) >= min_words:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    return groups


def _windows(sentences: tuple[Sentence, ...], settings: PassageSettings, text: str) -> list[tuple[Sentence, ...]]:
    total = _word_count(text, sentences[0].start, sentences[-1].end)
    size = settings.window_sentences
    if total <= settings.max_words or len(sentences) <= size:
        return [sentences]
    step = max(1, size - settings.overlap_sentences)
    windows = []
    for first in range(0, len(sentences), step):
        windows.append(sentences[first : first + size])
        if first + size >= len(sentences):
            break
    return windows


def overlaps(a: Passage, b: Passage) -> bool:
    """True when two passages of the same article share text."""
    return a.article_id == b.article_id and a.start < b.end and b.start < a.end


def merge_passages(article: Article, passages: list[Passage]) -> Passage:
    """One passage spanning the sentences of overlapping ``passages`` (windows of one paragraph group).

    Overlapping windows cover a contiguous run of sentences, so the union is still a verbatim span
    of the article with its own id and offsets.
    """
    if len(passages) == 1:
        return passages[0]
    by_start = {s.start: s for p in passages for s in p.sentences}
    sentences = tuple(by_start[start] for start in sorted(by_start))
    return _passage(article, passages[0].kind, sentences)


def _passage(article: Article, kind: str, sentences: tuple[Sentence, ...]) -> Passage:
    first, last = sentences[0], sentences[-1]
    label = f"{first.paragraph}.{first.number}-{last.paragraph}.{last.number}"
    return Passage(
        id=f"{article.id}:{label}",
        article_id=article.id,
        kind=kind,
        sentences=sentences,
        start=first.start,
        end=last.end,
        text=article.text[first.start : last.end],
    )
