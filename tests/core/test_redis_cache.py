"""The Redis cache backend of production (ccx.core.redis_cache), against the machine's Redis server."""

import os
from collections.abc import Iterator

import pytest
import redis

from ccx.core.redis_cache import SharedRedisCache

REDIS_URL = os.environ.get("CCX_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def shared() -> Iterator[SharedRedisCache]:
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    yield SharedRedisCache(REDIS_URL, {"KEY_PREFIX": "t"})
    server.flushdb()


def test_one_client_serves_every_operation(shared: SharedRedisCache) -> None:
    clients = shared._cache  # type: ignore[attr-defined]  # Django's client object, not in its stubs
    client = clients.get_client(write=True)
    shared.set("page", b"bytes", 30)
    assert shared.get("page") == b"bytes"
    assert clients.get_client(write=True) is client
    assert clients.get_client(write=False) is client  # one server: one pool for reads and writes


def test_incr_counts_an_existing_key_and_keeps_its_expiry(shared: SharedRedisCache) -> None:
    assert shared.add("hits", 1, 30)
    assert shared.incr("hits") == 2
    assert shared.incr("hits", 5) == 7
    assert shared.get("hits") == 7
    assert 0 < redis.Redis.from_url(REDIS_URL).ttl(shared.make_key("hits")) <= 30


def test_incr_of_a_missing_key_raises_and_creates_nothing(shared: SharedRedisCache) -> None:
    with pytest.raises(ValueError, match="not found"):
        shared.incr("absent")
    assert shared.get("absent") is None
    assert not redis.Redis.from_url(REDIS_URL).exists(shared.make_key("absent"))


def test_a_hit_counts_in_one_step_and_the_first_one_sets_the_expiry(shared: SharedRedisCache) -> None:
    server = redis.Redis.from_url(REDIS_URL)
    assert [shared.hit("window", 60) for _ in range(3)] == [1, 2, 3]
    assert 0 < server.ttl(shared.make_key("window")) <= 60
    server.expire(shared.make_key("window"), 500)
    assert shared.hit("window", 60) == 4
    assert server.ttl(shared.make_key("window")) > 60  # later hits leave the window's end where it was
