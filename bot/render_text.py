"""Plain-text rendering of router results for the console and the CLI.

Colour (ANSI) only when asked, which the front ends do only for a terminal; piped output is plain,
with the best sentence marked by ** **.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from .indexer import Passage
from .responder import Answer, AnswerPassage
from .router import HelpInfo, SourceInfo

BOLD = "\x1b[1m"
DIM = "\x1b[2m"
YELLOW = "\x1b[33m"
RESET = "\x1b[0m"
INDENT = "    "


class Style:
    """ANSI styling that turns into nothing (or ** markers) when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def bold(self, text: str) -> str:
        return f"{BOLD}{text}{RESET}" if self.color else text

    def dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self.color else text

    def mark(self, text: str) -> str:
        return f"{BOLD}{YELLOW}{text}{RESET}" if self.color else f"**{text}**"


def render(result: Any, *, width: int = 80, color: bool = False) -> str:
    """Text for any router result."""
    style = Style(color)
    renderer = _RENDERERS.get(type(result))
    if renderer is None:
        raise TypeError(f"no text renderer for {type(result).__name__}")
    return renderer(result, width, style)


def render_answer(answer: Answer, width: int, style: Style) -> str:
    lines = [style.bold(answer.message)]
    if answer.corrections:
        read_as = ", ".join(f"{typed!r} as {fixed!r}" for typed, fixed in answer.corrections.items())
        lines.append(style.dim(f"(read {read_as})"))
    for number, passage in enumerate(answer.passages, start=1):
        lines.append("")
        lines.append(f"[{number}] {style.bold(str(passage.citation))}  {style.dim(f'score {passage.score:.2f}')}")
        lines.extend(_passage_lines(passage, width, style))
    return "\n".join(lines)


def _passage_lines(passage: AnswerPassage, width: int, style: Style) -> list[str]:
    # Wrap first with placeholder markers, then style, so ANSI codes never count toward the width.
    start, end = passage.highlight_start, passage.highlight_start + len(passage.highlight)
    marked = passage.text[:start] + "\x02" + passage.text[start:end] + "\x03" + passage.text[end:]
    out: list[str] = []
    for paragraph in marked.split("\n"):
        wrapped = textwrap.wrap(paragraph, width=max(20, width - len(INDENT)), break_on_hyphens=False)
        out.extend(INDENT + line for line in wrapped)
    # The highlight may span wrapped lines: style each line's part separately.
    result_lines = []
    inside = False
    for line in out:
        body = line[len(INDENT) :]
        rendered, buffer = "", ""
        for char in body + "\x00":
            if char in "\x02\x03\x00":
                rendered += style.mark(buffer) if inside and buffer.strip() else buffer
                buffer = ""
                if char != "\x00":
                    inside = char == "\x02"
            else:
                buffer += char
        result_lines.append(INDENT + rendered)
    return result_lines


def render_help(info: HelpInfo, width: int, style: Style) -> str:
    lines = [style.bold("Commands") + style.dim(f"  (retrieval: {info.mode})")]
    for command in info.commands:
        lines.append(f"  /{command.usage}")
        lines.extend(textwrap.wrap(command.summary, width=width, initial_indent=INDENT * 2, subsequent_indent=INDENT * 2))
    lines.append("")
    lines.append("Anything not starting with / is asked as a question. /quit leaves the console.")
    return "\n".join(lines)


def render_source(info: SourceInfo, width: int, style: Style) -> str:
    lines = []
    for article in info.articles:
        lines.append(style.bold(article.title))
        lines.append(f"  id:         {article.id}")
        lines.append(f"  published:  {article.published or 'unknown'}")
        if article.byline:
            lines.append(f"  byline:     {article.byline}")
        if article.url:
            lines.append(f"  url:        {article.url}")
        lines.append(f"  file:       {article.path}")
        lines.append(f"  split into: {article.paragraphs} paragraphs, {article.passages} passages ({article.words} words)")
        lines.append("")
    lines.append(f"Retrieval: {info.mode}")
    return "\n".join(lines)


def render_passages(passages: Sequence[Passage], width: int = 80, color: bool = False) -> str:
    """The index listing for `briefbot index`."""
    style = Style(color)
    lines = []
    for passage in passages:
        words = len(passage.text.split())
        lines.append(f"{style.bold(passage.id)}  {style.dim(f'{passage.kind}, {words} words, chars {passage.start}-{passage.end}')}")
        for paragraph in passage.text.split("\n"):
            lines.extend(textwrap.wrap(paragraph, width=max(20, width - 4), initial_indent=INDENT, subsequent_indent=INDENT))
    return "\n".join(lines)


_RENDERERS: dict[type, Callable[[Any, int, Style], str]] = {
    Answer: render_answer,
    HelpInfo: render_help,
    SourceInfo: render_source,
}
