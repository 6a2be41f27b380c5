"""Which lines of a light-markup text file are the article's words: Markdown, reStructuredText,
AsciiDoc and Org.

The documented text of such a file stays the file itself (citations point into it); this module
only says which of its lines are not paragraphs: headings, directives, attributes, comments and
images. :func:`mark_lines` takes the reader's trimmed line spans and returns them with those lines
blanked, the heading lines listed apart, and a title span when the markup names one (Org's
``#+TITLE:``). Syntax from the CommonMark spec, the Docutils reStructuredText spec, the AsciiDoc
language documentation and the Org manual, kept to what news articles use.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

MARKUPS = ("markdown", "rst", "asciidoc", "org")
# By any markup (a plain .txt too): a short line underlined by a row of "=", "-", "~" or "^" is a
# heading (Markdown's setext headings, reStructuredText's sections, a typed "Title\n=====").
_UNDERLINE = re.compile(r"[ \t]*([=\-~^])\1{2,}[ \t]*(?:\n|\Z)")
_SENTENCE_END = re.compile(r"""[.!?:;,]["'”’)]*$""")
_SKIPPED = {
    # Images alone on a line, link reference definitions, HTML comments.
    "markdown": re.compile(r"!\[[^\]]*\]\([^)]*\)\s*$|\[[^\]^][^\]]*\]:\s+\S+\s*$|<!--.*-->\s*$"),
    # Directives and comments (".. image:: x"), field lists (":Author: x").
    "rst": re.compile(r"\.\.(?:\s|$)|:[\w .-]+:(?:\s|$)"),
    # Attributes (":toc:"), block attributes ("[NOTE]"), comments, block macros ("image::x[]"), the
    # header's author line ("Ana Ruiz <ana@news.example>").
    "asciidoc": re.compile(
        r":[\w-]+!?:(?:\s|$)|\[[^\]]*\]\s*$|//|(?:image|include|video|audio|toc)::|[^<\n]{1,80}<[^>\s]+@[^>\s]+>\s*$"
    ),
    # In-buffer settings ("#+AUTHOR: x", "#+BEGIN_QUOTE"), drawers (":PROPERTIES:" ... ":END:"), comments.
    "org": re.compile(r"#\+\w+:?|:[\w-]+:(?:\s|$)|#(?:\s|$)"),
}
_HEADING = {
    "markdown": re.compile(r"#{1,6}[ \t]+"),
    "rst": re.compile(r"(?!)"),  # underlined only
    "asciidoc": re.compile(r"={1,6}[ \t]+"),
    "org": re.compile(r"\*+[ \t]+"),
}
_ORG_TITLE = re.compile(r"#\+title:[ \t]*(.*?)[ \t]*$", re.I | re.M)
_RST_INDENTED = re.compile(r"[ \t]+\S")


def mark_lines(
    text: str, lines: list[Span | None], markup: str | None
) -> tuple[list[Span | None], set[Span], Span | None]:
    """(lines with non-paragraph lines made None, the heading lines among them, a declared title).

    ``lines`` are trimmed spans of each physical line (None for blank ones), as
    :func:`bot.reader._lines` gives them; ``markup`` is one of :data:`MARKUPS` or None (plain text).
    """
    headings: set[Span] = set()
    marked: list[Span | None] = []
    skipped = _SKIPPED.get(markup or "")
    heading = _HEADING.get(markup or "")
    in_directive = False
    title: Span | None = None
    for line in lines:
        if line is None:
            in_directive = False
            marked.append(None)
            continue
        start, end = line
        if markup == "rst" and in_directive and _RST_INDENTED.match(text, _line_start(text, start), end):
            marked.append(None)  # a directive's indented options (":alt: x")
            continue
        in_directive = False
        if markup == "org" and title is None:
            declared = _ORG_TITLE.match(text, start, end)
            if declared is not None and declared.end(1) > declared.start(1):
                title = (declared.start(1), declared.end(1))
        if skipped is not None and skipped.match(text, start, end):
            in_directive = markup == "rst"
            marked.append(None)
            continue
        if (heading is not None and _is_heading(heading, text, line)) or _underlined(text, line):
            headings.add(line)
        marked.append(line)
    return marked, headings, title


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _is_heading(pattern: re.Pattern[str], text: str, line: Span) -> bool:
    found = pattern.match(text, *line)
    return found is not None and found.end() < line[1]


def _underlined(text: str, line: Span) -> bool:
    """True for a short line with no sentence end whose next line is a row of = - ~ or ^."""
    start, end = line
    newline = text.find("\n", end)
    if newline < 0 or end - start > 100 or _SENTENCE_END.search(text, start, end):
        return False
    underline = _UNDERLINE.match(text, newline + 1)
    return underline is not None and len(underline.group().strip()) >= min(3, end - start)


def heading_text(text: str, line: Span, markup: str | None) -> Span:
    """The words of a heading or title line without its marks ("## ", "= ", "* ")."""
    for pattern in (_HEADING["markdown"], _HEADING["asciidoc"], *([_HEADING["org"]] if markup == "org" else [])):
        found = pattern.match(text, *line)
        if found is not None and found.end() < line[1]:
            return found.end(), line[1]
    return line
