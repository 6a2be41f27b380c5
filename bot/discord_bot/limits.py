"""Discord's size limits, enforced on plain embed dicts so every rule is testable without a network.

Embeds are handled as the JSON dicts Discord documents (title, description, fields, footer,
author); :mod:`bot.discord_bot.render` builds them and only the sending code turns them into
``discord.Embed``. Every message the bot sends goes through :func:`fit_message` first.
"""

from __future__ import annotations

import copy
from typing import Any

CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBEDS_PER_MESSAGE = 10
TOTAL_EMBED_CHARS = 6000

ELLIPSIS = "…"
BOLD = "**"

EmbedDict = dict[str, Any]


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near, with "…".

    Markdown stays balanced: an unclosed ``**`` is closed and a dangling escape backslash dropped,
    so a cut never turns the rest of an embed bold or eats the ellipsis.
    """
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    # Room for the ellipsis and a possible closing "**".
    room = limit - len(ELLIPSIS) - len(BOLD)
    if room <= 0:
        return text[: limit - len(ELLIPSIS)] + ELLIPSIS
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room * 0.8:  # a word boundary close to the end reads better than a split word
        cut = cut[:space]
    cut = cut.rstrip()
    while cut.endswith("\\") and not cut.endswith("\\\\"):
        cut = cut[:-1]
    result = cut + ELLIPSIS
    if _open_bold(cut):
        result += BOLD
    return result


def _open_bold(text: str) -> bool:
    """True when ``text`` has an odd number of unescaped ``**`` markers."""
    count, index = 0, 0
    while index < len(text) - 1:
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(BOLD, index):
            count += 1
            index += 2
            continue
        index += 1
    return count % 2 == 1


def embed_length(embed: EmbedDict) -> int:
    """Characters Discord counts toward the 6000 limit: title, description, field names and
    values, footer text and author name (the same sum as ``len(discord.Embed)``)."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for field in embed.get("fields") or ():
        total += len(field.get("name") or "") + len(field.get("value") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total


def fit_embed(embed: EmbedDict) -> EmbedDict:
    """A copy of ``embed`` with every per-embed limit enforced (title, description, fields)."""
    fitted = copy.deepcopy(embed)
    if fitted.get("title"):
        fitted["title"] = truncate(fitted["title"], TITLE)
    if fitted.get("description"):
        fitted["description"] = truncate(fitted["description"], DESCRIPTION)
    fields = []
    for field in (fitted.get("fields") or [])[:FIELDS]:
        # Discord rejects empty field names and values, so a blank one becomes a zero-width space.
        name = truncate(field.get("name") or "", FIELD_NAME) or "\u200b"
        value = truncate(field.get("value") or "", FIELD_VALUE) or "\u200b"
        fields.append({**field, "name": name, "value": value})
    if "fields" in fitted:
        fitted["fields"] = fields
    if fitted.get("footer", {}).get("text"):
        fitted["footer"] = {**fitted["footer"], "text": truncate(fitted["footer"]["text"], FOOTER)}
    if fitted.get("author", {}).get("name"):
        fitted["author"] = {**fitted["author"], "name": truncate(fitted["author"]["name"], AUTHOR)}
    return fitted


def fit_message(content: str | None, embeds: list[EmbedDict]) -> tuple[str | None, list[EmbedDict]]:
    """Content and embeds that together satisfy every message limit.

    Per-embed limits first; then at most 10 embeds; then the 6000-character total is met by
    shortening descriptions and field values from the last embed backwards (the first embed holds
    the best passage, so it is the last to lose text), dropping trailing embeds only when nothing
    is left to shorten.
    """
    fitted_content = truncate(content, CONTENT) if content else content
    fitted = [fit_embed(embed) for embed in embeds[:EMBEDS_PER_MESSAGE]]
    overflow = sum(embed_length(e) for e in fitted) - TOTAL_EMBED_CHARS
    for embed in reversed(fitted):
        if overflow <= 0:
            break
        overflow = _shrink(embed, overflow)
    while overflow > 0 and len(fitted) > 1:
        overflow -= embed_length(fitted.pop())
    if overflow > 0:  # one embed alone over 6000: only its title, footer and author remain to cut
        only = fitted[0]
        for key in ("footer", "author"):
            if overflow > 0 and only.get(key):
                overflow -= embed_length({key: only.pop(key)})
        if overflow > 0 and only.get("title"):
            title = only["title"]
            only["title"] = truncate(title, max(len(title) - overflow, 0)) or None
    return fitted_content, fitted


# Text shorter than this is dropped rather than cut: a 3-character stub helps nobody.
_MIN_USEFUL = 40


def _shrink(embed: EmbedDict, overflow: int) -> int:
    """Shorten ``embed`` by up to ``overflow`` characters; return what is still over."""
    for field in reversed(embed.get("fields") or []):
        if overflow <= 0:
            return overflow
        overflow = _shrink_text(field, "value", overflow, floor=1)
    description = embed.get("description")
    if overflow > 0 and description:
        overflow = _shrink_text(embed, "description", overflow, floor=0)
        if not embed.get("description"):
            embed.pop("description", None)
    return overflow


def _shrink_text(holder: dict[str, Any], key: str, overflow: int, floor: int) -> int:
    text = holder.get(key) or ""
    if len(text) <= floor:
        return overflow
    target = len(text) - overflow
    if target < _MIN_USEFUL:
        target = floor
    shortened = truncate(text, target) if target > 0 else ""
    if not shortened and floor:
        shortened = ELLIPSIS
    holder[key] = shortened
    return overflow - (len(text) - len(shortened))


def message_length_ok(content: str | None, embeds: list[EmbedDict]) -> list[str]:
    """Every Discord limit ``content``/``embeds`` break, as readable strings (empty when all hold)."""
    problems = []
    if content and len(content) > CONTENT:
        problems.append(f"content {len(content)} > {CONTENT}")
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {EMBEDS_PER_MESSAGE}")
    total = sum(embed_length(e) for e in embeds)
    if total > TOTAL_EMBED_CHARS:
        problems.append(f"embeds total {total} > {TOTAL_EMBED_CHARS}")
    for number, embed in enumerate(embeds, start=1):
        checks = [
            ("title", len(embed.get("title") or ""), TITLE),
            ("description", len(embed.get("description") or ""), DESCRIPTION),
            ("fields", len(embed.get("fields") or ()), FIELDS),
            ("footer", len((embed.get("footer") or {}).get("text") or ""), FOOTER),
            ("author", len((embed.get("author") or {}).get("name") or ""), AUTHOR),
        ]
        for field in embed.get("fields") or ():
            checks.append(("field name", len(field.get("name") or ""), FIELD_NAME))
            checks.append(("field value", len(field.get("value") or ""), FIELD_VALUE))
            if not field.get("name") or not field.get("value"):
                checks.append(("empty field", 1, 0))
        problems.extend(f"embed {number} {what} {size} > {limit}" for what, size, limit in checks if size > limit)
    return problems
