"""The article in a saved web page (.html, .htm, .xhtml): its title, headings and paragraphs.

Standard library only (:class:`html.parser.HTMLParser`, which never fails on broken markup). The
page's chrome is dropped: ``script``, ``style``, ``nav``, ``aside``, ``form``, ``footer`` and a
``header`` outside the article, anything marked ``hidden``, ARIA landmarks of chrome
(``navigation``, ``banner``, ``contentinfo``, ...) and elements whose class or id starts with a
word sites use for theirs ("share-bar", "related", "cookie-banner", "comments", "ad-slot").
When the page has an ``<article>`` (else a ``<main>``), only the text inside it is kept, so
related links and comments stay out.

Blocks are the text between block-level tags (``<p>``, ``<li>``, ``<blockquote>``, ``<div>``,
...); white space runs become one space as a browser shows them; ``<br>`` is a line break inside
a paragraph and two in a row end it; entities are decoded. The title is the first ``<h1>``, else
``og:title``, else ``<title>``; ``<h2>``-``<h6>`` are headings (in the text, not cited).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_DROPPED = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "nav", "aside", "form", "button", "select",
    "textarea", "iframe", "object", "canvas", "dialog", "footer",
})  # fmt: skip
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
})  # fmt: skip
_BLOCKS = frozenset({
    "p", "div", "li", "blockquote", "dd", "dt", "figcaption", "pre", "section", "article", "main", "header",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "tr", "td", "th", "caption", "address",
    "details", "summary", "hr", "body", "center",
})  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# ARIA landmark roles of a page's chrome, and the class or id words sites give theirs (a token that
# starts with one: "share-bar", "related-links", "cookie-banner"); never applied to the article itself.
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu"})
_CHROME_WORD = re.compile(
    r"(?:cookie|consent|newsletter|related|share|sharing|social|comments?|promo|advert|ads?|subscribe|"
    r"breadcrumbs?|sidebar|popup|modal|paywall|sponsored)(?:$|[-_])",
    re.I,
)
_NEVER_DROPPED = frozenset({"html", "body", "article", "main"})
# Browsers stop nesting deeper too; past this, tags are read as text containers only, which keeps
# a hostile page (50,000 nested <div>s, stray end tags) linear.
MAX_DEPTH = 256
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; a no-break space is text
_BREAK = "\x00"  # a <br> until the block is finished
_CONTENT = ("article", "main")  # the first of these the page has holds the article


@dataclass
class _Block:
    text: str
    heading: str | None  # "h1".."h6", or None for a paragraph
    within: frozenset[str]  # which of _CONTENT it sits inside


@dataclass
class WebPage:
    """What a page holds: title candidates, blocks in reading order and metadata from ``<meta>``."""

    title_tag: str = ""
    og_title: str = ""
    blocks: list[_Block] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    json_ld: list[str] = field(default_factory=list)  # each <script type="application/ld+json">, as written

    def article(self) -> tuple[str | None, list[tuple[bool, str]]]:
        """(title, [(is_paragraph, text)]): the blocks of the article element if any, else all."""
        blocks = self.blocks
        for container in _CONTENT:
            inside = [block for block in blocks if container in block.within]
            if any(block.heading is None for block in inside):
                blocks = inside
                break
        # The headline may sit just outside <article> (in <main>'s own header).
        title = next((block for block in self.blocks if block.heading == "h1"), None)
        kept = [(block.heading is None, block.text) for block in blocks if block is not title]
        if title is not None:
            return title.text, kept
        return self.og_title or self.title_tag or None, kept


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = WebPage()
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, dropped)
        self._dropped = 0  # how many open elements are dropped
        self._counts: dict[str, int] = {}  # open elements of _CONTENT, _HEADINGS and "pre", by tag
        self._headings: list[str] = []  # the open headings, innermost last
        self._buffer: list[str] = []
        self._in_title = False
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            self._meta(values)
            return
        if tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
            self._in_json_ld = True
            self.page.json_ld.append("")
        if tag == "br":
            self._buffer.append(_BREAK)
            return
        if tag in _VOID:
            if tag == "hr":
                self._flush()
            return
        dropped = (
            tag in _DROPPED or "hidden" in values or values.get("aria-hidden") == "true" or _is_chrome(tag, values)
        )
        if tag == "header" and not any(self._counts.get(t) for t in _CONTENT):
            dropped = True  # the site's masthead; an article's own <header> holds its headline
        if tag in _BLOCKS:
            self._flush()
        if tag == "title":
            self._in_title = True
        if len(self._open) >= MAX_DEPTH:
            return
        self._open.append((tag, dropped))
        self._dropped += dropped
        self._counts[tag] = self._counts.get(tag, 0) + 1
        if tag in _HEADINGS:
            self._headings.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "script":
            self._in_json_ld = False
        if tag in _VOID or not self._counts.get(tag):
            if tag in _BLOCKS:
                self._flush()
            return
        if tag in _BLOCKS:
            self._flush()
        # Close up to the matching element; HTML often leaves <p> and <li> unclosed.
        while self._open:
            closed, dropped = self._open.pop()
            self._dropped -= dropped
            self._counts[closed] -= 1
            if closed in _HEADINGS:
                self._headings.pop()
            if closed == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.page.json_ld[-1] += data
            return
        if self._in_title:
            self.page.title_tag += data
            return
        if self._dropped:
            return
        if self._counts.get("pre"):
            self._buffer.append(data.replace("\n", _BREAK))
        else:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        self.page.title_tag = _SPACE.sub(" ", self.page.title_tag).strip()

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or "").lower()
        content = _SPACE.sub(" ", values.get("content", "")).strip()
        if not content:
            return
        if key in ("og:title", "twitter:title") and not self.page.og_title:
            self.page.og_title = content
        elif key in ("article:published_time", "date", "pubdate", "dc.date", "publishdate"):
            self.page.metadata.setdefault("published", content)
        elif key in ("author", "article:author", "dc.creator") and not content.startswith("http"):
            self.page.metadata.setdefault("byline", content)
        elif key == "og:url":
            self.page.metadata.setdefault("url", content)

    def _flush(self) -> None:
        raw = "".join(self._buffer)
        self._buffer.clear()
        if not raw:
            return
        heading = self._headings[-1] if self._headings else None
        within = frozenset(tag for tag in _CONTENT if self._counts.get(tag))
        # Two or more line breaks in a row end a paragraph (pages laid out with <br><br>).
        for chunk in re.split(rf"{_BREAK}[ \t\n\r\f]*{_BREAK}[{_BREAK} \t\n\r\f]*", raw):
            lines = [_SPACE.sub(" ", line).strip() for line in chunk.split(_BREAK)]
            text = "\n".join(line for line in lines if line)
            if text:
                self.page.blocks.append(_Block(text, heading, within))


def _is_chrome(tag: str, values: dict[str, str]) -> bool:
    if tag in _NEVER_DROPPED:
        return False
    if values.get("role", "").lower() in _DROPPED_ROLES:
        return True
    names = (values.get("class", "") + " " + values.get("id", "")).split()
    return any(_CHROME_WORD.match(name) for name in names)


def parse_page(html: str) -> WebPage:
    """Parse ``html`` (any quality: unclosed and misnested tags are fine); never raises."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


# What browsers do with a declaration (WHATWG Encoding): Latin-1 and ASCII pages are decoded as
# Windows-1252, and a UTF-16 or UTF-32 declaration inside the bytes it describes is ignored.
# Labels browsers know that Python's codecs do not (or read otherwise) map to the codec browsers use.
_CHARSET_LABELS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                   "ascii": "cp1252", "utf-16": None, "utf-16le": None, "utf-16be": None, "utf-32": None,
                   "x-mac-roman": "mac_roman", "macintosh": "mac_roman", "mac": "mac_roman",
                   "x-mac-cyrillic": "mac_cyrillic", "x-mac-ukrainian": "mac_cyrillic", "x-sjis": "shift_jis",
                   "windows-31j": "cp932", "ms_kanji": "cp932", "gb2312": "gbk", "x-gbk": "gbk",
                   "ks_c_5601-1987": "cp949", "windows-949": "cp949", "iso-8859-8-i": "iso8859_8",
                   "windows-874": "cp874", "tis-620": "cp874", "x-user-defined": "cp1252"}  # fmt: skip


def declared_charset(raw: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares in its first 4 KB (else an XHTML page's ``<?xml encoding=?>``),
    as browsers take it, or None."""
    match = _CHARSET.search(raw[:4096]) or _XML_ENCODING.match(raw[:200])  # XHTML may declare it in <?xml?>
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    return _CHARSET_LABELS.get(label, label)


def structured_article(json_ld: list[str]) -> tuple[str | None, list[str], dict[str, str]]:
    """(headline, paragraphs of ``articleBody``, metadata) of the first schema.org article in a page's
    JSON-LD scripts (a NewsArticle, Article, BlogPosting...: any object with an ``articleBody``, also
    inside ``@graph`` or a list); (None, [], metadata of the first object that has any) otherwise.

    Pages rendered by JavaScript often hold their text only there. Metadata: ``datePublished``,
    ``author`` (a name, an object with ``name`` or a list of them) and ``url``.
    """
    metadata: dict[str, str] = {}
    for raw in json_ld:
        try:
            data = json.loads(raw)
        except ValueError:
            continue  # a broken script is no worse than none
        for item in _json_objects(data, depth=0):
            found = _ld_metadata(item)
            if not metadata:
                metadata = found
            body = item.get("articleBody")
            if isinstance(body, str) and body.strip():
                paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", body) if p.strip()]
                headline = item.get("headline") or item.get("name")
                return (headline if isinstance(headline, str) else None), paragraphs, found or metadata
    return None, [], metadata


def _json_objects(data: object, depth: int) -> list[dict]:
    if depth > 6:
        return []
    if isinstance(data, list):
        return [found for item in data[:200] for found in _json_objects(item, depth + 1)]
    if isinstance(data, dict):
        return [data, *_json_objects(data.get("@graph"), depth + 1)]
    return []


def _ld_metadata(item: dict) -> dict[str, str]:
    metadata = {}
    published = item.get("datePublished")
    if isinstance(published, str) and published.strip():
        metadata["published"] = published.strip()
    authors = item.get("author")
    authors = authors if isinstance(authors, list) else [authors]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    if names:
        metadata["byline"] = " and ".join(names)
    url = item.get("url")
    if isinstance(url, str) and url.startswith("http"):
        metadata["url"] = url
    return metadata
