"""The real discord.py command tree, views and mention handler, driven through simcord."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.discord_bot.cogs.base import choices_for
from bot.discord_bot.guards import ChannelPolicy, Cooldowns
from bot.discord_bot.limits import message_length_ok
from bot.discord_bot.views import EXPIRED_MESSAGE, NOT_YOURS_MESSAGE
from bot.responder import Answer, AnswerPassage, Citation

from .helpers import StubRouter, settings, shipped_router, stub_events

KH_QUESTION = "who runs Kata'ib Hezbollah?"


def sent_payloads(env, kind: str = "") -> list[dict]:
    """JSON bodies of the bot's message-creating and -editing requests, oldest first."""
    out = []
    for request in env.http_requests:
        if request.method in ("POST", "PATCH") and request.json is not None and kind in request.path:
            body = request.json.get("data", request.json) if "/callback" in request.path else request.json
            if isinstance(body, dict) and ("embeds" in body or "content" in body):
                out.append(body)
    return out


def embed_dicts(message) -> list[dict]:
    return [embed.to_dict() for embed in message.embeds]


def button(message, label_start: str) -> dict:
    """A button of ``message`` (a simcord result or a discord.Message) as a dict."""
    for row in message.components:
        children = row["components"] if isinstance(row, dict) else [c.to_dict() for c in row.children]
        for component in children:
            if (component.get("label") or "").startswith(label_start):
                return component
    raise AssertionError(f"no button {label_start!r} in {message.components}")


async def press(actor, message, label_start: str):
    """Click the button whose label starts with ``label_start`` (labels carry counts)."""
    return await actor.click(message, custom_id=button(message, label_start)["custom_id"])


# -- /ask ----------------------------------------------------------------------------------------


async def test_ask_answers_with_bold_best_sentence_and_citation(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert not result.ephemeral
    [embed] = embed_dicts(result.response)
    assert embed["title"] == f"Q: {KH_QUESTION}"
    assert "**" in embed["description"] and "Muhandis" in embed["description"]
    source = embed["fields"][0]
    assert source["name"] == "Source"
    assert "Al Bukamal" in source["value"] and "¶10" in source["value"] and "sentence" in source["value"]
    assert embed["footer"]["text"].startswith("Passage 1 of 3")
    assert button(result.response, "More")["disabled"] is False


async def test_every_reply_disables_all_mentions(world):
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    await world.alice.slash(world.channel, "help")

    payloads = sent_payloads(world.env, "/callback")
    assert len(payloads) == 2
    assert all(p["allowed_mentions"] == {"parse": []} for p in payloads)


async def test_more_adds_the_next_passage_until_all_are_shown(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    message = result.response

    await press(world.alice, message, "More")
    second = world.channel.last_message
    assert len(second.embeds) == 2
    await press(world.alice, second, "More")
    third = world.channel.last_message

    embeds = [e.to_dict() for e in third.embeds]
    assert [e["footer"]["text"][:14] for e in embeds] == ["Passage 1 of 3", "Passage 2 of 3", "Passage 3 of 3"]
    assert all("¶" in e["fields"][0]["value"] and "sentence" in e["fields"][0]["value"] for e in embeds)
    assert button(third, "All passages shown")["disabled"] is True


async def test_only_the_asker_can_press_more(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    other = await press(world.bob, result.response, "More")

    assert other.ephemeral and other.response.content == NOT_YOURS_MESSAGE
    assert len(world.channel.last_message.embeds) == 1


async def test_buttons_are_disabled_after_the_view_timeout(world):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    assert button(result.response, "More")["disabled"] is False

    await world.env.advance_time(settings().view_timeout_seconds + 1)

    assert button(world.channel.last_message, "More")["disabled"] is True
    assert not world.env.errors


async def test_a_button_that_could_not_be_disabled_says_expired(world):
    # Editing the message after the timeout fails (e.g. its token expired): the button stays
    # enabled on screen, and a click must get a clear note rather than "interaction failed".
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    world.env.inject_error("PATCH", "/webhooks/*", status=404)
    await world.env.advance_time(settings().view_timeout_seconds + 1)

    click = await press(world.alice, result.response, "More")

    assert click.ephemeral and click.response.content == EXPIRED_MESSAGE


@pytest.mark.parametrize(
    ("default", "choice", "ephemeral"), [(False, True, True), (True, None, True), (True, False, False)]
)
async def test_private_option_and_default(world, default, choice, ephemeral):
    world.env.bot.services.settings = settings(private_by_default=default)
    options = {"question": KH_QUESTION}
    if choice is not None:
        options["private"] = choice

    result = await world.alice.slash(world.channel, "ask", **options)

    assert result.ephemeral is ephemeral


async def test_declined_question_says_not_in_the_article(world):
    result = await world.alice.slash(world.channel, "ask", question="what's the weather in Paris today?")

    [embed] = embed_dicts(result.response)
    assert embed["title"] == "Not in the article"
    assert "does not answer" in embed["description"]
    assert result.response.components == []


async def test_mentions_and_markdown_in_a_question_are_escaped(world):
    question = "@everyone <@&123> <@456> **bold** __u__ who runs Kata'ib Hezbollah?"

    result = await world.alice.slash(world.channel, "ask", question=question)

    shown = json.dumps(embed_dicts(result.response), ensure_ascii=False)
    assert "@everyone" not in shown and "@\u200beveryone" in shown
    assert "<@&123>" not in shown and "<@456>" not in shown
    assert "\\\\*\\\\*bold\\\\*\\\\*" in shown and "\\\\_\\\\_u\\\\_\\\\_" in shown
    [payload] = sent_payloads(world.env, "/callback")
    assert payload["allowed_mentions"] == {"parse": []}
    assert world.channel.last_message.mention_everyone is False
    assert world.channel.last_message.role_mentions == []


async def test_a_declined_injection_is_escaped_too(world):
    result = await world.alice.slash(world.channel, "ask", question="@here tell me a **joke** <@&1>")

    [embed] = embed_dicts(result.response)
    question_field = embed["fields"][0]["value"]
    assert "@\u200bhere" in question_field and "\\*\\*joke\\*\\*" in question_field and "<@&1>" not in question_field


def _huge_answer(question: str, count: int = 12, size: int = 5000) -> Answer:
    passages = []
    for number in range(1, count + 1):
        text = ("word " * (size // 5)).strip() + " **not bold** @everyone <@&99>"
        cite = Citation("al-bukamal-2019", "T" * 300, number, 1, 0, len(text))
        passages.append(
            AnswerPassage(
                article="al-bukamal-2019",
                title="T" * 300,
                paragraph=number,
                paragraphs=(number,),
                sentences=(f"{number}.1",),
                text=text,
                highlight=text[-200:],
                highlight_start=len(text) - 200,
                score=1.0,
                coverage=1.0,
                citation=cite,
                passage_id=f"p{number}",
                kind="body",
            )
        )
    return Answer(question * 20, True, "From the article.", tuple(passages))


class HugeAnswers(StubRouter):
    def ask(self, question: str, top_k: int | None = None, conversation: Any = None) -> Answer:
        return _huge_answer(question)


@pytest.mark.parametrize("router", [HugeAnswers()])
async def test_very_long_answers_stay_within_discord_limits(world):
    result = await world.alice.slash(world.channel, "ask", question="x" * 200)
    message = result.response
    for _ in range(11):
        await press(world.alice, message, "More")
        message = world.channel.last_message

    payloads = sent_payloads(world.env)
    assert len(payloads) == 12
    for payload in payloads:
        assert message_length_ok(payload.get("content"), payload["embeds"]) == []
    assert button(message, "All passages shown")["disabled"] is True
    # The newest passage is always shown, with its citation.
    assert "¶12" in message.embeds[-1].fields[0].value


class FailingRouter(StubRouter):
    def ask(self, question: str, top_k: int | None = None, conversation: Any = None) -> Answer:
        raise RuntimeError("index exploded")


@pytest.mark.parametrize("router", [FailingRouter()])
async def test_an_internal_error_is_a_short_private_message(world, caplog):
    result = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert result.ephemeral
    assert "went wrong" in result.response.content and "exploded" not in result.response.content
    assert any("index exploded" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
    assert [str(getattr(e, "original", e)) for e in world.env.errors] == ["index exploded"]


# -- cooldown and channels ------------------------------------------------------------------------


async def test_cooldown_is_per_user_and_ends(world, clock):
    world.env.bot.services.cooldowns = Cooldowns(30.0, clock, burst=2)
    await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    await world.alice.slash(world.channel, "source")

    again = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)
    help_anyway = await world.alice.slash(world.channel, "help")
    other_user = await world.bob.slash(world.channel, "ask", question=KH_QUESTION)
    clock.advance(30)
    later = await world.alice.slash(world.channel, "ask", question=KH_QUESTION)

    assert again.ephemeral and "wait 30 s" in again.response.content
    assert other_user.response.embeds and later.response.embeds
    assert help_anyway.response.embeds[0].title == "briefbot commands"
    assert [type(e).__name__ for e in world.env.errors] == ["CoolingDown"]


async def test_autocomplete_does_not_spend_the_cooldown(world, clock):
    world.env.bot.services.cooldowns = Cooldowns(30.0, clock, burst=1)
    for _ in range(3):
        await world.alice.autocomplete(world.channel, "actor", "name", "ir")

    result = await world.alice.slash(world.channel, "actor", name="Iran")

    assert result.response.embeds[0].title == "Iran"


async def test_commands_outside_allowed_channels_are_refused(world):
    elsewhere = world.guild.create_text_channel("random")
    world.env.bot.services.channels = ChannelPolicy([world.channel.id])

    refused = await world.alice.slash(elsewhere, "ask", question=KH_QUESTION)
    allowed = await world.bob.slash(world.channel, "ask", question=KH_QUESTION)

    assert refused.ephemeral and "channels" in refused.response.content
    assert allowed.response.embeds
    assert [type(e).__name__ for e in world.env.errors] == ["ChannelNotAllowed"]


# -- mentions ----------------------------------------------------------------------------------------


async def test_mentioning_the_bot_answers_in_a_reply(world):
    bot_user = world.env.bot.user
    asked = await world.alice.send(world.channel, f"{bot_user.mention} who runs Kata'ib Hezbollah?")

    reply = world.channel.last_message
    assert reply.author.id == bot_user.id
    assert reply.reference is not None and reply.reference.message_id == asked.id
    assert "Muhandis" in reply.embeds[0].description
    [payload] = sent_payloads(world.env, "/messages")
    assert payload["allowed_mentions"]["parse"] == []
    assert payload["allowed_mentions"].get("replied_user", False) is False


async def test_a_mention_with_injection_pings_nobody(world):
    await world.alice.send(
        world.channel, f"{world.env.bot.user.mention} @everyone <@&5> **who** runs Kata'ib Hezbollah?"
    )

    reply = world.channel.last_message
    shown = json.dumps([e.to_dict() for e in reply.embeds], ensure_ascii=False)
    assert "@everyone" not in shown and "<@&5>" not in shown and "\\\\*\\\\*who\\\\*\\\\*" in shown
    assert not reply.mention_everyone and reply.role_mentions == [] and reply.mentions == []


async def test_a_bare_mention_gets_a_hint_and_other_messages_are_ignored(world):
    await world.alice.send(world.channel, "who runs Kata'ib Hezbollah?")
    assert world.channel.last_message.author.id == world.alice.id

    await world.alice.send(world.channel, world.env.bot.user.mention)
    assert "Ask me a question" in world.channel.last_message.content


async def test_more_works_on_a_mention_reply(world):
    await world.alice.send(world.channel, f"{world.env.bot.user.mention} {KH_QUESTION}")
    reply = world.channel.last_message

    await press(world.alice, reply, "More")

    assert len(world.channel.last_message.embeds) == 2


# -- /timeline ------------------------------------------------------------------------------------


@pytest.mark.parametrize("router", [StubRouter(events=stub_events(14))])
async def test_timeline_pages_with_previous_and_next(world, router):
    result = await world.alice.slash(world.channel, "timeline")
    first = result.response

    [embed] = embed_dicts(first)
    assert embed["title"] == "Timeline"
    assert embed["footer"]["text"].startswith("Page 1 of 3")
    assert embed["fields"][0]["name"] == "August 24, 1980 (1980-08-24)"
    assert "¶1" in embed["fields"][0]["value"] and "> A quote" in embed["fields"][0]["value"]
    assert button(first, "Previous")["disabled"] is True

    await press(world.alice, first, "Next")
    second = world.channel.last_message
    assert second.embeds[0].footer.text.startswith("Page 2 of 3")
    await press(world.alice, second, "Next")
    third = world.channel.last_message
    assert button(third, "Next")["disabled"] is True
    await press(world.alice, third, "Previous")
    assert world.channel.last_message.embeds[0].footer.text.startswith("Page 2 of 3")


async def test_timeline_passes_year_and_actor_to_the_router(world, router):
    result = await world.alice.slash(world.channel, "timeline", year="1981", actor="Iran")

    assert ("timeline", ("1981", "Iran")) in router.calls
    assert result.response.embeds[0].title == "Timeline (1981, with Iran)"


async def test_timeline_with_no_match_says_so(world):
    result = await world.alice.slash(world.channel, "timeline", actor="Nobody")

    assert "No events involve Nobody" in result.response.embeds[0].description


async def test_a_bad_year_is_a_short_private_message(world):
    result = await world.alice.slash(world.channel, "timeline", year="bad")

    assert result.ephemeral and result.response.content.startswith("a year is four digits")
    assert [type(getattr(e, "original", e)).__name__ for e in world.env.errors] == ["InputError"]


@pytest.mark.parametrize("router", [StubRouter(events=stub_events(30, long=True))])
async def test_long_timeline_events_stay_within_limits(world):
    result = await world.alice.slash(world.channel, "timeline")
    message = result.response
    while not button(message, "Next")["disabled"]:
        await press(world.alice, message, "Next")
        message = world.channel.last_message

    payloads = sent_payloads(world.env)
    assert len(payloads) > 1
    for payload in payloads:
        assert message_length_ok(payload.get("content"), payload["embeds"]) == []
        for field in payload["embeds"][0]["fields"]:
            assert "— `al-bukamal-2019`, ¶" in field["value"]  # the citation survives truncation


async def test_timeline_actor_autocomplete_offers_names_and_aliases(world):
    choices = await world.alice.autocomplete(world.channel, "timeline", "actor", "kat")

    assert [c["name"] for c in choices] == ["Kata'ib Hezbollah", "Kataib Hezbollah"]


# -- /actors and /actor ----------------------------------------------------------------------------


async def test_actors_lists_each_actor_with_type_role_and_mentions(world):
    result = await world.alice.slash(world.channel, "actors")

    [embed] = embed_dicts(result.response)
    names = [f["name"] for f in embed["fields"]]
    assert names[0] == "Kata'ib Hezbollah (armed group)"
    assert len(names) == 4
    assert "6 mentions · first ¶10" in embed["fields"][0]["value"]


async def test_actors_filters_by_type_with_autocomplete(world, router):
    choices = await world.alice.autocomplete(world.channel, "actors", "type", "pe")
    result = await world.alice.slash(world.channel, "actors", type="person")

    assert [c["value"] for c in choices] == ["person"]
    assert ("actors", "person") in router.calls
    assert [f.name for f in result.response.embeds[0].fields] == ["Abu Mahdi al-Muhandis (person)"]


async def test_actor_autocomplete_covers_every_name_and_alias(world, router):
    everything = await world.alice.autocomplete(world.channel, "actor", "name", "")
    by_alias = await world.alice.autocomplete(world.channel, "actor", "name", "irg")
    inside = await world.alice.autocomplete(world.channel, "actor", "name", "guard")

    assert [c["name"] for c in everything] == router.actor_names()
    assert [c["name"] for c in by_alias] == ["IRGC"]
    assert [c["name"] for c in inside] == ["Islamic Revolutionary Guard Corps", "Revolutionary Guards"]


async def test_actor_shows_role_aliases_and_quotes(world):
    result = await world.alice.slash(world.channel, "actor", name="KH")

    [embed] = embed_dicts(result.response)
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Kata'ib Hezbollah"
    assert fields["Type"] == "armed group" and fields["Mentions"] == "6" and fields["First mention"] == "¶10"
    assert fields["Also called"] == "Kataib Hezbollah, KH"
    assert fields["Quote 1"].startswith("> This group is run by")


async def test_unknown_actor_suggests_close_names(world):
    result = await world.alice.slash(world.channel, "actor", name="@everyone Hamas")

    [embed] = embed_dicts(result.response)
    assert embed["title"] == "No such actor"
    assert "@\u200beveryone" in embed["description"]
    assert embed["fields"][0]["value"] == "Iran, IRGC"


# -- /help and /source ----------------------------------------------------------------------------


async def test_help_lists_every_command_with_its_options(world):
    result = await world.alice.slash(world.channel, "help")

    text = result.response.embeds[0].description
    for usage in (
        "/ask question [private]",
        "/timeline [year] [actor]",
        "/actors [type]",
        "/actor name",
        "/source",
        "/help",
    ):
        assert f"`{usage}`" in text
    assert result.ephemeral


async def test_source_shows_the_article_and_how_it_was_split(world):
    result = await world.alice.slash(world.channel, "source")

    [embed] = embed_dicts(result.response)
    [article] = embed["fields"]
    assert article["name"] == "Al Bukamal: The hub of Iran’s 'land bridge'"
    assert "published 2019-09" in article["value"] and "paragraphs" in article["value"]


# -- the real timeline and actors of the shipped article ----------------------------------------


@pytest.mark.parametrize("router", [shipped_router()])
async def test_real_timeline_is_paged_in_order_with_citations(world):
    result = await world.alice.slash(world.channel, "timeline")
    message = result.response
    names = []
    while True:
        embed = message.embeds[0]
        names += [f.name for f in embed.fields]
        assert all(re.search(r"\n— `al-bukamal-2019`, (¶\d+|photo caption)$", f.value) for f in embed.fields)
        if button(message, "Next")["disabled"]:
            break
        await press(world.alice, message, "Next")
        message = world.channel.last_message

    assert len(names) == len(shipped_router().timeline().events)
    assert names[0].startswith("1980s")


@pytest.mark.parametrize("router", [shipped_router()])
async def test_real_timeline_filters_by_year_and_actor_alias(world):
    result = await world.alice.slash(world.channel, "timeline", year="2019", actor="muhandis")

    embed = result.response.embeds[0]
    assert embed.title == "Timeline (2019, with Abu Mahdi al-Muhandis)"
    assert embed.fields and all("2019" in f.name for f in embed.fields)
    assert any("Muhandis" in f.value for f in embed.fields)


@pytest.mark.parametrize("router", [shipped_router()])
async def test_real_actor_lookup_by_alias_and_autocomplete(world):
    choices = await world.alice.autocomplete(world.channel, "actor", "name", "revolutionary")
    result = await world.alice.slash(world.channel, "actor", name="isis")

    assert choices and all("revolutionary" in c["name"].lower() for c in choices)
    embed = result.response.embeds[0]
    assert embed.title == "Islamic State"
    assert any(f.name.startswith("Quote") and "¶" in f.value for f in embed.fields)


def test_autocomplete_reaches_every_real_name_and_alias():
    names = shipped_router().actor_names()
    unreachable = [n for n in names if n not in [c.value for c in choices_for(n, names)]]

    assert names and unreachable == []


@pytest.mark.parametrize("router", [shipped_router()])
async def test_real_actors_by_type(world):
    result = await world.alice.slash(world.channel, "actors", type="person")

    embed = result.response.embeds[0]
    assert embed.fields and all(f.name.endswith("(person)") for f in embed.fields)
