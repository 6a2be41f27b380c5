"""Draft timeline entries: one per date found, quoting its sentence and naming its actors."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Any

from ..actors import find_mentions
from ..knowledge import Article
from ..layout import Block
from .dates import FROM_ARTICLE, FROM_PUBLICATION, FROM_TEXT, DateMention, find_dates, infer_years_in_paragraphs
from .names import _clip

# Said in the drafted event, for the reviewer: a year the text does not give was assumed.
YEAR_NOTES = {
    FROM_PUBLICATION: " [year not in the text: taken from the publication date]",
    FROM_ARTICLE: " [year not in the text: taken from an earlier paragraph]",
}


def extract_events(article: Article, blocks: list[Block], actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Draft timeline entries (the curated file's format): one per date, quoting its sentence."""
    text = article.text
    mentions: list[tuple[int, DateMention]] = []
    sentences = [(block.paragraph, s.start, s.end) for block in blocks for s in block.sentences]
    for block in blocks:
        for mention in find_dates(text, block.start, block.end):
            mentions.append((block.paragraph, mention))
    dated = infer_years_in_paragraphs([m for _, m in mentions], article.published, [p for p, _ in mentions])
    paragraph_of = {id(m): p for p, m in mentions}
    segments = [(p, a, text[a:b]) for p, a, b in sentences]
    actor_mentions = find_mentions(segments, [[a["name"], *a["aliases"]] for a in actors])

    # Sentences and mentions are in text order: find the ones of a date by bisection, not by scanning.
    sentence_starts = [a for _, a, _ in sentences]
    mention_starts = [m.start for m in actor_mentions]

    entries: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    ids: Counter[str] = Counter()
    for mention, normalised, source in dated:
        paragraph = paragraph_of[id(mention)]
        _, start, end = sentences[bisect_right(sentence_starts, mention.start) - 1]
        if (normalised, paragraph, start) in seen:
            continue
        seen.add((normalised, paragraph, start))
        first, last = bisect_left(mention_starts, start), bisect_left(mention_starts, end)
        involved = [actors[m.actor]["name"] for m in actor_mentions[first:last]]
        slug = normalised.replace("/", "-to-")
        ids[slug] += 1
        entries.append(
            {
                "id": f"{slug}-p{paragraph}" + (f"-{ids[slug]}" if ids[slug] > 1 else ""),
                "date": normalised,
                "year_inferred": source != FROM_TEXT,
                "event": _clip(text[start:end]) + YEAR_NOTES.get(source, ""),
                "actors": list(dict.fromkeys(involved)),
                "paragraph": paragraph,
                "quote": " ".join(text[start:end].split()),  # one line even where the file wraps
            }
        )
    return entries
