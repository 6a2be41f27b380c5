"""`briefbot run`/`sync` plumbing without a server: token, logging, endpoints, sharding, errors."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import client as discord_client
from discord import shard as discord_shard
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.discord_bot import endpoints, runner
from bot.discord_bot.client import BriefBot, ShardedBriefBot, create_bot
from bot.errors import BriefbotError

from .helpers import FakeClock, StubRouter, settings


@pytest.fixture
def restore_endpoints(monkeypatch):
    # configure_endpoints changes discord.py's class attributes: put them back after each test.
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)


def test_the_token_never_reaches_a_log_record(caplog):
    token = "secret-token-123"
    record = logging.LogRecord("discord.http", logging.INFO, __file__, 1, "sent %s to %s", (token, "x"), None)
    runner.RedactToken(token).filter(record)
    assert token not in record.getMessage() and runner.REDACTED in record.getMessage()


def test_a_missing_token_names_the_variable(monkeypatch):
    monkeypatch.delenv("MY_BOT_TOKEN", raising=False)
    with pytest.raises(BriefbotError, match="set the MY_BOT_TOKEN environment variable"):
        runner.read_token(settings(token_env="MY_BOT_TOKEN"))
    monkeypatch.setenv("MY_BOT_TOKEN", "  ")
    with pytest.raises(BriefbotError):
        runner.read_token(settings(token_env="MY_BOT_TOKEN"))


def test_endpoints_point_discord_py_at_a_compatible_server(restore_endpoints):
    warnings = endpoints.configure_endpoints("http://127.0.0.1:8080/api/v10/", "ws://127.0.0.1:8080/gateway")

    assert Route("GET", "/users/@me").url == "http://127.0.0.1:8080/api/v10/users/@me"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:8080/gateway"
    # Nothing else of discord.py is replaced: its websocket class is its own.
    assert discord_client.DiscordWebSocket is DiscordWebSocket and discord_shard.DiscordWebSocket is DiscordWebSocket
    assert len(warnings) == 2 and all("not Discord's" in w for w in warnings)


def test_discords_own_endpoints_give_no_warning(restore_endpoints):
    assert endpoints.configure_endpoints("https://discord.com/api/v10", "wss://gateway.discord.gg") == []


@pytest.mark.parametrize(("api", "gateway"), [("ftp://x", "wss://g"), ("https://d", "https://not-a-ws")])
def test_a_bad_endpoint_names_its_key(restore_endpoints, api, gateway):
    with pytest.raises(ValueError, match="config discord"):
        endpoints.configure_endpoints(api, gateway)


def test_sharding_settings_choose_the_sharded_client():
    plain = create_bot(StubRouter(), settings(), clock=FakeClock())
    sharded = create_bot(StubRouter(), settings(shard_count=4, shard_ids=(0, 2)), clock=FakeClock())

    assert type(plain) is BriefBot and type(sharded) is ShardedBriefBot
    # Both guard every gateway parser of their own ConnectionState (events.py).
    for bot in (plain, sharded):
        parsers = bot._connection.parsers
        assert all(hasattr(parse, "__wrapped__") for parse in parsers.values()) and "INTERACTION_CREATE" in parsers
    assert sharded.shard_count == 4 and sharded.shard_ids == [0, 2]
    assert plain.allowed_mentions is not None and plain.allowed_mentions.to_dict() == {"parse": []}


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"shard_ids": (0,)}, "needs discord.shard_count"), ({"shard_count": 2, "shard_ids": (2,)}, "outside 0..1")],
)
def test_inconsistent_sharding_is_a_clear_error(changes, message):
    with pytest.raises(BriefbotError, match=message):
        create_bot(StubRouter(), settings(**changes))


def test_failures_become_one_line_reasons():
    explain = runner._explain
    rejected = explain(discord.LoginFailure("Improper token has been passed."), settings())
    assert rejected is not None and "rejected the token in DISCORD_TOKEN" in str(rejected)

    try:
        try:
            raise ConnectionRefusedError(111, "Connect call failed")
        except OSError:
            # What discord.py's reconnect does after a failed first connect: read self.ws.sequence.
            raise AttributeError("'NoneType' object has no attribute 'sequence'") from None
    except AttributeError as exc:
        unreachable = explain(exc, settings())
    assert unreachable is not None and "cannot reach Discord" in str(unreachable)

    assert explain(ZeroDivisionError(), settings()) is None


def test_shutdown_grace_defaults_to_ten_seconds_and_refuses_negatives(tmp_path) -> None:
    from bot.config import load_config
    from bot.errors import ConfigError

    assert load_config(None).discord.shutdown_grace_seconds == 10.0
    path = tmp_path / "config.yaml"
    path.write_text("discord:\n  shutdown_grace_seconds: 2.5\n", encoding="utf-8")
    assert load_config(path).discord.shutdown_grace_seconds == 2.5
    path.write_text("discord:\n  shutdown_grace_seconds: -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":2: discord.shutdown_grace_seconds: -1.* too small"):
        load_config(path)
