"""The text of a PDF, by pypdf (pure Python, imported only when a PDF is read).

Each page's text as pypdf lays it out (``extract_text``: lines in reading order, words spaced by
their positions). Three things a printed page adds are then taken away, so they never end up inside
a paragraph:

- columns: when text runs side by side (two or three columns, whatever order the file draws it
  in), each column is read top to bottom before the next, from where pypdf reports each piece of
  text; a vertical gap wider than a line's spacing ends a paragraph;
- running heads and feet: a line among the first or last :data:`EDGE_LINES` of a page that repeats
  on other pages (digits aside: "Page 3 of 5", "The Times, March 4, page 2") is dropped, and so is
  a page number alone on the page's first or last line;
- hyphenation: a word broken at a line end ("break-" / "water") is joined, and a sentence that runs
  from one page to the next stays one paragraph.

The text is then read as a .txt file is: the first line is the title, and lines wrapped at the page
width are re-flowed into paragraphs. A PDF without a text layer (a scan) or with a password is
refused with the fix.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import KnowledgeError

MAX_PAGES = 500  # an article is a few pages; a book is not one article
EDGE_LINES = 2  # running heads and feet are found among a page's first and last lines
MIN_COLUMN_ROWS = 3  # rows two columns must share before the page is read as columns

_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|p\.|pg\.?|seite|página|pagina)\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:of|/|von|de|di)\s*\d{1,4})?[\W_]*$",
    re.I,
)
_HYPHENATED = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010]$")
_SENTENCE_END = re.compile(r"""[.!?:…]["'”’)\]]*$""")


def pdf_text(path: Path) -> str:
    """The text of every page of the PDF at ``path``; raises KnowledgeError, one line with the fix."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency; a broken install says so
        raise KnowledgeError("a PDF, and pypdf is not installed; pip install pypdf (or save it as .txt)") from None
    # pypdf logs every recoverable fault of a damaged file; the reader reports one line instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise KnowledgeError("a password-protected PDF; save an unprotected copy, or its text as .txt")
        if len(reader.pages) > MAX_PAGES:
            raise KnowledgeError(f"a PDF of {len(reader.pages)} pages (over {MAX_PAGES}); split it into articles")
        pages = [page_lines(page) for page in reader.pages]
    except KnowledgeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file may fail anywhere in pypdf; it is one bad file
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise KnowledgeError(f"a damaged PDF ({reason}); open it and copy its text into a .txt file") from None
    text = join_pages(drop_running_lines(pages))
    if not any(ch.isalpha() for ch in text):
        raise KnowledgeError("a PDF with no text layer (a scan?); run OCR on it or type the text into a .txt file")
    return text


def page_lines(page: Any) -> list[str]:
    """The lines of one pypdf page in reading order ("" for a paragraph break); columns one by one."""
    chunks: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip() and chunks:
            # The space pypdf puts between two pieces drawn apart: kept, so words stay apart.
            x, y, size_, previous = chunks[-1]
            chunks[-1] = (x, y, size_, previous + text)
        elif text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            chunks.append((x, y, float(size or 10) * abs(cm[3] or 1), text))

    plain = page.extract_text(visitor_text=visit) or ""
    try:
        width = float(page.mediabox.width)
    except Exception:  # noqa: BLE001 - a damaged page box: read the page as pypdf lays it out
        width = 0.0
    columns = _column_starts(chunks, width)
    if len(columns) < 2:
        return [line.rstrip() for line in plain.split("\n")]
    return _lines_by_column(chunks, columns)


def _column_starts(chunks: list[tuple[float, float, float, str]], width: float) -> list[float]:
    """The x of each column's left edge, when text stands side by side in columns; else one or none.

    On a row, a column starts at a piece at least a quarter of the page width right of the last
    column's edge with an empty gutter before it: the piece before it on the row starts at least
    1.5 font sizes further left (a word gap in a line, even one drawn letter by letter, is nearer).
    A second column needs that start at one x on at least MIN_COLUMN_ROWS rows, and on most of the
    rows that have such a start at all (a line's words fall at scattered x).
    """
    if width <= 0 or len(chunks) < 2 * MIN_COLUMN_ROWS:
        return []
    rows: dict[int, list[float]] = {}
    for x, y, _, _ in chunks:
        rows.setdefault(round(y), []).append(x)
    gutter = 1.5 * sorted(size for _, _, size, _ in chunks)[len(chunks) // 2]
    starts = Counter(round(min(xs)) for xs in rows.values())
    found = [float(min(starts, key=lambda x: (-starts[x], x)))]
    while True:
        beside: Counter[int] = Counter()
        for xs in rows.values():
            ordered = sorted(xs)
            if ordered[0] > found[-1] + 2:
                continue  # this row has no text in the last column found
            for before, x in zip(ordered, ordered[1:], strict=False):
                if x >= found[-1] + width / 4 and x - before >= gutter:
                    beside[round(x)] += 1
                    break
        if not beside:
            return found
        start, count = beside.most_common(1)[0]
        if count < MIN_COLUMN_ROWS or count < 0.5 * sum(beside.values()):
            return found
        found.append(float(start))


def _lines_by_column(chunks: list[tuple[float, float, float, str]], columns: list[float]) -> list[str]:
    """Rows of chunks, each column's rows top to bottom before the next column's; a row that spans
    no column (a headline above the columns, a caption below) keeps its place."""

    def column_of(x: float) -> int:
        return max(k for k, start in enumerate([-1e9, *columns[1:]]) if start - 2 <= x)

    rows: dict[int, dict[int, list[tuple[float, str]]]] = {}
    sizes: list[float] = []
    for x, y, size, text in chunks:
        rows.setdefault(round(y), {}).setdefault(column_of(x), []).append((x, text))
        sizes.append(size)
    order = sorted(rows, reverse=True)  # PDF y grows upwards: the top row first
    multi = [y for y in order if len(rows[y]) > 1]
    top, bottom = multi[0], multi[-1]
    # A right column that runs on below the left one still belongs to the block.
    below = [y for y in order if y < bottom]
    for y in below:
        if 0 in rows[y]:
            break
        bottom = y
    line_gap = sorted(sizes)[len(sizes) // 2] * 1.6  # a gap beyond this ends a paragraph
    lines: list[str] = []

    def emit(ys: list[int], column: int | None) -> None:
        previous = None
        for y in ys:
            pieces = [p for k, ps in sorted(rows[y].items()) if column is None or k == column for p in sorted(ps)]
            if not pieces:
                continue
            if previous is not None and previous - y > line_gap:
                lines.append("")
            # pypdf's own spacing is in the pieces (a piece drawn apart from the last starts with a
            # space), so a word drawn letter by letter stays one word.
            lines.append(" ".join("".join(text for _, text in pieces).split()))
            previous = y

    emit([y for y in order if y > top], None)
    block = [y for y in order if bottom <= y <= top]
    for column in range(len(columns)):
        emit(block, column)
        lines.append("")
    emit([y for y in order if y < bottom], None)
    return lines


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Each page without its running head and foot: lines among its first or last EDGE_LINES
    non-blank lines that recur (digits aside) on another page, and a page number alone there."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()).lower())

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))

    seen = Counter(k for lines in pages for k in {key(lines[i]) for i in edges(lines)})
    kept = []
    for lines in pages:
        drop = {
            i
            for i in edges(lines)
            if _PAGE_NUMBER.match(lines[i].strip()) or (len(pages) > 1 and seen[key(lines[i])] > 1)
        }
        kept.append([line for i, line in enumerate(lines) if i not in drop])
    return kept


def join_pages(pages: list[list[str]]) -> str:
    """One text: a word hyphenated at a line end joined, pages a blank line apart unless the page
    ends mid-sentence (no full stop: the sentence runs on to the next page)."""
    lines: list[str] = []
    for page in pages:
        body = page[:]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        if not body:
            continue
        if lines and not _SENTENCE_END.search(lines[-1]):
            pass  # the sentence runs on ("... said on" / "Monday."): no paragraph break between the pages
        elif lines:
            lines.append("")
        for line in body:
            if lines and lines[-1] and _HYPHENATED.search(lines[-1]) and line[:1].islower():
                lines[-1] = lines[-1][:-1] + line.split(" ", 1)[0]
                rest = line.split(" ", 1)[1] if " " in line else ""
                if rest:
                    lines.append(rest)
                continue
            lines.append(line)
    return "\n".join(lines)
