"""Split an article into passages with stable ids and offsets.

The article's blocks (numbered body paragraphs and the caption, front matter and credits handled)
come from :mod:`bot.layout` at load time. Very short paragraphs join a neighbour; long ones become
overlapping sentence windows.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import PassageSettings
from .knowledge import Article
from .layout import BODY, CAPTION, Block, Sentence, split_sentences

__all__ = ["BODY", "CAPTION", "Block", "Passage", "Sentence", "build_passages", "split_blocks", "split_sentences"]


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


def split_blocks(article: Article) -> list[Block]:
    """Body paragraphs (numbered) and the caption: the blocks the reader and layout found once at load."""
    return list(article.blocks)


def build_passages(article: Article, settings: PassageSettings) -> list[Passage]:
    """Passages for one article, in reading order."""
    blocks = article.blocks
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
