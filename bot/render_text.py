"""Plain-text rendering of router results for the console and the CLI.

Colour (ANSI) only when asked, which the front ends do only for a terminal; piped output is plain,
with the best sentence marked by ** **.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from .actors import Actor, ActorList, ActorLookup
from .indexer import Passage
from .problems import problem_line, summary, tally
from .responder import Answer, AnswerPassage
from .router import HelpInfo, SourceInfo
from .timeline import Timeline, TimelineEvent
from .wording import plural

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
    lines: list[str] = []
    if answer.short_answer is not None:  # the answer itself first, then where it comes from
        lines.append(style.bold(answer.short_answer.text))
    if answer.read_as:  # a follow-up: show how it was read, so a wrong reading is visible
        lines.extend(style.dim(line) for line in _wrap(answer.read_as, width, "  ", "Read as: "))
    lines.append(style.bold(answer.message))
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
        lines.extend(
            textwrap.wrap(command.summary, width=width, initial_indent=INDENT * 2, subsequent_indent=INDENT * 2)
        )
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
        lines.append(
            f"  split into: {plural(article.paragraphs, 'paragraph')}, {plural(article.passages, 'passage')} "
            f"({plural(article.words, 'word')})"
        )
        if article.kind == "text":
            lines.append(f"  read as:    {article.encoding}, {article.layout}")
        else:  # citations point into the extracted text, not the file's bytes
            lines.append(f"  read as:    {article.layout}; `briefbot source --text {article.id}` prints it")
        lines.append("")
    lines.append(f"Retrieval: {info.mode}")
    if info.problems:
        lines.append("")
        lines.append(style.bold(f"Problems ({summary(tally(info.problems))}; `briefbot check` checks the config too):"))
        lines.extend(f"  {problem_line(problem)}" for problem in info.problems)
    return "\n".join(lines)


def render_passages(passages: Sequence[Passage], width: int = 80, color: bool = False) -> str:
    """The index listing for `briefbot index`."""
    style = Style(color)
    lines = []
    for passage in passages:
        words = len(passage.text.split())
        details = f"{passage.kind}, {plural(words, 'word')}, chars {passage.start}-{passage.end}"
        lines.append(f"{style.bold(passage.id)}  {style.dim(details)}")
        for paragraph in passage.text.split("\n"):
            lines.extend(
                textwrap.wrap(paragraph, width=max(20, width - 4), initial_indent=INDENT, subsequent_indent=INDENT)
            )
    return "\n".join(lines)


DATE_COLUMN = 27


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=max(30, width),
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def _cite(event: TimelineEvent, many_articles: bool) -> str:
    return f"{event.article} ¶{event.paragraph}" if many_articles else f"¶{event.paragraph}"


def render_timeline(timeline: Timeline, width: int, style: Style) -> str:
    lines = [style.bold(timeline.message)]
    many = len({e.article for e in timeline.events}) > 1
    pad = " " * (DATE_COLUMN + 2)
    for event in timeline.events:
        label = event.label + ("*" if event.year_inferred else "")
        head = f"  {label:<{DATE_COLUMN}}" if len(label) <= DATE_COLUMN else f"  {label}\n{pad}"
        first, _, rest = head.partition("\n")
        lines.append("")
        if rest:
            lines.append(style.bold(first))
            lines.extend(_wrap(event.event, width, pad))
        else:
            body = _wrap(event.event, width, pad, first=pad)
            lines.append(style.bold(first) + body[0][len(pad) :])
            lines.extend(body[1:])
        quote = f"{_cite(event, many)} “{event.quote}”"
        lines.extend(style.dim(line) for line in _wrap(quote, width, pad))
    if any(e.year_inferred for e in timeline.events):
        lines.append("")
        lines.append(style.dim("* the text gives no year here; it comes from the nearest year before it"))
    if timeline.automatic:
        lines.append(style.dim("Some events were drafted automatically and not reviewed."))
    return "\n".join(lines)


def render_actor_list(result: ActorList, width: int, style: Style) -> str:
    lines = [style.bold(result.message), ""]
    for actor in result.actors:
        mentions = plural(actor.mentions, "mention")
        first = f", first ¶{actor.first_paragraph}" if actor.first_paragraph is not None else ""
        if len(actor.articles) > 1:
            first = " (" + ", ".join(f"{article}: {count}" for article, count in actor.articles) + ")"
        lines.append(f"  {style.bold(actor.name)}  {style.dim(f'{actor.type}, {mentions}{first}')}")
        lines.extend(_wrap(actor.role, width, INDENT + "  "))
    if any(a.automatic for a in result.actors):
        lines.append(style.dim("Some actors were drafted automatically and not reviewed."))
    return "\n".join(lines)


def render_actor_lookup(result: ActorLookup, width: int, style: Style) -> str:
    if result.actor is None:
        return result.message
    note = f'read "{result.query}" as {result.read_as}' if result.read_as else None
    return render_actor(result.actor, width, style, note=note)


def render_actor(actor: Actor, width: int, style: Style, note: str | None = None) -> str:
    lines = [style.bold(f"{actor.name}") + style.dim(f"  ({actor.type}, {actor.article})")]
    if note:
        lines.append(style.dim(f"({note})"))
    if actor.aliases:
        lines.extend(_wrap("also: " + ", ".join(actor.aliases), width, "        ", first="  "))
    lines.extend(_wrap("role: " + actor.role, width, "        ", first="  "))
    first = f", first in ¶{actor.first_paragraph}" if actor.first_paragraph is not None else ""
    lines.append(f"  mentions: {actor.mentions}{first}")
    if actor.quotes:
        lines.append("  quotes:")
        for quote in actor.quotes:
            lines.extend(_wrap(f"¶{quote.paragraph} “{quote.quote}”", width, INDENT * 2, first=INDENT))
    if actor.events:
        lines.append("  events:")
        for event in actor.events:
            lines.extend(_wrap(f"{event.label}: {event.event}", width, INDENT * 2, first=INDENT))
    if actor.automatic:
        lines.append(style.dim("Drafted automatically and not reviewed."))
    return "\n".join(lines)


_RENDERERS: dict[type, Callable[[Any, int, Style], str]] = {
    Timeline: render_timeline,
    ActorList: render_actor_list,
    ActorLookup: render_actor_lookup,
    Answer: render_answer,
    HelpInfo: render_help,
    SourceInfo: render_source,
}
