"""The Redis cache backend (``core.cache``) against the real Redis server: same behaviour as Django's, one client."""

from __future__ import annotations

import os
import socket

import pytest

from core.cache import ReusingRedisCache

REDIS = "redis://127.0.0.1:6379/15"  # the test workers use 1, 2, ...


def redis_listens() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_listens() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_reusing_redis_cache_reads_and_writes_with_one_client() -> None:
    cache = ReusingRedisCache(REDIS, {})
    cache.clear()
    cache.set("scope", ("generation", {"paths": ("0001",)}), 30)
    cache.add("generation", 41, timeout=None)
    assert cache.incr("generation") == 42
    assert cache.get_many(["generation", "scope", "missing"]) == {
        "generation": 42, "scope": ("generation", {"paths": ("0001",)})}
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes share the pool
    assert cache._cache.get_client() is client
    cache.clear()
