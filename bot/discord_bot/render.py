"""Router results -> Discord embed dicts. Pure functions: no client, no network, no I/O.

Every piece of text that came from a user (a question, an actor name typed in) or from an article
is escaped before it goes into an embed, so markdown and mentions in it show as typed and never
format, ping or break the layout. Sizes are enforced by :mod:`bot.discord_bot.limits`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from discord.utils import escape_markdown

from ..actors import Actor, ActorList, ActorLookup, ActorQuote
from ..responder import Answer, AnswerPassage
from ..router import SourceInfo
from ..timeline import Timeline, TimelineEvent
from ..wording import plural
from .limits import DESCRIPTION, FIELD_VALUE, TITLE, EmbedDict, embed_length, fit_embed, truncate

ANSWER_COLOR = 0x2B6CB0
DECLINED_COLOR = 0x718096
TIMELINE_COLOR = 0x805AD5
ACTOR_COLOR = 0x2F855A
INFO_COLOR = 0x4A5568

# Room per page for the timeline and actor list, under Discord's 6000 so footers and the
# "More" window always fit.
PAGE_BUDGET = 3500
EVENTS_PER_PAGE = 6
ACTORS_PER_PAGE = 12

_ZWSP = "\u200b"
# Any mention form, whatever the length of the id (discord.utils.escape_mentions only handles
# 17-20 digit ids, so "<@&123>" would slip through it).
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#|/)([^>\s]*)>", re.IGNORECASE)


def escape_text(text: str) -> str:
    """User or article text made inert: markdown shown literally, mentions unable to ping."""
    escaped = escape_markdown(text)
    return _MENTION.sub(_defuse_mention, escaped)


def _defuse_mention(match: re.Match[str]) -> str:
    if match.group(1):
        return "@" + _ZWSP + match.group(1)
    return "<" + _ZWSP + match.group(2) + match.group(3) + ">"


def _paragraph_label(paragraph: int | None) -> str:
    if paragraph is None:
        return "¶?"
    return "photo caption" if paragraph == 0 else f"¶{paragraph}"


def citation_text(passage: AnswerPassage) -> str:
    """ "Title (article-id), ¶N, sentence S" for an AnswerPassage: every passage carries one."""
    cite = passage.citation
    return f"{escape_text(cite.title)} (`{cite.article}`), {_paragraph_label(cite.paragraph)}, sentence {cite.sentence}"


def highlighted_passage(passage: AnswerPassage, limit: int = DESCRIPTION) -> str:
    """The passage text with its best sentence in bold, escaped, cut to ``limit`` around the bold part."""
    start = max(0, min(passage.highlight_start, len(passage.text)))
    end = min(len(passage.text), start + len(passage.highlight))
    before, best, after = passage.text[:start], passage.text[start:end], passage.text[end:]
    core = best.strip()
    if not core:
        return truncate(escape_text(passage.text), limit)
    # Markdown bold needs its markers against the words, so surrounding spaces move outside them.
    lead_space = best[: len(best) - len(best.lstrip())]
    trail_space = best[len(best.rstrip()) :]
    bold = f"**{escape_text(core)}**"
    lead = escape_text(before) + lead_space
    # Keep the bold sentence visible even in a very long passage: trim the text before it first.
    budget_before = max(0, limit - len(bold)) // 3
    if len(lead) > budget_before:
        lead = "…" + lead[len(lead) - budget_before :].lstrip("\\")
    return truncate(lead + bold + trail_space + escape_text(after), limit)


def question_title(question: str, prefix: str = "Q: ") -> str:
    one_line = " ".join(question.split())
    return truncate(prefix + escape_text(one_line), TITLE)


def answer_pages(answer: Answer) -> list[EmbedDict]:
    """One embed per passage, best first; a single "not in the article" embed when declined."""
    if not answer.answered or not answer.passages:
        return [declined_embed(answer)]
    total = len(answer.passages)
    pages = []
    short = getattr(answer, "short_answer", None)
    for number, passage in enumerate(answer.passages, start=1):
        description = highlighted_passage(passage)
        if number == 1 and short is not None:
            # The short answer opens the embed: "**Abu Mahdi al-Muhandis**", then the passage it came from.
            top = f"**{escape_text(truncate(short.text, TITLE))}**\n\n"
            description = top + highlighted_passage(passage, DESCRIPTION - len(top))
        embed: EmbedDict = {
            "title": question_title(answer.normalized_question) if number == 1 else f"Passage {number} of {total}",
            "description": description,
            "color": ANSWER_COLOR,
            "fields": [{"name": "Source", "value": citation_text(passage), "inline": False}],
            "footer": {"text": _passage_footer(passage, number, total)},
        }
        if number == 1:
            embed["fields"].extend(_read_as_fields(answer))
        pages.append(fit_embed(embed))
    return pages


def _read_as_fields(answer: Answer) -> list[dict[str, Any]]:
    """How the question was read: as a follow-up of the conversation, and with typos read as words."""
    parts = []
    if answer.read_as:
        parts.append(truncate(escape_text(answer.read_as), FIELD_VALUE // 2))
    if answer.corrections:
        parts.append(
            ", ".join(f"{escape_text(typed)} → {escape_text(fixed)}" for typed, fixed in answer.corrections.items())
        )
    return [{"name": "Read as", "value": truncate("\n".join(parts), FIELD_VALUE), "inline": False}] if parts else []


THREAD_NAME_CHARS = 100  # Discord's limit for a channel (thread) name


def thread_name(question: str) -> str:
    """A thread's name from its first question: one line, at most 100 characters, cut at a word."""
    text = " ".join(question.split()) or "briefbot answer"
    if len(text) <= THREAD_NAME_CHARS:
        return text
    cut = text[: THREAD_NAME_CHARS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= THREAD_NAME_CHARS // 2 else cut).rstrip(" ,;:") + "…"


def _passage_footer(passage: AnswerPassage, number: int, total: int) -> str:
    sentences = passage.sentences
    span = sentences[0] if len(sentences) == 1 else f"{sentences[0]}–{sentences[-1]}"
    return f"Passage {number} of {total} · sentences {span} · score {passage.score:.2f}"


def declined_embed(answer: Answer) -> EmbedDict:
    """The clear "not in the article" reply, with the core's own one-sentence reason."""
    embed: EmbedDict = {
        "title": "Not in the article",
        "description": escape_text(answer.message),
        "color": DECLINED_COLOR,
        "fields": [],
        "footer": {"text": "Answers quote the article only. Try other words, or /help."},
    }
    if answer.normalized_question:
        shown = escape_text(answer.normalized_question)
        embed["fields"].append({"name": "Question", "value": truncate(shown, FIELD_VALUE)})
    embed["fields"].extend(_read_as_fields(answer))
    return fit_embed(embed)


def error_text(message: str) -> str:
    """A short, escaped message for an ephemeral error reply."""
    return truncate(escape_text(message), 1900)


# -- timeline -----------------------------------------------------------------------------------


def timeline_pages(timeline: Timeline, years: str | None = None, actor: str | None = None) -> list[EmbedDict]:
    """The timeline as pages of event fields (date, event, actors, quote, citation)."""
    filters = []
    if years:
        filters.append(escape_text(years))
    # The core says which actor a typed name resolved to ("muhandis" -> Abu Mahdi al-Muhandis).
    actor_name = timeline.actor or actor
    if actor_name:
        filters.append(f"with {escape_text(actor_name)}")
    title = "Timeline" + (f" ({', '.join(filters)})" if filters else "")
    return _paginate(
        [_event_field(event) for event in timeline.events],
        title=title,
        message=timeline.message,
        empty="No dated events match.",
        color=TIMELINE_COLOR,
        per_page=EVENTS_PER_PAGE,
        noun="event",
    )


def _event_field(event: TimelineEvent) -> dict[str, Any]:
    date = event.date or "undated"
    label = event.label  # "May 2019"; the normalised date when it says more
    if label and label != date:
        name = f"{label} ({date})"
    else:
        name = date + (f" ({event.precision})" if event.precision and event.precision != "day" else "")
    if event.year_inferred:
        name += " · year inferred"
    lines = [escape_text(event.event)]
    if event.actors:
        lines.append("*Actors:* " + ", ".join(escape_text(a) for a in event.actors))
    cite = f"— `{event.article}`, {_paragraph_label(event.paragraph)}"
    # The citation line must survive truncation: budget the quote around it.
    head = "\n".join(lines)
    room = FIELD_VALUE - len(head) - len(cite) - 6
    quote = " ".join(event.quote.split())
    quote_line = f"> {truncate(escape_text(quote), max(room, 0))}" if quote and room > 20 else ""
    value = "\n".join(part for part in (truncate(head, FIELD_VALUE - len(cite) - 2), quote_line, cite) if part)
    return {"name": truncate(escape_text(name), 256), "value": value, "inline": False}


# -- actors ---------------------------------------------------------------------------------------


def actor_list_pages(actors: ActorList, type_filter: str | None = None) -> list[EmbedDict]:
    """The actor list as pages: name, type, role, mentions and first paragraph per actor."""
    title = "Actors" + (f" ({escape_text(type_filter)})" if type_filter else "")
    return _paginate(
        [_actor_field(actor) for actor in actors.actors],
        title=title,
        message=actors.message,
        empty="No actors match.",
        color=ACTOR_COLOR,
        per_page=ACTORS_PER_PAGE,
        noun="actor",
    )


def _actor_field(actor: Actor) -> dict[str, Any]:
    name = f"{actor.name} ({actor.type})"
    parts = [escape_text(actor.role)]
    if actor.aliases:
        parts.append("*Also:* " + ", ".join(escape_text(a) for a in actor.aliases))
    parts.append(f"{plural(actor.mentions, 'mention')} · first {_paragraph_label(actor.first_paragraph)}")
    return {"name": truncate(escape_text(name), 256), "value": "\n".join(p for p in parts if p), "inline": False}


def actor_embed(lookup: ActorLookup) -> EmbedDict:
    """One actor in detail, or the closest names when the lookup found none."""
    actor = lookup.actor
    if actor is None:
        description = escape_text(lookup.message or f"No actor named {lookup.query}.")
        embed: EmbedDict = {"title": "No such actor", "description": description, "color": DECLINED_COLOR}
        if lookup.suggestions:
            embed["fields"] = [{"name": "Did you mean", "value": ", ".join(escape_text(s) for s in lookup.suggestions)}]
        return fit_embed(embed)
    fields = [
        {"name": "Type", "value": escape_text(actor.type or "?"), "inline": True},
        {"name": "Mentions", "value": str(actor.mentions), "inline": True},
        {"name": "First mention", "value": _paragraph_label(actor.first_paragraph), "inline": True},
    ]
    if actor.aliases:
        fields.append({"name": "Also called", "value": ", ".join(escape_text(a) for a in actor.aliases)})
    for number, quote in enumerate(actor.quotes[:5], start=1):
        fields.append({"name": f"Quote {number}", "value": _quote_value(quote)})
    if actor.events:
        lines = [f"**{escape_text(e.label or e.date)}** — {escape_text(e.event)}" for e in actor.events]
        fields.append({"name": "In the timeline", "value": _lines_within(lines, FIELD_VALUE)})
    embed = {
        "title": escape_text(actor.name),
        "description": escape_text(actor.role),
        "color": ACTOR_COLOR,
        "fields": fields,
    }
    if lookup.read_as:
        embed["footer"] = {"text": f"Read “{lookup.query}” as {lookup.read_as}"}
    return fit_embed(embed)


def _lines_within(lines: Sequence[str], limit: int) -> str:
    """Whole lines up to ``limit`` characters, then "… and N more"."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index
        tail = f"… and {rest} more"
        if len("\n".join([*kept, line])) + len(tail) + 1 > limit and rest > 1:
            return "\n".join([*kept, tail])
        kept.append(line)
    return truncate("\n".join(kept), limit)


def _quote_value(quote: ActorQuote) -> str:
    """The quote, then its paragraph."""
    cite = f"\n— {_paragraph_label(quote.paragraph)}"
    return truncate("> " + escape_text(" ".join(quote.quote.split())), FIELD_VALUE - len(cite)) + cite


# -- help and source --------------------------------------------------------------------------------


def help_embed(commands: Iterable[tuple[str, str]], mode: str) -> EmbedDict:
    """``commands``: (usage, description) pairs as Discord shows them."""
    lines = [f"`{usage}` — {escape_text(description)}" for usage, description in commands]
    lines.append("")
    lines.append("You can also mention me with a question: `@briefbot who runs Kata'ib Hezbollah?`")
    lines.append("Every answer quotes the article verbatim and cites its paragraph and sentence.")
    return fit_embed(
        {
            "title": "briefbot commands",
            "description": "\n".join(lines),
            "color": INFO_COLOR,
            "footer": {"text": f"retrieval: {mode}"},
        }
    )


def source_embed(info: SourceInfo) -> EmbedDict:
    fields = []
    for article in info.articles:
        facts = [f"id `{article.id}`"]
        if article.published:
            facts.append(f"published {escape_text(str(article.published))}")
        if article.byline:
            facts.append(f"by {escape_text(article.byline)}")
        facts.append(
            f"{plural(article.paragraphs, 'paragraph')}, {plural(article.passages, 'passage')}, "
            f"{plural(article.words, 'word', digits=',')}"
        )
        if article.url:
            facts.append(str(article.url))
        fields.append({"name": escape_text(article.title), "value": "\n".join(facts)})
    count = len(info.articles)
    return fit_embed(
        {
            "title": "Source",
            "description": f"{plural(count, 'article')} loaded; answers quote them verbatim.",
            "color": INFO_COLOR,
            "fields": fields,
            "footer": {"text": f"retrieval: {info.mode}"},
        }
    )


# -- pagination -------------------------------------------------------------------------------------


def _paginate(
    fields: Sequence[dict[str, Any]],
    *,
    title: str,
    message: str,
    empty: str,
    color: int,
    per_page: int,
    noun: str,
) -> list[EmbedDict]:
    """Fields packed into pages of at most ``per_page`` and :data:`PAGE_BUDGET` characters, the core's
    ``message`` above the first; no fields make one embed saying so (the message, else ``empty``)."""
    if not fields:
        return [fit_embed({"title": title, "description": escape_text(message or empty), "color": DECLINED_COLOR})]
    intro = escape_text(message) if message else None
    pages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for field in fields:
        length = len(field["name"]) + len(field["value"])
        if pages[-1] and (len(pages[-1]) >= per_page or size + length > PAGE_BUDGET):
            pages.append([])
            size = 0
        pages[-1].append(field)
        size += length
    total = len(fields)
    embeds = []
    shown = 0
    for number, page in enumerate(pages, start=1):
        first, shown = shown + 1, shown + len(page)
        ranged = f"Page {number} of {len(pages)} · {noun}s {first}–{shown} of {total}"
        footer = f"1 {noun}" if total == 1 else ranged
        embed: EmbedDict = {"title": truncate(title, TITLE), "color": color, "fields": list(page)}
        if intro and number == 1:
            embed["description"] = intro
        embed["footer"] = {"text": footer}
        embeds.append(fit_embed(embed))
    return embeds


def visible_window(pages: Sequence[EmbedDict], shown: int) -> list[EmbedDict]:
    """The first ``shown`` answer pages, or the newest of them that fit one message (10 embeds,
    6000 characters), so "More" always adds the next passage even to a long answer."""
    chosen: list[EmbedDict] = []
    total = 0
    for page in reversed(list(pages[:shown])):
        length = embed_length(page)
        if chosen and (len(chosen) >= 10 or total + length > 6000):
            break
        chosen.insert(0, page)
        total += length
    return chosen
