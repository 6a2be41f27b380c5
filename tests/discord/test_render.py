"""Router results -> embed dicts, without a client."""

from __future__ import annotations

import pytest

from bot.actors import ActorList
from bot.discord_bot import render
from bot.discord_bot.client import strip_mentions
from bot.discord_bot.limits import message_length_ok
from bot.timeline import Timeline

from .helpers import ACTORS, shipped_router, stub_events


def test_escape_text_defuses_every_mention_form_and_markdown():
    text = "@everyone @here <@123> <@!45> <@&6> <#7> **b** _i_ `c` ~~s~~ > q"
    escaped = render.escape_text(text)
    for raw in ("@everyone", "@here", "<@123>", "<@!45>", "<@&6>", "<#7>", "**b**", "_i_", "`c`", "~~s~~"):
        assert raw not in escaped
    assert "\u200b" in escaped


def test_answer_pages_bold_the_best_sentence_and_cite_every_passage():
    answer = shipped_router().ask("who runs Kata'ib Hezbollah?")
    pages = render.answer_pages(answer)

    assert len(pages) == len(answer.passages)
    first = answer.passages[0]
    assert f"**{render.escape_text(first.highlight.strip())}**" in pages[0]["description"]
    for page, passage in zip(pages, answer.passages, strict=True):
        assert page["fields"][0]["value"].endswith(
            f"¶{passage.citation.paragraph}, sentence {passage.citation.sentence}"
        )


def test_declined_answer_is_one_clear_embed():
    answer = shipped_router().ask("tell me a joke")
    [page] = render.answer_pages(answer)
    assert page["title"] == "Not in the article"


def test_a_passage_longer_than_a_description_keeps_its_bold_sentence():
    class Passage:
        text = "lead " * 2000 + "The best sentence. " + "tail " * 2000
        highlight = "The best sentence."
        highlight_start = len("lead " * 2000)

    shown = render.highlighted_passage(Passage())
    assert len(shown) <= 4096
    assert "**The best sentence.**" in shown
    assert shown.startswith("…")


def test_timeline_pages_fit_and_number_themselves():
    pages = render.timeline_pages(Timeline(stub_events(40, long=True), ""))
    assert len(pages) > 1
    assert pages[-1]["footer"]["text"].startswith(f"Page {len(pages)} of {len(pages)}")
    for page in pages:
        assert message_length_ok(None, [page]) == []


def test_visible_window_keeps_the_newest_pages_that_fit():
    pages = [{"title": str(i), "description": "x" * 2500} for i in range(5)]
    window = render.visible_window(pages, 4)
    assert [p["title"] for p in window] == ["2", "3"]


def test_strip_mentions_removes_only_the_bots_mention():
    assert strip_mentions("<@42> who runs <@7> it? <@!42>", 42) == "who runs <@7> it?"


@pytest.mark.parametrize("size", [1, 30])
def test_actor_list_pages_fit(size):
    pages = render.actor_list_pages(ActorList(ACTORS * size, ""))
    assert all(message_length_ok(None, [p]) == [] for p in pages)
