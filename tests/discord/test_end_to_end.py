"""`briefbot run` as a separate process against a Discord-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import signal

import pytest

from .e2e import REPLY_TIMEOUT, STARTUP_TIMEOUT, TOKEN, is_callback, start_bot, write_config
from .fake_discord import BOT_ID, CHANNEL_ID, autocomplete, button_click, mention_message, slash_command


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
async def test_ask_over_the_gateway_posts_a_cited_embed_with_no_mentions(fake, running_bot, sig):
    await fake.dispatch("INTERACTION_CREATE", slash_command(9001, "ask", {"question": "Who runs Kata'ib Hezbollah?"}))
    reply = await fake.wait_for_request(is_callback(9001), REPLY_TIMEOUT)

    assert reply.authorization is None or TOKEN not in reply.authorization  # callbacks are token-less
    assert reply.json["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    data = reply.json["data"]
    assert data["allowed_mentions"] == {"parse": []}
    [embed] = data["embeds"]
    assert "Muhandis" in embed["description"] and "**" in embed["description"]
    assert "¶10" in embed["fields"][0]["value"] and "sentence" in embed["fields"][0]["value"]
    assert data["components"][0]["components"][0]["label"].startswith("More")

    # A question full of mentions and markdown: escaped, nothing allowed to ping.
    question = "@everyone <@&123> **who** runs Kata'ib Hezbollah?"
    await fake.dispatch("INTERACTION_CREATE", slash_command(9002, "ask", {"question": question, "private": True}))
    injected = (await fake.wait_for_request(is_callback(9002), REPLY_TIMEOUT)).json["data"]
    assert injected["allowed_mentions"] == {"parse": []}
    assert injected["flags"] & 64  # ephemeral, as asked
    shown = str(injected["embeds"])
    assert "@everyone" not in shown and "<@&123>" not in shown and "\\\\*\\\\*who\\\\*\\\\*" in shown

    # Only one reply per interaction: the 204 from the callback is not taken for a failure.
    await fake.dispatch("INTERACTION_CREATE", slash_command(9003, "help", {}))
    await fake.wait_for_request(is_callback(9003), REPLY_TIMEOUT)
    callbacks = [r for r in fake.requests if r.path.endswith("/callback")]
    assert len(callbacks) == 3

    # The client logged in with the token, never synced commands, and never asked /gateway/bot.
    paths = [r.path for r in fake.requests]
    assert "/users/@me" in paths
    assert not any("/commands" in p for p in paths)
    assert fake.identify_payload is not None and fake.identify_payload["token"] == TOKEN

    # Both signals close the client cleanly (exit 0), with nothing logged at ERROR.
    assert await running_bot.stop(sig) == 0
    log = running_bot.stderr
    assert f"{sig.name} received: closing the Discord connection" in log and "Traceback" not in log
    assert TOKEN not in log
    assert "not Discord's API" in log and "not Discord's gateway" in log
    assert (
        " ERROR " not in log
        and "WARNING" not in log.replace("WARNING discord.client: PyNaCl", "").split("not Discord's gateway")[-1]
    )


async def test_timeline_over_the_gateway_is_paged_and_cited(fake, running_bot):
    await fake.dispatch("INTERACTION_CREATE", slash_command(9101, "timeline", {}))
    data = (await fake.wait_for_request(is_callback(9101), REPLY_TIMEOUT)).json["data"]

    assert data["allowed_mentions"] == {"parse": []}
    [embed] = data["embeds"]
    assert embed["fields"] and all(
        "¶" in field["value"] or "photo caption" in field["value"] for field in embed["fields"]
    )
    labels = [button["label"] for row in data["components"] for button in row["components"]]
    assert any("Next" in label for label in labels)


async def test_the_more_button_and_autocomplete_work_over_the_gateway(fake, running_bot):
    await fake.dispatch("INTERACTION_CREATE", slash_command(9301, "ask", {"question": "Who runs Kata'ib Hezbollah?"}))
    reply = await fake.wait_for_request(is_callback(9301), REPLY_TIMEOUT)
    first = reply.json["data"]
    more = first["components"][0]["components"][0]

    await fake.dispatch("INTERACTION_CREATE", button_click(9302, more["custom_id"], first, reply.message_id))
    clicked = (await fake.wait_for_request(is_callback(9302), REPLY_TIMEOUT)).json
    assert clicked["type"] in (4, 7)  # a new message or the original, updated
    assert len(clicked["data"]["embeds"]) > len(first["embeds"])
    assert clicked["data"]["allowed_mentions"] == {"parse": []}
    assert all("¶" in str(embed["fields"]) for embed in clicked["data"]["embeds"])

    await fake.dispatch("INTERACTION_CREATE", autocomplete(9303, "actor", "name", "muhand"))
    choices = (await fake.wait_for_request(is_callback(9303), REPLY_TIMEOUT)).json
    assert choices["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert any("Muhandis" in choice["name"] for choice in choices["data"]["choices"])


async def test_a_mention_in_a_channel_is_answered_in_a_reply_that_pings_nobody(fake, running_bot):
    content = f"<@{BOT_ID}> who runs Kata'ib Hezbollah? @everyone"
    await fake.dispatch("MESSAGE_CREATE", mention_message(9201, content))
    reply = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages", REPLY_TIMEOUT
    )

    assert str(reply.json["message_reference"]["message_id"]) == "9201"
    assert reply.json["allowed_mentions"]["parse"] == []
    assert reply.json["allowed_mentions"].get("replied_user") is False
    [embed] = reply.json["embeds"]
    assert "Muhandis" in embed["description"] and "¶10" in str(embed["fields"])


async def test_a_rejected_token_is_one_clear_line_and_a_failure(fake, tmp_path):
    config = write_config(tmp_path, fake)
    bot = await start_bot(config, "wrong-" + TOKEN, "run", "--config", str(config))
    code = await asyncio.wait_for(bot.exited(), STARTUP_TIMEOUT)

    assert code != 0
    assert not fake.identified.is_set()
    assert [r.path for r in fake.requests] == ["/users/@me"]  # the config given after the verb was used
    last = bot.stderr.strip().splitlines()[-1]
    assert last.startswith("briefbot: error: Discord rejected the token in DISCORD_TOKEN")
    assert "Traceback" not in bot.stderr and TOKEN not in bot.stderr


async def test_a_missing_token_is_one_clear_line(fake, tmp_path):
    bot = await start_bot(write_config(tmp_path, fake, token_env="BRIEFBOT_TEST_TOKEN"), None)
    code = await asyncio.wait_for(bot.exited(), STARTUP_TIMEOUT)

    assert code != 0
    assert bot.stderr.strip().splitlines() == [
        "briefbot: error: no Discord bot token: set the BRIEFBOT_TEST_TOKEN environment variable "
        "(config discord.token_env names it); see README 'Running on Discord'"
    ]
    assert fake.requests == []


async def test_sync_registers_commands_in_the_configured_guild(fake, tmp_path):
    bot = await start_bot(write_config(tmp_path, fake, guilds="[1234]"), TOKEN, "sync")
    code = await asyncio.wait_for(bot.exited(), STARTUP_TIMEOUT)
    assert bot.process.stdout is not None
    stdout = (await bot.process.stdout.read()).decode()

    assert code == 0, bot.stderr
    assert stdout.strip() == "synced 7 commands to guild 1234 (available now)"
    [put] = [r for r in fake.requests if r.method == "PUT"]
    assert put.path == "/applications/1100000000000000001/guilds/1234/commands"
    assert sorted(c["name"] for c in put.json) == ["actor", "actors", "ask", "help", "reload", "source", "timeline"]
