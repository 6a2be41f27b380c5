"""The connection pools: each request goes through the pool of its kind."""

from __future__ import annotations

import pytest
from yarl import URL

from bot.discord_bot import pools
from bot.discord_bot.pools import REST_CONNECTIONS, RoutedConnector, callback_connections


async def test_callbacks_the_gateway_and_the_rest_each_have_their_pool():
    connector = RoutedConnector()
    try:
        base = "https://discord.com/api/v10"
        assert connector.pool_for(URL(f"{base}/interactions/123/tok-en/callback")) is connector.callbacks
        assert connector.pool_for(URL("http://127.0.0.1:8080/api/v10/interactions/1/t/callback")) is connector.callbacks
        assert connector.pool_for(URL("wss://gateway.discord.gg/?v=10&encoding=json")) is connector.gateway
        for rest in ("/webhooks/1/tok/messages/@original", "/webhooks/1/tok", "/channels/5/messages", "/users/@me"):
            assert connector.pool_for(URL(base + rest)) is connector.rest, rest
        assert (connector.rest.limit, connector.gateway.limit) == (REST_CONNECTIONS, 0)
        assert connector.callbacks.limit == callback_connections()
    finally:
        await connector.close()
    assert connector.closed and connector.rest.closed and connector.callbacks.closed and connector.gateway.closed


@pytest.mark.parametrize(("soft", "expected"), [(1024, 512), (512, 256), (200, 64), (100_000, 512)])
def test_the_callback_pool_leaves_file_descriptors_for_the_rest(monkeypatch, soft, expected):
    monkeypatch.setattr(pools.resource, "getrlimit", lambda _: (soft, 1 << 20))
    assert callback_connections() == expected
