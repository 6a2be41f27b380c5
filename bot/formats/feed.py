"""The stories of a news feed: RSS 2.0, RSS 1.0 (RDF) and Atom, saved as .rss, .atom or .xml.

Standard library only (:mod:`xml.etree.ElementTree`: expat never fetches external entities and
refuses entity bombs). Elements are matched by local name, so every namespace and version reads
alike. Each item's body is its ``content:encoded`` or Atom ``content``, else its ``description`` or
``summary``, read as a web page (:func:`bot.formats.webpage.parse_page`) because feeds carry HTML.

A feed of one item is that item's article: its title, its paragraphs, its date, author and link as
metadata. A feed of several items is still one article (one file is one article: its name is the
id that ``.meta.yaml`` and curated files hang on), titled by the channel: each item's title is a
heading (in the text, not cited) followed by its paragraphs, so every story can be asked about and
each answer cites the feed. :data:`MAX_ITEMS` bounds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from ..errors import KnowledgeError
from .webpage import parse_page

MAX_ITEMS = 200
FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_ROOT = re.compile(rb"<(?:[\w.-]+:)?(rss|feed|RDF)[\s>]")


@dataclass
class Feed:
    """Title, blocks ``(is_paragraph, text)`` and metadata of the article a feed becomes."""

    title: str | None
    blocks: list[tuple[bool, str]]
    metadata: dict[str, str] = field(default_factory=dict)
    items: int = 0


def looks_like_feed(raw: bytes) -> bool:
    """True when the first element of ``raw`` (after the XML declaration) is rss, feed or rdf:RDF."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    first = re.search(rb"<(?![?!])", head)
    return first is not None and _ROOT.match(head, first.start()) is not None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ElementTree.Element, *names: str) -> ElementTree.Element | None:
    for name in names:
        for child in element:
            if _local(child.tag) == name:
                return child
    return None


def _text(element: ElementTree.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def read_feed(root: ElementTree.Element) -> Feed:
    """The article of a parsed feed; raises KnowledgeError when it holds no item with text."""
    channel = _child(root, "channel") if _local(root.tag) in ("rss", "RDF") else root
    channel = channel if channel is not None else root
    items = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
    if not items:
        raise KnowledgeError("a news feed with no items; save the story itself (.html or .txt)")
    if len(items) > MAX_ITEMS:
        raise KnowledgeError(f"a news feed of {len(items)} items (over {MAX_ITEMS}); save each story as its own file")
    stories = [_story(item) for item in items]
    if len(stories) == 1:
        title, blocks, metadata = stories[0]
        return Feed(title, blocks, metadata, 1)
    blocks: list[tuple[bool, str]] = []
    for title, story_blocks, _ in stories:
        if title:
            blocks.append((False, title))
        blocks.extend(story_blocks)
    return Feed(_text(_child(channel, "title")) or None, blocks, {}, len(stories))


def _story(item: ElementTree.Element) -> tuple[str, list[tuple[bool, str]], dict[str, str]]:
    body = _child(item, "encoded", "content")
    if body is None or not _text(body):
        body = _child(item, "description", "summary")
    html = ""
    if body is not None and len(body):  # Atom type="xhtml": the markup is inline XML
        html = "".join(ElementTree.tostring(child, encoding="unicode") for child in body)
    elif body is not None:
        html = body.text or ""
    _, blocks = parse_page(html).article() if html.strip() else (None, [])
    metadata: dict[str, str] = {}
    date = _text(_child(item, "pubDate", "published", "updated", "date"))
    if date:
        metadata["published"] = _iso_date(date)
    author = _child(item, "author", "creator")
    if author is not None:
        name = _child(author, "name")
        metadata["byline"] = _text(name if name is not None else author)
    link = _child(item, "link")
    if link is not None:
        metadata["url"] = link.get("href") or _text(link)
    return _text(_child(item, "title")), [(is_paragraph, text) for is_paragraph, text in blocks], metadata


def _iso_date(value: str) -> str:
    """RSS dates are RFC 822 ("Thu, 04 Mar 2021 08:00:00 +0000"), Atom's ISO 8601: both as ISO."""
    try:
        from email.utils import parsedate_to_datetime  # the e-mail package costs 20 ms to import: only for feeds

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return value
