"""Discord's message limits, enforced by plain functions on embed dicts."""

from __future__ import annotations

import random

import pytest

from bot.discord_bot import limits
from bot.discord_bot.limits import embed_length, fit_embed, fit_message, message_length_ok, truncate


def test_truncate_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert truncate("short", 10) == "short"
    cut = truncate("word " * 100, 50)
    assert len(cut) <= 50 and cut.endswith("…") and not cut.endswith(" …")


def test_truncate_closes_an_open_bold_and_drops_a_dangling_escape():
    bold = truncate("plain **" + "bold words " * 50 + "**", 60)
    assert len(bold) <= 60 and bold.endswith("…**")
    escaped = truncate("a" * 54 + "\\*" + "b" * 20, 60)
    assert not escaped.rstrip("…*").endswith("\\")


def test_truncate_leaves_escaped_asterisks_alone():
    text = "\\*\\*not bold\\*\\* " * 20
    assert not truncate(text, 50).endswith("**")


@pytest.mark.parametrize("limit", [0, 1, 2, 5])
def test_truncate_honours_tiny_limits(limit):
    assert len(truncate("abcdefghij", limit)) <= limit


def test_fit_embed_enforces_each_field_limit():
    embed = {
        "title": "t" * 300,
        "description": "d" * 5000,
        "fields": [{"name": "n" * 300, "value": "v" * 2000}] * 30 + [{"name": "", "value": ""}],
        "footer": {"text": "f" * 3000},
        "author": {"name": "a" * 300},
    }
    fitted = fit_embed(embed)
    assert len(fitted["title"]) <= 256 and len(fitted["description"]) <= 4096
    assert len(fitted["fields"]) == 25
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in fitted["fields"])
    assert len(fitted["footer"]["text"]) <= 2048 and len(fitted["author"]["name"]) <= 256
    assert embed["title"] == "t" * 300  # the input is not modified


def test_fit_message_keeps_the_first_embed_longest():
    embeds = [{"title": f"e{i}", "description": "x" * 4000} for i in range(4)]
    content, fitted = fit_message("c" * 2500, embeds)
    assert len(content) <= 2000
    assert message_length_ok(content, fitted) == []
    assert len(fitted[0]["description"]) == 4000  # best passage untouched; later ones shortened


def test_fit_message_drops_embeds_past_ten():
    _, fitted = fit_message(None, [{"title": str(i)} for i in range(14)])
    assert [e["title"] for e in fitted] == [str(i) for i in range(10)]


def test_embed_length_matches_discord_py():
    import discord

    embed = {
        "title": "abc",
        "description": "défg",
        "fields": [{"name": "n", "value": "vv"}],
        "footer": {"text": "foot"},
        "author": {"name": "au"},
    }
    assert embed_length(embed) == len(discord.Embed.from_dict(embed))


def test_random_messages_always_fit():
    rng = random.Random(7)
    for _ in range(120):
        embeds = []
        for _ in range(rng.randint(1, 14)):
            embed = {"title": "t" * rng.randint(0, 400), "description": "word " * rng.randint(0, 1200)}
            embed["fields"] = [
                {"name": "n" * rng.randint(0, 300), "value": "v " * rng.randint(0, 800)}
                for _ in range(rng.randint(0, 30))
            ]
            if rng.random() < 0.5:
                embed["footer"] = {"text": "f" * rng.randint(0, 2500)}
            embeds.append(embed)
        content, fitted = fit_message("c" * rng.randint(0, 3000), embeds)
        assert message_length_ok(content, fitted) == [], fitted
        assert fitted, "a message keeps at least its first embed"


def test_constants_are_discords():
    assert (limits.CONTENT, limits.TITLE, limits.DESCRIPTION, limits.FIELD_VALUE) == (2000, 256, 4096, 1024)
    assert (limits.FIELDS, limits.TOTAL_EMBED_CHARS, limits.EMBEDS_PER_MESSAGE) == (25, 6000, 10)
