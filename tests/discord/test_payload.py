"""Checks on interaction payloads: option values of the wrong type or shape get a specific message,
and a gateway event discord.py cannot parse is one log line, never the end of the client."""

from __future__ import annotations

import logging

import pytest

from bot.discord_bot.events import drop_malformed_events
from bot.discord_bot.payload import BOOLEAN, STRING, BadPayload, OptionSpec, check_command_data

from .fake_discord import button_click, slash_command
from .helpers import build_test_bot, settings

ASK = [OptionSpec("question", STRING, True), OptionSpec("private", BOOLEAN, False)]


def data(**options) -> dict:
    return {"name": "ask", "type": 1, "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (data(question=42), 'The option "question" must be text, not a number.'),
        (data(question=4.5), 'The option "question" must be text, not a number.'),
        (data(question=None), 'The option "question" must be text, not empty (null).'),
        (data(question=True), 'The option "question" must be text, not true or false.'),
        (data(question=["who", "runs"]), 'The option "question" must be text, not a list.'),
        (data(question={"q": "who"}), 'The option "question" must be text, not an object.'),
        (data(question="who?", private="yes"), 'The option "private" must be true or false, not text.'),
        (data(question="who?", private=1), 'The option "private" must be true or false, not a number.'),
        (data(private=True), '/ask needs the option "question".'),
        (data(question="who?", colour="red"), '/ask has no option "colour"; run /help to see its options.'),
        ({"name": "ask", "options": {"question": "who?"}}, "I could not read the options of /ask."),
        ({"name": "ask", "options": ["question"]}, "I could not read the options of /ask."),
        ({"name": "ask", "options": [{"name": "question"}]}, 'The option "question" came without a value.'),
        (None, "I could not read that command; please try again."),
        (["ask"], "I could not read that command; please try again."),
    ],
)
def test_a_bad_option_is_named_with_what_it_must_be(payload, message):
    with pytest.raises(BadPayload) as problem:
        check_command_data("ask", payload, ASK)
    assert problem.value.message == message
    assert problem.value.detail  # the log gets the detail


@pytest.mark.parametrize(
    "payload",
    [data(question="who runs it?"), data(question="who?", private=False), {"name": "ask", "options": None} | {}],
)
def test_good_options_pass(payload):
    if payload.get("options") is None:
        with pytest.raises(BadPayload, match="needs the option"):
            check_command_data("ask", payload, ASK)
        return
    check_command_data("ask", payload, ASK)


def test_while_autocompleting_the_focused_option_and_missing_ones_are_fine():
    payload = {"name": "actor", "options": [{"name": "name", "type": 3, "value": 12, "focused": True}]}
    check_command_data("actor", payload, [OptionSpec("name", STRING, True)], autocomplete=True)


# -- gateway events discord.py cannot parse ------------------------------------------------------------


def _malformed_interactions() -> list[tuple[str, object]]:
    good = slash_command(7001, "ask", {"question": "who runs Kata'ib Hezbollah?"})

    def without(key: str) -> dict:
        return {k: v for k, v in good.items() if k != key}

    def changed(**keys) -> dict:
        return good | keys

    member_without_user = changed(member={k: v for k, v in good["member"].items() if k != "user"})
    click = button_click(7002, "briefbot:more:abc", {"embeds": []}, None)
    click_without_custom_id = click | {"data": {"component_type": 2}}
    return [
        ("d is null", None),
        ("d is a list", [good]),
        ("d is a string", "INTERACTION_CREATE"),
        ("no id", without("id")),
        ("no type", without("type")),
        ("no token", without("token")),
        ("non-numeric id", changed(id="not-a-number")),
        ("member without user", member_without_user),
        ("null application id", changed(application_id=None)),
        ("component without custom_id", click_without_custom_id),
        ("type is text", changed(type="two")),
        ("member is a list", changed(member=[1, 2])),
        ("user id is an object", changed(member=good["member"] | {"user": {"id": {"x": 1}}})),
        ("channel id is a list", changed(channel_id=[1])),
    ]


@pytest.mark.parametrize(("case", "payload"), _malformed_interactions(), ids=[c for c, _ in _malformed_interactions()])
def test_a_malformed_interaction_is_one_log_line_and_dropped(case, payload, caplog, clock):
    bot = build_test_bot(settings(), clock)
    # What discord.py's websocket calls for an INTERACTION_CREATE (the bot's own ConnectionState).
    parse = bot._connection.parsers["INTERACTION_CREATE"]

    with caplog.at_level(logging.WARNING, logger="briefbot.discord"):
        parse(payload)  # must not raise

    [record] = [r for r in caplog.records if r.name == "briefbot.discord"]
    line = record.getMessage()
    assert line.startswith("dropped a malformed INTERACTION_CREATE event") and "\n" not in line
    if isinstance(payload, dict) and "id" in payload:
        assert f"(interaction {payload['id']!r})" in line


def test_every_gateway_parser_is_guarded_and_unchanged_for_good_payloads(caplog):
    calls: list[object] = []
    parsers = {"MESSAGE_CREATE": calls.append, "READY": lambda d: d["session_id"]}
    drop_malformed_events(parsers)

    parsers["MESSAGE_CREATE"]({"id": "1"})
    parsers["READY"]({"session_id": "abc"})
    with caplog.at_level(logging.WARNING, logger="briefbot.discord"):
        parsers["READY"]({})

    assert calls == [{"id": "1"}]
    assert [r.getMessage() for r in caplog.records] == ["dropped a malformed READY event: KeyError: 'session_id'"]


def test_without_the_guard_discord_py_raises_out_of_its_parser():
    # Why events.py exists (reported upstream): discord.py's own parser raises, and its websocket
    # loop (received_message -> poll_event -> Client.connect) lets the exception end the client.
    import discord

    plain = discord.Client(intents=discord.Intents.none())
    with pytest.raises(TypeError):
        plain._connection.parsers["INTERACTION_CREATE"](None)


async def test_a_failing_event_handler_is_one_error_line_with_the_message_id(caplog, clock):
    from unittest import mock

    import discord

    bot = build_test_bot(settings(), clock)
    message = mock.create_autospec(discord.Message, instance=True, spec_set=True)
    message.id = 4242
    with caplog.at_level(logging.DEBUG, logger="briefbot.discord"):
        try:
            raise ValueError("a field of the wrong type")
        except ValueError:
            await bot.on_error("on_message", message)

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "on_message failed (message 4242): ValueError: a field of the wrong type"
    ]
    assert errors[0].exc_info is None  # the traceback goes to DEBUG only
