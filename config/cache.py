"""A Redis cache that a Redis outage turns into a cache that misses, not into failing pages.

Everything RareGate caches can be computed again: while Redis is down a read finds nothing and a
write stores nothing (each logged as a warning), so pages are slower, not broken. Log-in
throttling, counted in the cache, is off for as long.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError)


def _unreachable(operation: str, error: Exception) -> None:
    logger.warning("Cache unreachable (%s): %s", operation, error)


class TolerantRedisCacheClient(RedisCacheClient):
    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNREACHABLE as error:
            _unreachable("get", error)
            return default

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNREACHABLE as error:
            _unreachable("get_many", error)
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNREACHABLE as error:
            _unreachable("has_key", error)
            return False

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNREACHABLE as error:
            _unreachable("add", error)
            return False

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except UNREACHABLE as error:
            _unreachable("set", error)

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except UNREACHABLE as error:
            _unreachable("set_many", error)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNREACHABLE as error:
            _unreachable("touch", error)
            return False

    def delete(self, key):
        try:
            return super().delete(key)
        except UNREACHABLE as error:
            _unreachable("delete", error)
            return False

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNREACHABLE as error:
            _unreachable("incr", error)
            # As for a missing key: callers set it instead, which is dropped too.
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from error

    def delete_many(self, keys):
        try:
            super().delete_many(keys)
        except UNREACHABLE as error:
            _unreachable("delete_many", error)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache; reads miss and writes are dropped while Redis is unreachable, and
    `incr` raises ValueError as for a missing key."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
